"""The Django admin: a back-office fallback for Dinas admins. Every save lands in the audit trail."""

from django.contrib import admin

from sentra.core.admin import AuditedAdminMixin

from .models import (
    ChangeRequest,
    ClaimRequest,
    Cooperative,
    CooperativeManager,
    Forum,
    Owner,
    Permit,
    ScaleRecord,
    Sme,
)


class PermitInline(admin.TabularInline):
    model = Permit
    extra = 0


class ScaleRecordInline(admin.TabularInline):
    model = ScaleRecord
    extra = 0
    readonly_fields = ["scale", "basis", "capital", "turnover", "recorded_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Sme)
class SmeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "owner", "kecamatan", "scale", "status", "source", "nib", "updated_at"]
    list_filter = ["status", "scale", "source", "kecamatan"]
    search_fields = ["name", "nib"]
    list_select_related = ["owner", "kecamatan"]
    raw_id_fields = ["owner", "accounts", "desa", "kecamatan", "forum", "merged_into", "verified_by"]
    readonly_fields = ["public_id", "search_text", "name_key", "created_at", "updated_at"]
    inlines = [PermitInline, ScaleRecordInline]
    date_hierarchy = "updated_at"


@admin.register(Owner)
class OwnerAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "gender", "kecamatan", "updated_at"]
    list_filter = ["gender", "kecamatan"]
    # NIK search is exact, never a substring: a partial NIK should not list people.
    search_fields = ["name", "=nik"]
    list_select_related = ["kecamatan"]
    raw_id_fields = ["desa", "kecamatan"]


class CooperativeManagerInline(admin.TabularInline):
    model = CooperativeManager
    extra = 0


@admin.register(Cooperative)
class CooperativeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "status", "kecamatan", "members_count", "last_rat_date"]
    list_filter = ["status", "kind", "kecamatan"]
    search_fields = ["name", "legal_entity_number", "nik_koperasi"]
    list_select_related = ["kecamatan"]
    raw_id_fields = ["desa", "kecamatan"]
    readonly_fields = ["public_id"]
    inlines = [CooperativeManagerInline]


@admin.register(Forum)
class ForumAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kecamatan", "coordinator"]
    list_filter = ["kecamatan"]
    search_fields = ["name"]
    list_select_related = ["kecamatan", "coordinator"]
    raw_id_fields = ["kecamatan", "coordinator"]


@admin.register(Permit)
class PermitAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["number", "kind", "sme", "issued_on", "expires_on"]
    list_filter = ["kind"]
    search_fields = ["number", "sme__name"]
    list_select_related = ["sme"]
    raw_id_fields = ["sme"]


@admin.register(ClaimRequest)
class ClaimRequestAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["sme", "user", "proof", "status", "created_at"]
    list_filter = ["status", "proof"]
    search_fields = ["sme__name", "user__username"]
    list_select_related = ["sme", "user"]
    raw_id_fields = ["sme", "user", "decided_by"]


@admin.register(ChangeRequest)
class ChangeRequestAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["sme", "requested_by", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["sme__name", "requested_by__username"]
    list_select_related = ["sme", "requested_by"]
    raw_id_fields = ["sme", "requested_by", "decided_by"]
