"""The SME owner's pages: products, photos, storefront, inquiries — and nobody else's."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from sentra.catalog import services
from sentra.catalog.models import Inquiry, Product, ProductPhoto
from tests.registry.factories import SmeFactory

from .factories import ProductFactory


def jpeg_with_location(size=(1200, 900)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "CanonFake"  # Make
    exif[0x8825] = {1: "S", 2: (6.0, 15.0, 30.0), 3: "E", 4: (107.0, 9.0, 12.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def own_product(owned_sme):
    return ProductFactory(sme=owned_sme, draft=True, name_id="Rengginang Ketan")


def test_an_owner_adds_a_product_as_a_draft_and_sends_it_for_curation(client, sme_owner, owned_sme, category):
    client.force_login(sme_owner)
    response = client.post(
        reverse("catalog_owner:product_create"),
        {"sme": owned_sme.pk, "name_id": "Kerupuk Udang", "category": category.pk, "price": "Rp 20.000",
         "unit": "pack", "min_order": 1, "stock_status": "available"},
    )  # fmt: skip
    product = Product.objects.get(name_id="Kerupuk Udang")
    assert response.status_code == 302 and product.price == 20000 and product.status == Product.Status.DRAFT
    client.post(reverse("catalog_owner:product_submit", args=[product.public_id]))
    product.refresh_from_db()
    assert product.status == Product.Status.PENDING


def test_a_product_form_with_a_bad_price_is_refused_with_a_reason_and_saves_nothing(
    client, sme_owner, owned_sme, category
):
    client.force_login(sme_owner)
    response = client.post(
        reverse("catalog_owner:product_create"),
        {"sme": owned_sme.pk, "name_id": "Kerupuk", "category": category.pk, "price": "0", "unit": "pack",
         "min_order": 1, "stock_status": "available"},
    )  # fmt: skip
    assert response.status_code == 200 and "Masukkan harga" in response.content.decode()
    assert not Product.objects.filter(name_id="Kerupuk").exists()


def test_an_owner_cannot_reach_another_owners_product_or_inquiry(client, sme_owner, db):
    other = ProductFactory()
    inquiry = services.send_inquiry(
        sme=other.sme, product=other, data={"name": "Budi", "email": "budi@example.com", "message": "Halo"},
        sender="10.0.0.1", language="id",
    )  # fmt: skip
    client.force_login(sme_owner)
    assert client.get(reverse("catalog_owner:product", args=[other.public_id])).status_code == 404
    assert client.get(reverse("catalog_owner:product_edit", args=[other.public_id])).status_code == 404
    assert client.get(reverse("catalog_owner:inquiry", args=[inquiry.public_id])).status_code == 404
    assert client.get(reverse("catalog_owner:storefront", args=[other.sme.public_id])).status_code == 404


@pytest.mark.parametrize("role", ["cashier", "partner", "buyer", "outsider", "officer"])
def test_other_roles_cannot_open_the_owner_pages(client, personas, role):
    client.force_login(personas[role])
    assert client.get(reverse("catalog_owner:products")).status_code == 403


def test_a_photo_is_stored_without_exif_or_location_and_gets_a_thumbnail(sme_owner, own_product):
    upload = SimpleUploadedFile("kamera.jpg", jpeg_with_location(), content_type="image/jpeg")
    assert Image.open(io.BytesIO(jpeg_with_location())).getexif().get(0x010F) == "CanonFake"
    photo = services.add_photo(product=own_product, actor=sme_owner, upload=upload)
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG" and not stored.getexif() and "exif" not in stored.info
        assert max(stored.size) <= services.PHOTO_SIZE
    with Image.open(photo.thumbnail.path) as thumb:
        assert max(thumb.size) == services.THUMBNAIL_SIZE and not thumb.getexif()


def test_a_sideways_phone_photo_is_stored_upright(sme_owner, own_product):
    image = Image.new("RGB", (400, 200), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    photo = services.add_photo(
        product=own_product, actor=sme_owner, upload=SimpleUploadedFile("hp.jpg", out.getvalue())
    )
    assert (photo.width, photo.height) == (200, 400)


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"%PDF-1.4 not a photo", "bukan foto"),
        (b"GIF89a" + b"\x00" * 100, "bukan foto"),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_saved(
    client, sme_owner, own_product, content, reason
):
    client.force_login(sme_owner)
    response = client.post(
        reverse("catalog_owner:photo_add", args=[own_product.public_id]),
        {"photo": SimpleUploadedFile("foto.jpg", content, content_type="image/jpeg")},
        follow=True,
    )
    assert (
        reason in response.content.decode().lower()
        or "jpeg, png atau webp" in response.content.decode().lower()
    )
    assert not ProductPhoto.objects.exists()


def test_an_oversized_photo_is_refused(sme_owner, own_product):
    big = SimpleUploadedFile("besar.jpg", b"\xff\xd8" + b"\x00" * (services.MAX_PHOTO_BYTES + 1))
    with pytest.raises(services.CatalogError, match="5 MB"):
        services.add_photo(product=own_product, actor=sme_owner, upload=big)
    assert not ProductPhoto.objects.exists()


def test_the_owner_replies_to_an_inquiry_by_email_and_closes_it(client, sme_owner, owned_sme, mailoutbox):
    product = ProductFactory(sme=owned_sme)
    inquiry = services.send_inquiry(
        sme=owned_sme, product=product, data={"name": "Kenji", "email": "kenji@example.jp", "country": "JP",
                                              "quantity": 500, "message": "Can you ship to Osaka?"},
        sender="192.0.2.5", language="en",
    )  # fmt: skip
    client.force_login(sme_owner)
    inbox = client.get(reverse("catalog_owner:inbox")).content.decode()
    assert "Kenji" in inbox
    client.post(reverse("catalog_owner:inquiry", args=[inquiry.public_id]), {"body": "Yes, by sea freight."})
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.ANSWERED
    assert mailoutbox[0].to == ["kenji@example.jp"] and "sea freight" in mailoutbox[0].body
    client.post(reverse("catalog_owner:inquiry_close", args=[inquiry.public_id]))
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.CLOSED


def test_the_owner_pages_cost_the_same_queries_for_few_or_many_products(client, sme_owner, owned_sme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(sme_owner)
    first = ProductFactory(sme=owned_sme)
    services.send_inquiry(
        sme=owned_sme, product=first, data={"name": "A", "phone": "0812", "message": "?"}, sender="10.2.0.1",
        language="id",
    )  # fmt: skip
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("catalog_owner:products"))
        client.get(reverse("catalog_owner:inbox"))
    for _ in range(10):
        product = ProductFactory(sme=owned_sme)
        services.send_inquiry(
            sme=owned_sme, product=product, data={"name": "A", "phone": "0812", "message": "?"},
            sender=f"10.1.0.{product.pk}", language="id",
        )  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("catalog_owner:products"))
        client.get(reverse("catalog_owner:inbox"))
    assert len(many) == len(few)


def test_the_label_sheet_is_a_pdf_with_each_published_product_and_its_price(client, sme_owner, owned_sme):
    from pypdf import PdfReader

    ProductFactory(sme=owned_sme, name_id="Rengginang Ketan", price=12000)
    ProductFactory(sme=owned_sme, name_id="Belum Dikurasi", draft=True)
    client.force_login(sme_owner)
    response = client.get(reverse("catalog_owner:labels", args=[owned_sme.public_id]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Rengginang Ketan" in text and "Rp 12.000" in text and "Belum Dikurasi" not in text


def test_the_qr_codes_encode_the_public_address_of_the_page(rf, owned_sme):
    from sentra.catalog import labels

    product = ProductFactory(sme=owned_sme)
    captured = []
    original = labels.qr.data_uri

    def spy(data, **kwargs):
        captured.append(data)
        return original(data, **kwargs)

    labels.qr.data_uri = spy
    try:
        labels.label_sheet(request=rf.get("/"), sme=owned_sme)
    finally:
        labels.qr.data_uri = original
    shop = owned_sme.storefront.slug
    assert sorted(captured) == [
        f"http://testserver/id/umkm/{shop}/",
        f"http://testserver/id/umkm/{shop}/{product.slug}/",
    ]


def test_a_storefront_slug_taken_by_another_business_is_refused(client, sme_owner, owned_sme):
    other = services.ensure_storefront(SmeFactory())
    client.force_login(sme_owner)
    response = client.post(
        reverse("catalog_owner:storefront", args=[owned_sme.public_id]), {"slug": other.slug}
    )
    assert response.status_code == 200 and other.slug != services.ensure_storefront(owned_sme).slug


def test_an_owner_withdraws_a_published_product_and_it_leaves_the_catalogue(client, sme_owner, owned_sme):
    from sentra.core.models import AuditEntry

    product = ProductFactory(sme=owned_sme, name_id="Dodol Betawi Durian")
    client.force_login(sme_owner)
    page = client.get(reverse("catalog_owner:product", args=[product.public_id])).content.decode()
    assert reverse("catalog_owner:product_withdraw", args=[product.public_id]) in page
    client.post(
        reverse("catalog_owner:product_withdraw", args=[product.public_id]),
        {"reason": "  tidak dibuat lagi "},
    )
    product.refresh_from_db()
    assert product.status == Product.Status.WITHDRAWN
    assert not Product.objects.public().filter(pk=product.pk).exists()
    entry = AuditEntry.objects.filter(verb="catalog.product.withdrawn").latest("pk")
    assert entry.note == "tidak dibuat lagi"
    # Twice is refused with a reason; a stranger's product is out of reach.
    response = client.post(reverse("catalog_owner:product_withdraw", args=[product.public_id]), follow=True)
    assert "already withdrawn" in response.content.decode() or "sudah ditarik" in response.content.decode()
    other = ProductFactory(sme=SmeFactory())
    assert client.post(reverse("catalog_owner:product_withdraw", args=[other.public_id])).status_code == 404
    other.refresh_from_db()
    assert other.status == Product.Status.APPROVED
