"""sitemap.xml: the public home, the catalogue, storefronts, products and events, in both languages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Product, PromotionEvent, Storefront


class _Bilingual(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = 10_000


class StaticSitemap(_Bilingual):
    changefreq = "daily"

    def items(self):
        return ["catalog:home", "catalog:catalogue", "catalog:events"]

    def location(self, item):
        return reverse(item)


class StorefrontSitemap(_Bilingual):
    def items(self):
        return (
            Storefront.objects.filter(sme__status="verified", sme__merged_into__isnull=True)
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def location(self, item):
        return reverse("catalog:storefront", args=[item.slug])

    def lastmod(self, item):
        return item.updated_at


class ProductSitemap(_Bilingual):
    def items(self):
        return (
            Product.objects.public()
            .only("slug", "updated_at", "sme__storefront__slug")
            .select_related("sme__storefront")
            .order_by("pk")
        )

    def location(self, item):
        return reverse("catalog:product", args=[item.sme.storefront.slug, item.slug])

    def lastmod(self, item):
        return item.updated_at


class EventSitemap(_Bilingual):
    def items(self):
        return PromotionEvent.objects.filter(is_public=True).only("slug", "updated_at").order_by("pk")

    def location(self, item):
        return reverse("catalog:event", args=[item.slug])

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "pages": StaticSitemap,
    "storefronts": StorefrontSitemap,
    "products": ProductSitemap,
    "events": EventSitemap,
}
