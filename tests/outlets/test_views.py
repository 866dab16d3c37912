"""The till, the officer's pages and the owner's statements: works, checks scope, rejects bad input."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from sentra.outlets import services
from sentra.outlets.models import CooperationTurnover, Outlet, Sale, Statement

from .factories import OutletFactory, stock


def signed_in(client, user):
    client.force_login(user)
    return client


def sell_url(outlet):
    return reverse("pos:record", args=[outlet.public_id])


def post_sale(client, outlet, lines, key="k1", **extra):
    data = {
        "client_key": key,
        "product": [p.pk for p, _q in lines],
        "qty": [str(q) for _p, q in lines],
        "payment": "cash",
        "cash_received": "1.000.000",
    }
    data.update(extra)
    return client.post(sell_url(outlet), data, HTTP_X_OUTBOX="1")


def test_cashier_sells_through_the_till_and_a_retry_is_the_same_sale(client, outlet, products, cashier):
    stock(outlet, products[0], 3, retail=15000)
    signed_in(client, cashier)
    page = client.get(reverse("pos:sell", args=[outlet.public_id]))
    assert page.status_code == 200 and products[0].barcode.encode() in page.content
    first = post_sale(client, outlet, [(products[0], 2)])
    assert first.status_code == 200 and b"data-sale-ok" in first.content
    again = post_sale(client, outlet, [(products[0], 2)])
    assert b"data-sale-again" in again.content
    assert Sale.objects.count() == 1 and services.on_hand(outlet, products[0]) == 1
    sale = Sale.objects.get()
    receipt = client.get(reverse("pos:receipt", args=[outlet.public_id, sale.public_id]), {"paper": "58"})
    assert (
        receipt.status_code == 200 and sale.number.encode() in receipt.content and b"58mm" in receipt.content
    )


def test_cashier_menu_leads_to_their_own_outlet(client, outlet, cashier):
    signed_in(client, cashier)
    assert client.get(reverse("pos:my_till")).url == reverse("pos:sell", args=[outlet.public_id])
    assert client.get(reverse("pos:my_closing")).url == reverse("pos:closing", args=[outlet.public_id])


def test_cashier_cannot_see_or_sell_at_another_outlet(client, outlet, other_outlet, products, cashier):
    stock(other_outlet, products[0], 3)
    signed_in(client, cashier)
    assert client.get(reverse("pos:sell", args=[other_outlet.public_id])).status_code == 404
    assert post_sale(client, other_outlet, [(products[0], 1)]).status_code == 404
    assert client.get(reverse("pos:stock", args=[other_outlet.public_id])).status_code == 404
    assert client.get(reverse("outlets:detail", args=[outlet.public_id])).status_code == 403
    assert not Sale.objects.exists()


@pytest.mark.parametrize("qty", ["0", "-1", "1.5", "abc", ""])
def test_the_till_refuses_bad_quantities_with_a_message(client, outlet, products, cashier, qty):
    stock(outlet, products[0], 3)
    signed_in(client, cashier)
    response = post_sale(client, outlet, [(products[0], qty)])
    assert response.status_code == 409 and b"data-sale-error" in response.content
    assert not Sale.objects.exists() and services.on_hand(outlet, products[0]) == 3


def test_the_till_says_sold_out_and_not_in_stock(client, outlet, products, cashier):
    stock(outlet, products[0], 1)
    signed_in(client, cashier)
    assert post_sale(client, outlet, [(products[0], 2)]).status_code == 409
    assert post_sale(client, outlet, [(products[1], 1)], key="k2").status_code == 409
    assert not Sale.objects.exists() and services.on_hand(outlet, products[0]) == 1


def test_void_and_return_from_the_days_sales(client, outlet, products, cashier):
    stock(outlet, products[0], 5, retail=10000)
    signed_in(client, cashier)
    post_sale(client, outlet, [(products[0], 3)])
    sale = Sale.objects.get()
    url = reverse("pos:return", args=[outlet.public_id, sale.public_id])
    line = sale.lines.get()
    client.post(url, {"line": line.pk, "quantity": "5", "reason": "rusak"})
    line.refresh_from_db()
    assert line.returned_quantity == 0
    client.post(url, {"line": line.pk, "quantity": "1", "reason": "rusak"})
    line.refresh_from_db()
    assert line.returned_quantity == 1
    client.post(reverse("pos:void", args=[outlet.public_id, sale.public_id]), {"reason": ""})
    assert Sale.objects.get().status == "completed"
    client.post(reverse("pos:void", args=[outlet.public_id, sale.public_id]), {"reason": "salah input"})
    assert Sale.objects.get().status == "voided" and services.on_hand(outlet, products[0]) == 5
    assert client.get(reverse("pos:sales", args=[outlet.public_id])).status_code == 200


def test_closing_the_day_from_the_till(client, outlet, products, cashier):
    stock(outlet, products[0], 5, retail=10000)
    signed_in(client, cashier)
    post_sale(client, outlet, [(products[0], 2)])
    url = reverse("pos:closing", args=[outlet.public_id])
    client.post(url, {"counted_cash": "banyak"})
    assert not outlet.closings.exists()
    client.post(url, {"counted_cash": "20.000", "opening_float": "0"})
    closing = outlet.closings.get()
    assert (closing.expected_cash, closing.difference) == (20000, 0)
    assert b"20.000" in client.get(url).content


def test_officer_pages_work_and_stay_in_scope(client, officer, outlet, products, kecamatan):
    elsewhere = OutletFactory(kecamatan=kecamatan["tambun_selatan"])
    signed_in(client, officer)
    assert client.get(reverse("outlets:list")).status_code == 200
    assert client.get(reverse("outlets:detail", args=[elsewhere.public_id])).status_code == 404
    response = client.post(
        reverse("outlets:stock_in", args=[outlet.public_id]),
        {"code-0": products[0].code, "qty-0": "4", "consignment-0": "8.000", "retail-0": "10.000"},
    )
    assert response.status_code == 302 and services.on_hand(outlet, products[0]) == 4
    assert client.get(response.url).status_code == 200  # the note to sign
    client.post(
        reverse("outlets:move", args=[outlet.public_id]),
        {"action": "count", "code": products[0].code, "quantity": "3", "reason": ""},
    )
    assert services.on_hand(outlet, products[0]) == 4
    client.post(
        reverse("outlets:move", args=[outlet.public_id]),
        {"action": "count", "code": products[0].code, "quantity": "3", "reason": "hilang"},
    )
    assert services.on_hand(outlet, products[0]) == 3
    today = timezone.localdate()
    assert (
        client.get(
            reverse("outlets:settlement", args=[outlet.public_id, today.year, today.month])
        ).status_code
        == 200
    )
    assert client.get(reverse("outlets:reports")).status_code == 200
    assert client.get(reverse("outlets:ledger", args=[outlet.public_id])).status_code == 200


def test_outlet_list_queries_do_not_grow_with_outlets(client, officer, django_assert_max_num_queries):
    signed_in(client, officer)
    for _i in range(2):
        OutletFactory()
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("outlets:list"))
    for _i in range(8):
        OutletFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("outlets:list"))


def test_owner_sees_this_months_sale_and_the_closed_months_pdf(
    client, outlet, products, cashier, officer, sme_owner
):
    products[0].sme.accounts.add(sme_owner)
    stock(outlet, products[0], 5, retail=10000)
    services.record_sale(
        outlet=outlet, cashier=cashier, lines=[(products[0], 2)], payment="qris", client_key="now"
    )
    first = timezone.localdate().replace(day=1)
    last = first - dt.timedelta(days=1)
    at = timezone.make_aware(dt.datetime(last.year, last.month, 10, 12))
    services.record_sale(
        outlet=outlet, cashier=cashier, lines=[(products[0], 1)], payment="qris", client_key="then", at=at
    )
    services.close_month(outlet=outlet, year=last.year, month=last.month, actor=officer)
    signed_in(client, sme_owner)
    page = client.get(reverse("outlets_owner:statements"))
    assert page.status_code == 200
    assert b"16.000" in page.content  # this month: 20.000 gross less 20% commission
    statement = Statement.objects.get()
    pdf = client.get(reverse("outlets_owner:statement_pdf", args=[statement.public_id]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_another_owner_cannot_download_the_statement(client, outlet, products, cashier, officer):
    from conftest import make_user

    first = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    stock(outlet, products[0], 5)
    services.record_sale(
        outlet=outlet,
        cashier=cashier,
        lines=[(products[0], 1)],
        payment="qris",
        client_key="x",
        at=timezone.make_aware(dt.datetime(first.year, first.month, 5, 12)),
    )
    services.close_month(outlet=outlet, year=first.year, month=first.month, actor=officer)
    stranger = make_user("other_owner", "sme_owner")
    signed_in(client, stranger)
    assert (
        client.get(
            reverse("outlets_owner:statement_pdf", args=[Statement.objects.get().public_id])
        ).status_code
        == 404
    )


def photo():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = "laporan.jpg"
    return buffer


def test_partner_records_cooperation_turnover_with_evidence(client, partner, officer, tmp_path, settings):
    from tests.partners.factories import PartnerFactory

    settings.MEDIA_ROOT = tmp_path
    org = PartnerFactory()
    org.users.add(partner)
    canteen = OutletFactory(
        kind=Outlet.Kind.CANTEEN, agreement=Outlet.Agreement.REVENUE_SHARE, partner=org, rate_bp=1000
    )
    signed_in(client, partner)
    url = reverse("outlets:turnover", args=[canteen.public_id])
    bad = io.BytesIO(b"not an image")
    bad.name = "x.jpg"
    client.post(
        url, {"starts_on": "2026-01-01", "ends_on": "2026-01-31", "turnover": "50000000", "evidence": bad}
    )
    assert not CooperationTurnover.objects.exists()
    client.post(
        url, {"starts_on": "2026-01-01", "ends_on": "2026-01-31", "turnover": "50000000", "evidence": photo()}
    )
    report = CooperationTurnover.objects.get()
    assert (report.turnover, report.dinas_share, report.evidence_kind) == (50_000_000, 5_000_000, "photo")
    assert (
        client.get(
            reverse("outlets:turnover_evidence", args=[canteen.public_id, report.public_id])
        ).status_code
        == 200
    )
    other = OutletFactory(agreement=Outlet.Agreement.REVENUE_SHARE)
    assert client.get(reverse("outlets:turnover", args=[other.public_id])).status_code == 404


def _sell_last_month(outlet, product, cashier, key, quantity=1):
    first = timezone.localdate().replace(day=1)
    last = first - dt.timedelta(days=1)
    at = timezone.make_aware(dt.datetime(last.year, last.month, 10, 12))
    services.record_sale(
        outlet=outlet, cashier=cashier, lines=[(product, quantity)], payment="qris", client_key=key, at=at
    )
    return last


def test_owner_statements_queries_do_not_grow_with_outlets(
    client, products, cashier, officer, sme_owner, django_assert_max_num_queries
):
    """The owner's page: this month at every outlet the SME consigns to, and every closed statement."""
    product = products[0]
    product.sme.accounts.add(sme_owner)
    signed_in(client, sme_owner)

    def consign_at_a_new_outlet(n):
        outlet = OutletFactory()
        services.assign_cashier(outlet=outlet, user=cashier, actor=None)
        stock(outlet, product, 5)
        services.record_sale(
            outlet=outlet, cashier=cashier, lines=[(product, 1)], payment="qris", client_key=f"now{n}"
        )
        last = _sell_last_month(outlet, product, cashier, f"then{n}")
        services.close_month(outlet=outlet, year=last.year, month=last.month, actor=officer)

    consign_at_a_new_outlet(0)
    with django_assert_max_num_queries(20) as few:
        page = client.get(reverse("outlets_owner:statements"))
    assert page.content.count(b"data-statement") == 1
    for n in range(1, 4):
        consign_at_a_new_outlet(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("outlets_owner:statements"))
    assert page.content.count(b"data-statement") == 4


