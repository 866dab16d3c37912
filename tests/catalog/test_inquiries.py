"""Inquiries from the public site: the form, its limits against spam, and where they land."""

import pytest
from django.urls import reverse
from django.utils import translation

from sentra.catalog import services
from sentra.catalog.models import Inquiry

from .factories import ProductFactory

FORM = {"name": "Kenji Sato", "organisation": "Osaka Foods", "country": "JP", "email": "kenji@example.jp",
        "phone": "", "quantity": "500", "message": "Do you export to Japan?", "website": ""}  # fmt: skip


@pytest.fixture
def product(db):
    return ProductFactory()


def ask_url(product, language="en"):
    with translation.override(language):
        return reverse("catalog:product_inquiry", args=[product.sme.storefront.slug, product.slug])


def test_a_visitor_sends_an_inquiry_that_lands_in_the_smes_inbox(client, product):
    response = client.post(ask_url(product), FORM)
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert (inquiry.sme, inquiry.product, inquiry.quantity, inquiry.country.code) == (
        product.sme,
        product,
        500,
        "JP",
    )
    assert inquiry.language == "en" and inquiry.status == Inquiry.Status.OPEN
    assert "Kenji" not in inquiry.sender_key and len(inquiry.sender_key) == 64


def test_an_inquiry_without_any_contact_is_refused_with_a_reason(client, product):
    response = client.post(ask_url(product), {**FORM, "email": "", "phone": ""})
    assert response.status_code == 200 and "email address or a phone number" in response.content.decode()
    assert not Inquiry.objects.exists()


def test_a_bot_filling_the_hidden_field_is_told_it_worked_and_nothing_is_kept(client, product):
    response = client.post(ask_url(product), {**FORM, "website": "http://spam.example"})
    assert response.status_code == 302 and not Inquiry.objects.exists()


def test_one_sender_is_limited_to_a_few_inquiries_an_hour(client, product):
    for _ in range(services.INQUIRIES_PER_HOUR):
        client.post(ask_url(product), FORM)
    response = client.post(ask_url(product), FORM)
    assert response.status_code == 200 and "many inquiries" in response.content.decode()
    assert Inquiry.objects.count() == services.INQUIRIES_PER_HOUR
    other = client.post(ask_url(product), FORM, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 302


def test_officers_see_inquiries_of_their_area_only(client, officer, kecamatan):
    from tests.registry.factories import SmeFactory

    here = ProductFactory(sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"]))
    there = ProductFactory(sme=SmeFactory(kecamatan=kecamatan["tambun_selatan"]))
    client.post(ask_url(here), {**FORM, "name": "Pembeli Cikarang"})
    client.post(ask_url(there), {**FORM, "name": "Pembeli Tambun"})
    client.force_login(officer)
    html = client.get(reverse("catalog_officer:inquiries")).content.decode()
    assert "Pembeli Cikarang" in html and "Pembeli Tambun" not in html
    hidden = Inquiry.objects.get(name="Pembeli Tambun")
    assert client.get(reverse("catalog_officer:inquiry", args=[hidden.public_id])).status_code == 404


def test_an_inquiry_for_a_product_that_is_not_public_answers_404(client, db):
    draft = ProductFactory(draft=True)
    assert client.post(ask_url(draft), FORM).status_code == 404


def test_a_reply_whose_author_s_account_was_removed_still_shows(client, product, regency_officer, sme_owner):
    client.post(ask_url(product), FORM)
    inquiry = Inquiry.objects.get(name="Kenji Sato")
    services.reply_inquiry(inquiry=inquiry, actor=sme_owner, body="Ya, kami ekspor.", notify=False)
    sme_owner.delete()
    client.force_login(regency_officer)
    response = client.get(reverse("catalog_officer:inquiry", args=[inquiry.public_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ya, kami ekspor." in html and "akun yang telah dihapus" in html
