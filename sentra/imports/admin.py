from django.contrib import admin

from .models import ImportJob, RegionAlias


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = [
        "original_name",
        "status",
        "mode",
        "uploaded_by",
        "created_at",
        "total",
        "created",
        "updated",
        "rejected",
        "warned",
    ]
    list_filter = ["status", "mode", "source"]
    list_select_related = ["uploaded_by"]
    search_fields = ["original_name"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(RegionAlias)
class RegionAliasAdmin(admin.ModelAdmin):
    """Aliases officers confirmed while importing; an admin may correct or remove a wrong one."""

    list_display = ["spelling", "level", "scope", "region", "created_by", "created_at"]
    list_filter = ["level"]
    list_select_related = ["region", "created_by"]
    search_fields = ["spelling", "region__name"]
    raw_id_fields = ["region"]
    readonly_fields = ["spelling_key", "created_by", "created_at"]
