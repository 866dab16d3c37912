"""The public site, mounted under a language prefix (i18n_patterns in sentra/urls.py)."""

from django.urls import path
from django.utils.translation import pgettext_lazy

from . import public_views

app_name = "catalog"

urlpatterns = [
    path("", public_views.home, name="home"),
    path(pgettext_lazy("URL", "catalogue/"), public_views.catalogue, name="catalogue"),
    path(pgettext_lazy("URL", "events/"), public_views.events, name="events"),
    path(pgettext_lazy("URL", "events/<slug:slug>/"), public_views.event_detail, name="event"),
    path("umkm/<slug:slug>/", public_views.storefront, name="storefront"),
    path("umkm/<slug:slug>/qr.png", public_views.storefront_qr, name="storefront_qr"),
    path(pgettext_lazy("URL", "umkm/<slug:slug>/ask/"), public_views.inquiry, name="inquiry"),
    path(pgettext_lazy("URL", "umkm/<slug:slug>/sent/"), public_views.inquiry_sent, name="inquiry_sent"),
    path("umkm/<slug:slug>/<slug:product_slug>/", public_views.product_detail, name="product"),
    path("umkm/<slug:slug>/<slug:product_slug>/qr.png", public_views.storefront_qr, name="product_qr"),
    path(
        pgettext_lazy("URL", "umkm/<slug:slug>/<slug:product_slug>/ask/"),
        public_views.inquiry,
        name="product_inquiry",
    ),
]
