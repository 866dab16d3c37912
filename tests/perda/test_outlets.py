"""A realisation report pointing to an outlet (gerai) its business hosts: the outlet's consigning SMEs
and floor space fill the report in; another business's outlet is refused; the review links to it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sentra.core.models import AuditEntry
from sentra.outlets.models import Outlet
from sentra.outlets.services import consignors, count_stock
from sentra.perda import services
from sentra.perda.models import Basis, Realisation
from tests.catalog.factories import ProductFactory
from tests.outlets.factories import OutletFactory, stock
from tests.partners.helpers import png_upload
from tests.registry.factories import SmeFactory

from .factories import ObligationFactory, submit

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def obligation(mall):
    return ObligationFactory(partner=mall)


@pytest.fixture
def gerai(mall):
    """The mall's gerai, 48 m², where two SMEs have goods on the shelves and a third sold out."""
    outlet = OutletFactory(name="Gerai Dekranasda Living Plaza", partner=mall, floor_m2=Decimal("48.5"))
    for name in ("Keripik Bu Sari", "Batik Tulis Cikarang", "Dodol Habis"):
        stock(outlet, ProductFactory(sme=SmeFactory(name=name)), 5)
    sold_out = outlet.balances.get(product__sme__name="Dodol Habis")
    count_stock(outlet=outlet, product=sold_out.product, counted=0, reason="Habis terjual", actor=None)
    return outlet


@pytest.fixture
def other_gerai(other_mall):
    return OutletFactory(name="Gerai Aeon", partner=other_mall)


def _names(smes) -> list[str]:
    return sorted(s.name for s in smes)


# --- services ----------------------------------------------------------------------------------


def test_an_outlets_consignors_are_the_smes_with_goods_on_its_shelves(gerai):
    assert _names(consignors(gerai)) == ["Batik Tulis Cikarang", "Keripik Bu Sari"]


def test_a_report_points_to_an_outlet_its_business_hosts(partner, obligation, gerai):
    report = submit(obligation, partner, dt.date(2026, 1, 1), 1200, 360, outlet=gerai)
    assert Realisation.objects.get(pk=report.pk).outlet == gerai
    entry = AuditEntry.objects.get(verb="perda.report.submitted", object_id=str(report.pk))
    assert entry.changes["outlet"] == [None, gerai.name]


def test_a_report_cannot_point_to_another_business_outlet(partner, obligation, other_gerai):
    with pytest.raises(ValidationError, match="is not an outlet of Living Plaza Jababeka"):
        submit(obligation, partner, dt.date(2026, 1, 1), 1200, 360, outlet=other_gerai)
    assert not Realisation.objects.exists()


def test_correcting_a_report_changes_its_outlet_and_is_audited(partner, obligation, gerai, other_gerai):
    report = submit(obligation, partner, dt.date(2026, 1, 1), 1200, 360)
    services.update_report(report=report, actor=partner, total=1200, allocated=360, outlet=gerai)
    report.refresh_from_db()
    assert report.outlet == gerai
    entry = AuditEntry.objects.get(verb="perda.report.updated", object_id=str(report.pk))
    assert entry.changes["outlet"] == [None, gerai.name]
    with pytest.raises(ValidationError):
        services.update_report(report=report, actor=partner, total=1200, allocated=360, outlet=other_gerai)
    services.update_report(report=report, actor=partner, total=1200, allocated=300)
    report.refresh_from_db()
    assert report.outlet == gerai  # not given: kept


# --- the report form ---------------------------------------------------------------------------


def _create_url(obligation) -> str:
    return reverse("perda:report_create", args=[obligation.public_id])


