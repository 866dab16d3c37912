from django.contrib import admin

from .models import BuyerBudget, BuyerOrganisation, Purchase


class BudgetInline(admin.TabularInline):
    model = BuyerBudget
    extra = 0


@admin.register(BuyerOrganisation)
class BuyerOrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code", "is_active", "kecamatan")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")
    filter_horizontal = ("members",)
    inlines = [BudgetInline]


@admin.register(Purchase)
class PurchaseAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organisation", "status", "total", "paid_on", "verified_at")
    list_filter = ("status", "source")
    raw_id_fields = ("organisation", "sme", "verified_by", "created_by")
    readonly_fields = ("flags", "import_key")
