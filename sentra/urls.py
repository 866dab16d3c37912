from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from sentra.core import views as core_views
from sentra.core.permissions import public

admin.site.site_header = "Sentra UMKM"
admin.site.site_title = "Sentra UMKM"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("accounts/", include("sentra.accounts.urls")),
    path("registry/", include("sentra.registry.urls")),
    path("registry/review/", include("sentra.registry.review_urls")),
    path("my/", include("sentra.registry.owner_urls")),
    path("imports/", include("sentra.imports.urls")),
    path("programs/", include("sentra.programs.urls")),
    path("my/programs/", include("sentra.programs.owner_urls")),
    path("certificates/", include("sentra.programs.public_urls")),
    path("admin/", admin.site.urls),
]

handler403 = "sentra.core.errors.permission_denied"
handler404 = "sentra.core.errors.page_not_found"
handler500 = "sentra.core.errors.server_error"
