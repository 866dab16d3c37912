from django.contrib import admin

from .audit import diff, log_action, snapshot
from .models import AccessLog, AuditEntry


class AuditedAdminMixin:
    """Changes made in the Django admin land in the same audit trail as changes made in Sentra."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        after = snapshot(obj)
        action = AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE
        label = obj._meta.label_lower
        log_action(
            actor=request.user, verb=f"{label}.{action}d", obj=obj, action=action, changes=diff(before, after)
        )

    def delete_model(self, request, obj):
        log_action(
            actor=request.user,
            verb=f"{obj._meta.label_lower}.deleted",
            obj=obj,
            action=AuditEntry.Action.DELETE,
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # The "delete selected" action bypasses delete_model; audit each record it removes.
        for obj in queryset:
            log_action(
                actor=request.user,
                verb=f"{obj._meta.label_lower}.deleted",
                obj=obj,
                action=AuditEntry.Action.DELETE,
            )
        super().delete_queryset(request, queryset)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "verb", "object_repr"]
    list_filter = ["action", "content_type", "verb"]
    search_fields = ["object_repr", "verb", "actor__username"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "at"


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "kind", "object_repr", "fields", "row_count"]
    list_filter = ["kind", "content_type"]
    search_fields = ["object_repr", "user__username"]
    list_select_related = ["user", "content_type"]
    date_hierarchy = "at"
