"""The public page: verified aggregates only, small cells suppressed, no personal data (canary)."""

import csv
import datetime as dt
import io
import re

from django.urls import reverse

from conftest import CANARY_NIK, CANARY_PHONE
from sentra.bebeli.models import BuyerOrganisation
from tests.registry.factories import SmeFactory

from .factories import OrganisationFactory, paid_purchase


def test_a_visitor_sees_verified_totals_without_signing_in(client, organisation, seller):
    paid_purchase(organisation=organisation, sme=seller, total=5_000_000)
    paid_purchase(organisation=organisation, sme=seller, total=9_000_000, verified=False)
    response = client.get(reverse("bebeli_public:transparency"), {"year": 2024})
    assert response.status_code == 200
    assert response.context["figures"].total == 5_000_000
    assert "5.000.000" in response.content.decode() and "<svg" in response.content.decode()


def test_a_cell_resting_on_fewer_than_three_smes_is_suppressed(client, organisation):
    smes = [SmeFactory() for _ in range(3)]
    lonely = OrganisationFactory(name="Kecamatan Muaragembong")
    small = OrganisationFactory(name="SMP Negeri 9")  # hidden too: March's total minus ours is lonely's
    for sme in smes:
        paid_purchase(organisation=organisation, sme=sme, total=1_000_000)
        paid_purchase(organisation=small, sme=sme, total=100_000)
    paid_purchase(organisation=lonely, sme=smes[0], total=7_777_777)
    figures = client.get(reverse("bebeli_public:transparency"), {"year": 2024}).context["figures"]
    rows = {name: (cells, year) for name, cells, year in figures.buyers}
    assert rows[organisation.name][1].amount == 3_000_000
    assert (
        rows["Kecamatan Muaragembong"][1].amount is None
        and rows["Kecamatan Muaragembong"][0][2].amount is None
    )
    page = client.get(reverse("bebeli_public:transparency"), {"year": 2024}).content.decode()
    assert "7.777.777" not in page
    data = client.get(reverse("bebeli_public:transparency_csv"), {"year": 2024}).content.decode()
    assert "7777777" not in data
    rows = list(csv.reader(io.StringIO(data)))
    assert [r for r in rows if r[1] == organisation.name and r[3] == "3"][0][4] == "3000000"


def test_civil_servants_buying_for_themselves_are_never_named(client, kecamatan):
    from conftest import make_user

    asn = make_user("siti_asn", "buyer", last_name="Canary", phone=CANARY_PHONE)
    person = OrganisationFactory(name="Siti Canary Rahayu", kind=BuyerOrganisation.Kind.ASN, members=[asn])
    for _ in range(3):
        paid_purchase(
            organisation=person, sme=SmeFactory(owner__nik=CANARY_NIK, phone=CANARY_PHONE), total=2_000_000
        )
    page = client.get(reverse("bebeli_public:transparency"), {"year": 2024}).content.decode()
    data = client.get(reverse("bebeli_public:transparency_csv"), {"year": 2024}).content.decode()
    for text in (page, data):
        assert "Siti Canary" not in text
        assert CANARY_NIK not in text and CANARY_PHONE not in text and "81299990000" not in text
    assert "6.000.000" in page


def test_the_page_names_no_sme(client, organisation, seller):
    seller.name = "Usaha Kanari Tunggal"
    seller.save()
    for _ in range(3):
        paid_purchase(organisation=organisation, sme=seller, total=1_000_000, paid_on=dt.date(2024, 2, 2))
    page = client.get(reverse("bebeli_public:transparency"), {"year": 2024}).content.decode()
    assert "Usaha Kanari Tunggal" not in page


def test_the_public_page_queries_do_not_grow(client, organisation, django_assert_max_num_queries):
    for _ in range(6):
        paid_purchase(organisation=organisation, sme=SmeFactory(), total=1_000_000)
    with django_assert_max_num_queries(12):
        client.get(reverse("bebeli_public:transparency"), {"year": 2024})


def _derivable(rows) -> list[str]:
    """Sums (a row's months and year, a month's cells, the year cells) hiding exactly one cell."""
    sums = {f"row {name}": [*cells, year] for name, cells, year in rows}
    sums |= {f"month {m + 1}": [cells[m] for _n, cells, _y in rows] for m in range(12)}
    sums["year"] = [year for _n, _c, year in rows]
    return [k for k, cells in sums.items() if sum(1 for c in cells if c.smes and c.amount is None) == 1]


def test_a_hidden_cell_cannot_be_worked_out_by_subtraction(client, organisation, kecamatan):
    three = [SmeFactory(kecamatan=kecamatan["cikarang_utara"]) for _ in range(3)]
    others = [SmeFactory(kecamatan=kecamatan["tambun_selatan"]) for _ in range(4)]
    # Our buyer: January from three SMEs (shown), February from two (hidden), the year from three.
    for sme in three:
        paid_purchase(organisation=organisation, sme=sme, total=3_000_000, paid_on=dt.date(2024, 1, 15))
    for sme in three[:2]:
        paid_purchase(organisation=organisation, sme=sme, total=2_222_221, paid_on=dt.date(2024, 2, 15))
    # Another buyer shown in February and March: February's total minus its cell would give ours.
    big = OrganisationFactory(name="RSUD")
    for sme in others:
        paid_purchase(organisation=big, sme=sme, total=10_000_000, paid_on=dt.date(2024, 2, 20))
        paid_purchase(organisation=big, sme=sme, total=1_000_000, paid_on=dt.date(2024, 3, 20))
    figures = client.get(reverse("bebeli_public:transparency"), {"year": 2024}).context["figures"]
    for grid in (figures.buyers, figures.kecamatan):
        assert _derivable(grid) == []
    rows = {name: (cells, year) for name, cells, year in figures.buyers}
    ours, rsud = rows[organisation.name], rows["RSUD"]
    assert ours[0][1].amount is None  # February: two SMEs
    # January alone in its month (its total is shown), so the year is hidden instead of it.
    assert ours[0][0].amount == 9_000_000 and ours[1].amount is None
    assert rsud[1].amount is None  # else the year's total minus RSUD's gives ours
    assert rsud[0][1].amount is None or rsud[0][2].amount is None
    page = client.get(reverse("bebeli_public:transparency"), {"year": 2024}).content.decode()
    for hidden in ("4.444.442", "13.444.442"):  # February's and the year's (44.444.442 is the month's)
        assert not re.search(r"(?<![\d.])" + re.escape(hidden), page)
    from sentra.bebeli import reports

    assert reports.public_figures(year=2024).buyers == reports.public_from_purchases(year=2024).buyers


def test_protection_hides_no_more_than_a_sum_needs():
    from sentra.bebeli.reports import PublicCell, protect

    empty = PublicCell(0, 0)
    rows = [("a", [PublicCell(5, 3), PublicCell(None, 2), PublicCell(None, 1)] + [empty] * 9, PublicCell(None, 3)),
            ("b", [PublicCell(7, 4), PublicCell(None, 2), PublicCell(None, 2)] + [empty] * 9, PublicCell(9, 5))]  # fmt: skip
    protect(rows)
    assert [c.amount for c in rows[0][1][:3]] == [5, None, None] and rows[0][2].amount is None
    assert [c.amount for c in rows[1][1][:3]] == [7, None, None] and rows[1][2].amount is None  # the year
    assert _derivable(rows) == []
