"""Printable label sheets: each published product of an SME with its price and a QR code to its page."""

from django.urls import reverse

from sentra.core import qr
from sentra.core.pdf import render_pdf

from .models import Product
from .services import ensure_storefront


def label_sheet(*, request, sme) -> bytes:
    """A4 of labels for outlet shelves and exhibition booths; the QR codes open the public pages."""
    shop = ensure_storefront(sme)
    shop_url = request.build_absolute_uri(reverse("catalog:storefront", args=[shop.slug]))
    products = Product.objects.public().filter(sme=sme).select_related("category").order_by("name_id", "id")
    labels = []
    for product in products:
        url = request.build_absolute_uri(reverse("catalog:product", args=[shop.slug, product.slug]))
        labels.append({"product": product, "url": url, "qr": qr.data_uri(url, scale=3)})
    context = {"sme": sme, "shop_url": shop_url, "shop_qr": qr.data_uri(shop_url, scale=4), "labels": labels}
    return render_pdf("catalog/labels.html", context, request=request)
