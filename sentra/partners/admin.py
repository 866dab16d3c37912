from django.contrib import admin

from sentra.core.admin import ReadOnlyAdmin

from .models import Agreement, ConsentEvent, FosterAssignment, Offer, Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "kecamatan", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name"]
    filter_horizontal = ["users"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "kind", "starts_on", "ends_on", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "title"]
    filter_horizontal = ["partners"]


@admin.register(FosterAssignment)
class FosterAssignmentAdmin(admin.ModelAdmin):
    list_display = ["partner", "kecamatan", "starts_on", "ends_on"]
    raw_id_fields = ["smes"]


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "partner", "sme", "kind", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["partner", "sme"]


@admin.register(ConsentEvent)
class ConsentEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "sme", "action", "by"]
    list_filter = ["action"]
    list_select_related = ["sme", "by"]