def test_choosing_the_outlet_offers_its_consignors_ticked_and_its_floor_space(
    en_client, partner, obligation, gerai
):
    en_client.force_login(partner)
    page = en_client.get(_create_url(obligation)).content.decode()
    assert "Gerai Dekranasda Living Plaza" in page and "Gerai Aeon" not in page
    response = en_client.get(_create_url(obligation), {"outlet": gerai.public_id, "period": "2026-01-01"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["allocated"] == Decimal("48.5") and form.initial["period"] == "2026-01-01"
    assert _names(form.fields["smes"].queryset) == ["Batik Tulis Cikarang", "Keripik Bu Sari"]
    page = response.content.decode()
    assert page.count('name="smes"') == 2 and page.count("checked") >= 2
    assert "Dodol Habis" not in page


def test_an_outlet_without_consignors_says_so_instead_of_an_empty_list(en_client, partner, mall, obligation):
    canteen = OutletFactory(name="Kantin UMKM Living Plaza", partner=mall)
    en_client.force_login(partner)
    response = en_client.get(_create_url(obligation), {"outlet": canteen.public_id})
    assert "No SME has goods on this outlet" in response.content.decode()
    assert "Ticked ones are named as benefiting" not in response.content.decode()


def test_the_outlets_floor_space_is_not_offered_for_a_report_in_rupiah(en_client, partner, mall, gerai):
    obligation = ObligationFactory(partner=mall, basis=Basis.PROCUREMENT)
    en_client.force_login(partner)
    response = en_client.get(_create_url(obligation), {"outlet": gerai.public_id})
    assert "allocated" not in response.context["form"].initial


@pytest.mark.parametrize("outlet", ["other", "not-a-uuid"])
def test_another_business_outlet_is_not_found(en_client, partner, obligation, other_gerai, outlet):
    en_client.force_login(partner)
    value = other_gerai.public_id if outlet == "other" else outlet
    assert en_client.get(_create_url(obligation), {"outlet": value}).status_code == 404


def test_submitting_names_the_ticked_consignors_and_the_outlet(en_client, partner, obligation, gerai):
    en_client.force_login(partner)
    keripik = gerai.balances.get(product__sme__name="Keripik Bu Sari").product.sme
    response = en_client.post(
        _create_url(obligation),
        {
            "period": "2026-01-01",
            "outlet": gerai.public_id,
            "smes": [keripik.public_id],
            "total": "1200",
            "allocated": "48.5",
            "evidence": png_upload("gerai.png"),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    report = Realisation.objects.get()
    assert report.outlet == gerai and list(report.smes.all()) == [keripik]


def test_a_posted_outlet_of_another_business_is_refused_with_a_message(
    en_client, partner, obligation, gerai, other_gerai
):
    en_client.force_login(partner)
    response = en_client.post(
        _create_url(obligation),
        {
            "period": "2026-01-01",
            "outlet": other_gerai.public_id,
            "total": "1200",
            "allocated": "360",
            "evidence": png_upload(),
        },
    )
    assert response.status_code == 400
    assert "Choose one of the outlets your business hosts." in response.content.decode()
    assert not Realisation.objects.exists()


def test_an_sme_not_consigning_at_the_outlet_cannot_be_ticked(en_client, partner, obligation, gerai):
    en_client.force_login(partner)
    stranger = SmeFactory(name="Bukan Penitip")
    response = en_client.post(
        _create_url(obligation),
        {
            "period": "2026-01-01",
            "outlet": gerai.public_id,
            "smes": [stranger.public_id],
            "total": "1200",
            "allocated": "360",
            "evidence": png_upload(),
        },
    )
    assert response.status_code == 400 and not Realisation.objects.exists()


def test_without_hosted_outlets_the_form_asks_for_none(en_client, partner, obligation):
    en_client.force_login(partner)
    response = en_client.get(_create_url(obligation))
    assert "outlet" not in response.context["form"].fields
    assert "Fill in from the outlet" not in response.content.decode()


def test_the_correction_form_changes_the_outlet(en_client, partner, obligation, gerai):
    report = submit(obligation, partner, dt.date(2026, 1, 1), 1200, 360)
    en_client.force_login(partner)
    response = en_client.post(
        reverse("perda:report_edit", args=[report.public_id]),
        {"outlet": gerai.public_id, "total": "1200", "allocated": "360"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.outlet == gerai


# --- the review --------------------------------------------------------------------------------


def test_the_officers_review_shows_the_outlet_with_a_link(
    en_client, regency_officer, partner, obligation, gerai
):
    report = submit(obligation, partner, dt.date(2026, 1, 1), 1200, 360, outlet=gerai)
    en_client.force_login(regency_officer)
    page = en_client.get(reverse("perda:report_detail", args=[report.public_id])).content.decode()
    assert f'href="{reverse("outlets:detail", args=[gerai.public_id])}"' in page
    assert "Gerai Dekranasda Living Plaza" in page and "48.50 m²" in page


def test_an_officer_outside_the_outlets_kecamatan_sees_its_name_without_a_link(
    en_client, officer, partner, obligation, gerai, kecamatan
):
    Outlet.objects.filter(pk=gerai.pk).update(kecamatan=kecamatan["tambun_selatan"])
    report = submit(obligation, partner, dt.date(2026, 1, 1), 1200, 360, outlet=gerai)
    en_client.force_login(officer)
    page = en_client.get(reverse("perda:report_detail", args=[report.public_id])).content.decode()
    assert "Gerai Dekranasda Living Plaza" in page
    assert reverse("outlets:detail", args=[gerai.public_id]) not in page


def test_the_partner_sees_its_consignment_outlet_by_name_and_its_cooperation_outlet_linked(
    en_client, partner, obligation, gerai, mall
):
    report = submit(obligation, partner, dt.date(2026, 1, 1), 1200, 360, outlet=gerai)
    en_client.force_login(partner)
    url = reverse("perda:report_detail", args=[report.public_id])
    page = en_client.get(url).content.decode()
    assert (
        "Gerai Dekranasda Living Plaza" in page
        and reverse("outlets:detail", args=[gerai.public_id]) not in page
    )
    canteen = OutletFactory(name="Kantin UMKM", partner=mall, agreement=Outlet.Agreement.REVENUE_SHARE)
    services.update_report(report=report, actor=partner, total=1200, allocated=360, outlet=canteen)
    page = en_client.get(url).content.decode()
    assert f'href="{reverse("outlets:turnover", args=[canteen.public_id])}"' in page


def test_the_report_pages_cost_the_same_queries_however_many_consignors(
    en_client, partner, obligation, gerai
):
    report = submit(obligation, partner, dt.date(2026, 1, 1), 1200, 360, outlet=gerai)
    report.smes.set(consignors(gerai))
    en_client.force_login(partner)
    detail = reverse("perda:report_detail", args=[report.public_id])
    fill = {"outlet": gerai.public_id}
    counts = []
    for extra in (0, 6):
        for _i in range(extra):
            sme = SmeFactory()
            stock(gerai, ProductFactory(sme=sme), 2)
            report.smes.add(sme)
        with CaptureQueriesContext(connection) as detail_queries:
            assert en_client.get(detail).status_code == 200
        with CaptureQueriesContext(connection) as form_queries:
            assert en_client.get(_create_url(obligation), fill).status_code == 200
        counts.append((len(detail_queries), len(form_queries)))
    assert counts[0] == counts[1]


def test_the_outlet_page_lists_the_reports_naming_it(en_client, regency_officer, partner, obligation, gerai):
    report = submit(obligation, partner, dt.date(2026, 1, 1), 1200, 360, outlet=gerai)
    submit(obligation, partner, dt.date(2026, 4, 1), 1200, 360)
    en_client.force_login(regency_officer)
    page = en_client.get(reverse("outlets:detail", args=[gerai.public_id])).content.decode()
    assert page.count(reverse("perda:report_detail", args=[report.public_id])) == 1
    assert page.count('href="/perda/reports/') == 1
