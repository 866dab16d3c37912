from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from sentra.core.admin import AuditedAdminMixin

from .models import User


@admin.register(User)
class SentraUserAdmin(AuditedAdminMixin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "organisation", "is_active", "last_login"]
    list_filter = ["role", "is_active", "kecamatan"]
    search_fields = ["username", "first_name", "last_name", "email", "organisation"]
    filter_horizontal = ["kecamatan"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Sentra role and scope"), {"fields": ["role", "regency", "kecamatan", "phone", "organisation"]}),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        (_("Sentra role and scope"), {"fields": ["role", "kecamatan", "organisation"]}),
    ]
