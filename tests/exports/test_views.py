"""The export pages: each works, keeps to the user's scope, refuses bad input without losing it."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfWriter

from conftest import CANARY_PHONE
from sentra.core.models import AccessLog
from sentra.exports.models import DealDocument, ExportDeal, Payment, PurchaseOrder, Shipment
from tests.registry.factories import SmeFactory

from .factories import BuyerFactory, ContactFactory, export_product, ordered, shipped_order

pytestmark = pytest.mark.django_db


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


OFFICER_PAGES = [
    "exports:home", "exports:readiness_list", "exports:buyer_list", "exports:buyer_create", "exports:deal_list",
    "exports:deal_create", "exports:order_create", "exports:shipment_list", "exports:international_products",
    "exports:report", "exports:domestic_list",
]  # fmt: skip


@pytest.mark.parametrize("name", OFFICER_PAGES)
def test_every_officer_page_opens_with_data(client, regency_officer, shipped, name):
    client.force_login(regency_officer)
    response = client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["cashier", "partner", "buyer", "outsider", "sme_owner"])
def test_roles_outside_the_dinas_cannot_open_the_officers_pages(client, personas, role):
    client.force_login(personas[role])
    for name in ("exports:home", "exports:deal_list", "exports:report", "exports:buyer_list"):
        assert client.get(reverse(name)).status_code == 403


def test_a_scoped_officer_gets_404_for_a_deal_outside_their_kecamatan(client, officer, tambun_sme, shipped):
    other = shipped_order(product=export_product(sme=tambun_sme), on=dt.date(2024, 6, 1))
    client.force_login(officer)
    assert client.get(reverse("exports:deal_detail", args=[shipped.deal.public_id])).status_code == 200
    assert client.get(reverse("exports:deal_detail", args=[other.deal.public_id])).status_code == 404
    assert client.get(reverse("exports:readiness_sme", args=[tambun_sme.public_id])).status_code == 404


def test_the_owner_sees_their_own_deal_and_readiness_but_not_anothers(client, sme_owner, shipped, tambun_sme):
    client.force_login(sme_owner)
    page = client.get(reverse("exports:deal_detail", args=[shipped.deal.public_id]))
    assert page.status_code == 200 and shipped.number in page.content.decode()
    assert (
        "Record the shipment" not in page.content.decode() and "Catat pengiriman" not in page.content.decode()
    )
    assert client.get(reverse("exports:readiness_sme", args=[shipped.deal.sme.public_id])).status_code == 200
    assert client.get(reverse("exports:my_exports")).status_code == 200
    assert client.get(reverse("exports:readiness_sme", args=[tambun_sme.public_id])).status_code == 404
    response = client.post(reverse("exports:shipment_add", args=[shipped.deal.public_id]), {})
    assert response.status_code == 403


def _po_data(product, buyer, **overrides):
    data = {
        "buyer": buyer.pk, "number": "OSK-88", "ordered_on": "2024-09-02", "currency": "JPY", "rate": "105,25",
        "incoterm": "FOB", "payment_terms": "deposit",
        "lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0",
        "lines-0-product": product.pk, "lines-0-quantity": "500", "lines-0-unit_price": "320",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_an_officer_records_a_purchase_order_in_yen_with_its_rupiah_value(client, regency_officer):
    product, buyer = export_product(), BuyerFactory(country="JP")
    client.force_login(regency_officer)
    response = client.post(reverse("exports:order_create"), _po_data(product, buyer))
    assert response.status_code == 302
    order = PurchaseOrder.objects.get()
    assert (order.currency, order.value_minor, order.value_idr) == ("JPY", 160_000, 16_840_000)
    assert order.deal.stage == ExportDeal.Stage.ORDERED and order.deal.sme == product.sme


@pytest.mark.parametrize(
    ("field", "value"),
    [("rate", ""), ("currency", ""), ("rate", "15.750"), ("lines-0-unit_price", "3.5"), ("lines-0-quantity", "0"),
     ("ordered_on", "2024-13-01")],
)  # fmt: skip
def test_a_purchase_order_with_bad_input_is_refused_with_the_form_kept(client, regency_officer, field, value):
    product, buyer = export_product(), BuyerFactory(country="JP")
    client.force_login(regency_officer)
    response = client.post(reverse("exports:order_create"), _po_data(product, buyer, **{field: value}))
    assert response.status_code == 400
    assert "OSK-88" in response.content.decode()  # what was typed is still there
    assert not PurchaseOrder.objects.exists() and not ExportDeal.objects.exists()


def test_a_shipment_dated_before_its_po_is_refused_on_the_deal_page(client, regency_officer):
    order = ordered(on=dt.date(2024, 6, 1))
    client.force_login(regency_officer)
    data = {"shipment-shipped_on": "2024-05-01", "shipment-port": "Tanjung Priok", "shipment-destination_country": "JP",
            "shipment-transport": "sea"}  # fmt: skip
    response = client.post(reverse("exports:shipment_add", args=[order.deal.public_id]), data)
    assert response.status_code == 400
    assert "2024-06-01" in response.content.decode()
    assert not Shipment.objects.exists()


def test_a_payment_above_the_po_value_asks_for_confirmation_before_it_is_recorded(
    client, regency_officer, shipped
):
    client.force_login(regency_officer)
    url = reverse("exports:payment_add", args=[shipped.deal.public_id])
    too_much = f"{shipped.value_minor / 100 + 10:.2f}"
    data = {"payment-received_on": "2024-05-10", "payment-amount": too_much}
    response = client.post(url, data)
    assert response.status_code == 400
    assert 'type="checkbox" name="payment-confirm_over"' in response.content.decode()
    assert not Payment.objects.exists()
    assert client.post(url, {**data, "payment-confirm_over": "on"}).status_code == 302
    assert Payment.objects.get().amount_minor == shipped.value_minor + 1000


def test_a_real_pdf_is_attached_and_downloaded_and_a_disguised_file_is_refused(
    client, regency_officer, shipped
):
    client.force_login(regency_officer)
    url = reverse("exports:document_add", args=[shipped.deal.public_id])
    fake = SimpleUploadedFile("peb.pdf", b"this is not a pdf", content_type="application/pdf")
    response = client.post(url, {"document-step": "shipment", "document-kind": "peb", "document-file": fake})
    assert response.status_code == 400 and not DealDocument.objects.exists()
    real = SimpleUploadedFile("PEB 000123.pdf", _pdf(), content_type="application/pdf")
    response = client.post(url, {"document-step": "shipment", "document-kind": "peb", "document-file": real})
    assert response.status_code == 302
    document = DealDocument.objects.get()
    download = client.get(reverse("exports:document_download", args=[document.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(SmeFactory().accounts.create(username="other_owner", role="sme_owner"))
    assert client.get(reverse("exports:document_download", args=[document.pk])).status_code == 404


def test_buyer_contacts_are_masked_until_an_officer_asks_and_the_reveal_is_logged(client, regency_officer):
    contact = ContactFactory(phone=CANARY_PHONE)
    client.force_login(regency_officer)
    page = client.get(reverse("exports:buyer_detail", args=[contact.buyer.public_id])).content.decode()
    assert CANARY_PHONE not in page and contact.email not in page
    assert not AccessLog.objects.exists()
    revealed = client.post(reverse("exports:buyer_contacts", args=[contact.buyer.public_id])).content.decode()
    assert CANARY_PHONE in revealed
    assert AccessLog.objects.get().fields == "contact.phone,contact.email"


def test_the_report_workbook_reads_back_with_the_figures_of_the_page(client, regency_officer, shipped):
    client.force_login(regency_officer)
    response = client.get(reverse("exports:report_xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    by_year = list(book.worksheets[0].iter_rows(values_only=True))
    assert by_year[1][:4] == (2024, 1, 1, 1)
    shipments = list(book.worksheets[-1].iter_rows(values_only=True))
    assert shipments[1][4] == shipped.number and shipments[1][9] == shipped.value_idr


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "name", ["exports:deal_list", "exports:shipment_list", "exports:buyer_list", "exports:readiness_list",
             "exports:international_products", "exports:report", "exports:home", "exports:domestic_list"],
)  # fmt: skip
def test_list_and_report_pages_cost_the_same_queries_whatever_the_rows(client, officer, cikarang_sme, name):
    client.force_login(officer)
    shipped_order(product=export_product(sme=cikarang_sme), on=dt.date(2024, 1, 5))
    before = _count(client, reverse(name))
    for month in range(2, 7):
        sme = SmeFactory(kecamatan=cikarang_sme.kecamatan)
        shipped_order(
            product=export_product(sme=sme), on=dt.date(2024, month, 5), buyer=BuyerFactory(country="SG")
        )
    assert _count(client, reverse(name)) == before


def test_a_figure_of_the_report_links_to_the_records_it_counts(client, regency_officer, shipped):
    client.force_login(regency_officer)
    html = client.get(reverse("exports:report")).content.decode()
    assert reverse("exports:international_products") + "?first=2024" in html
    listed = client.get(reverse("exports:international_products") + "?first=2024").content.decode()
    assert shipped.lines.get().product.name_id in listed
    assert client.get(reverse("exports:international_products") + "?first=abc").status_code == 302


def test_an_officer_adds_a_buyer_with_a_contact_whose_phone_the_audit_keeps_masked(client, regency_officer):
    from sentra.core.models import AuditEntry
    from sentra.exports.models import ForeignBuyer

    client.force_login(regency_officer)
    data = {
        "name": "Osaka Shokuhin", "country": "JP", "city": "Osaka", "website": "osaka.example",
        "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "Haruto Sato", "contacts-0-phone": CANARY_PHONE, "contacts-0-email": "sato@osaka.example",
    }  # fmt: skip
    assert client.post(reverse("exports:buyer_create"), data).status_code == 302
    buyer = ForeignBuyer.objects.get()
    assert buyer.contacts.get().phone == CANARY_PHONE and buyer.website == "https://osaka.example"
    assert CANARY_PHONE not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_a_buyer_without_a_country_or_a_contact_without_a_name_is_refused(client, regency_officer):
    from sentra.exports.models import ForeignBuyer

    client.force_login(regency_officer)
    data = {"name": "No Country Ltd", "country": "", "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0",
            "contacts-0-phone": "+81 1234"}  # fmt: skip
    response = client.post(reverse("exports:buyer_create"), data)
    assert response.status_code == 400 and not ForeignBuyer.objects.exists()
    assert "No Country Ltd" in response.content.decode()


def test_the_owners_export_page_costs_the_same_queries_whatever_their_deals(client, sme_owner, cikarang_sme):
    client.force_login(sme_owner)
    shipped_order(product=export_product(sme=cikarang_sme), on=dt.date(2024, 1, 5))
    before = _count(client, reverse("exports:my_exports"))
    for month in range(2, 6):
        shipped_order(product=export_product(sme=cikarang_sme), on=dt.date(2024, month, 5))
    assert _count(client, reverse("exports:my_exports")) == before


def test_the_shipment_list_shows_the_days_from_po_to_shipment_the_median_is_taken_from(
    client, regency_officer
):
    shipped_order(product=export_product(), on=dt.date(2024, 5, 31), ordered_on=dt.date(2024, 5, 1))
    client.force_login(regency_officer)
    html = client.get(reverse("exports:shipment_list") + "?year=2024").content.decode()
    assert '<td class="text-end">30</td>' in html
