from django.contrib import admin

from .models import Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "kecamatan", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name"]
    filter_horizontal = ["users"]