@pytest.mark.parametrize("closed", [False, True])
def test_settlement_queries_do_not_grow_with_smes(
    client, cashier, officer, kecamatan, closed, django_assert_max_num_queries
):
    """A month's settlement, open (figures as they stand) and closed (fixed statements): an outlet
    where one SME sold against one where four did."""
    from tests.catalog.factories import ProductFactory
    from tests.registry.factories import SmeFactory

    def settlement_with(smes):
        outlet = OutletFactory()
        services.assign_cashier(outlet=outlet, user=cashier, actor=None)
        for n in range(smes):
            product = ProductFactory(sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"]))
            stock(outlet, product, 3)
            last = _sell_last_month(outlet, product, cashier, f"{outlet.code}-{n}")
        if closed:
            services.close_month(outlet=outlet, year=last.year, month=last.month, actor=officer)
        return reverse("outlets:settlement", args=[outlet.public_id, last.year, last.month])

    one, four = settlement_with(1), settlement_with(4)
    signed_in(client, officer)
    with django_assert_max_num_queries(20) as few:
        assert client.get(one).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(four)
    assert page.status_code == 200
    assert page.content.count(b"<tr") >= 5  # a header and four SMEs


def test_a_refused_stock_in_note_shows_every_line_again_as_typed(client, officer, outlet, products):
    signed_in(client, officer)
    response = client.post(
        reverse("outlets:stock_in", args=[outlet.public_id]),
        {
            "code-0": products[0].code, "qty-0": "4", "consignment-0": "8.000", "retail-0": "10.000",
            "expires-0": "2027-03-01",
            "code-1": "TIDAK-ADA", "qty-1": "2", "consignment-1": "5.000", "retail-1": "7.500",
        },
    )  # fmt: skip
    html = response.content.decode()
    with translation.override("id"):  # the page's language
        refusal = translation.gettext("No product has the code %(code)s.") % {"code": "TIDAK-ADA"}
    assert response.status_code == 200 and refusal in html
    assert services.on_hand(outlet, products[0]) == 0
    for value in (products[0].code, "8.000", "10.000", "2027-03-01", "TIDAK-ADA", "7.500"):
        assert f'value="{value}"' in html


def test_the_stock_in_form_offers_the_products_the_outlet_has_held(
    client, officer, outlet, other_outlet, products
):
    stock(outlet, products[0], 3)
    stock(other_outlet, products[1], 3)
    signed_in(client, officer)
    html = client.get(reverse("outlets:stock_in", args=[outlet.public_id])).content.decode()
    offered = html[html.index('<datalist id="outlet-products">') :]
    assert (
        f'<option value="{products[0].code}">{products[0].name} · {products[0].sme.name}</option>' in offered
    )
    assert products[1].code not in offered
