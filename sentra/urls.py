from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.i18n import set_language

from sentra.catalog import public_views as catalog_public
from sentra.catalog.sitemaps import SITEMAPS
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
    path("partners/", include("sentra.partners.urls")),
    path("partner/", include("sentra.partners.partner_urls")),
    path("my/partners/", include("sentra.partners.owner_urls")),
    path("my/products/", include("sentra.catalog.owner_urls")),
    path("catalog/", include("sentra.catalog.urls")),
    # Product photos are public; in production the proxy serves /media/ itself (README).
    path("media/catalog/<path:path>", catalog_public.photo, name="catalog_photo"),
    path("robots.txt", catalog_public.robots_txt, name="robots_txt"),
    path("sitemap.xml", public(sitemap_views.index), {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        public(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("exports/", include("sentra.exports.urls")),
    path("programs/", include("sentra.programs.urls")),
    path("my/programs/", include("sentra.programs.owner_urls")),
    path("certificates/", include("sentra.programs.public_urls")),
    path("perda/", include("sentra.perda.urls")),
    path("admin/", admin.site.urls),
]
# The public site carries its language in the URL (/id/…, /en/…): a shared link opens in the
# language it was shared in. Signed-in pages keep one address and the language switcher's cookie.
urlpatterns += i18n_patterns(path("", include("sentra.catalog.public_urls")))

handler403 = "sentra.core.errors.permission_denied"
handler404 = "sentra.core.errors.page_not_found"
handler500 = "sentra.core.errors.server_error"
