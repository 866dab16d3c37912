"""The public page: verified aggregates only, small cells suppressed, no personal data (canary)."""

import csv
import datetime as dt
import io
import re
from fractions import Fraction

from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CANARY_NIK, CANARY_PHONE
from sentra.bebeli.models import BuyerOrganisation
from tests.registry.factories import SmeFactory

from .factories import OrganisationFactory, paid_purchase


def test_a_visitor_sees_verified_totals_without_signing_in(client, organisation, seller):
    paid_purchase(organisation=organisation, sme=seller, total=3_000_000)
    for _ in range(2):  # three SMEs: a year total resting on fewer is hidden
        paid_purchase(organisation=organisation, sme=SmeFactory(), total=1_000_000)
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
    # Our buyer: January from three SMEs, February from two (hidden), the year from three.
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
    # The month totals may now be hidden too (January, to cover the year's grid cells), so the check
    # counts them among the unknowns instead of taking each column's total as shown.
    assert _recoverable(figures) == []
    rows = {name: (cells, year) for name, cells, year in figures.buyers}
    ours, rsud = rows[organisation.name], rows["RSUD"]
    assert ours[0][1].amount is None  # February: two SMEs
    # January's cell, or the year's, covers it; whichever, the cover needs covers of its own.
    assert ours[0][0].amount is None or ours[1].amount is None
    assert [c.amount for c in [*rsud[0], rsud[1]]].count(None) >= 1
    page = client.get(reverse("bebeli_public:transparency"), {"year": 2024}).content.decode()
    # February's cell (44.444.442 is the month's), and whichever of January's cell or the year covers it.
    for hidden in ["4.444.442"] + (["9.000.000"] if ours[0][0].amount is None else ["13.444.442"]):
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


def _published_sums(figures):
    """Every identity a reader could add up from the page, as (known constant, [unknown figures])...

    ...written independently of `reports.protect`: each unknown is a hidden figure that rests on at
    least one SME, keyed by where it sits; an empty or shown figure is a known number.
    """
    unknown = {}

    def term(key, amount, smes):
        if smes and amount is None:
            unknown.setdefault(key, len(unknown))
            return key, 0
        return None, amount or 0

    total = term(("total",), figures.total, figures.distinct_smes)
    months = [term(("month", m["month"]), m["amount"], m["smes"]) for m in figures.months]
    equations = [(months + [(total[0], -total[1])], [1] * 12 + [-1])]
    for grid_name, grid in (("buyers", figures.buyers), ("kecamatan", figures.kecamatan)):
        year_cells, columns = [], [[] for _ in range(12)]
        for name, cells, year in grid:
            row = [term((grid_name, name, m), c.amount, c.smes) for m, c in enumerate(cells)]
            year_term = term((grid_name, name, "year"), year.amount, year.smes)
            equations.append((row + [year_term], [1] * 12 + [-1]))
            year_cells.append(year_term)
            for m in range(12):
                columns[m].append(row[m])
        if grid:
            for m in range(12):
                equations.append((columns[m] + [months[m]], [1] * len(grid) + [-1]))
            equations.append((year_cells + [total], [1] * len(grid) + [-1]))
    matrix = []
    for terms, signs in equations:
        row = [Fraction(0)] * len(unknown)
        for (key, _known), sign in zip(terms, signs, strict=True):
            if key is not None:
                row[unknown[key]] += sign
        matrix.append(row)
    return unknown, matrix


def _rank(matrix) -> int:
    rows = [list(r) for r in matrix if any(r)]
    rank, width = 0, len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][col]:
                factor = rows[i][col] / rows[rank][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


def _recoverable(figures) -> list:
    """Hidden figures fixed by the shown ones: their unit vector lies in the equations' row space,
    i.e. dropping their column lowers the rank (exact arithmetic, no shortcut through the sums)."""
    unknown, matrix = _published_sums(figures)
    full = _rank(matrix)
    return [
        key
        for key, col in unknown.items()
        if _rank([[v for j, v in enumerate(row) if j != col] for row in matrix]) < full
    ]


def _comparable(figures):
    return {k: v for k, v in vars(figures).items() if k != "as_of"}


def test_a_month_resting_on_one_sme_is_hidden_with_its_count_and_a_second_month_covers_it(
    client, organisation, kecamatan
):
    smes = [SmeFactory(kecamatan=kecamatan["cikarang_utara"]) for _ in range(3)]
    for sme in smes:
        paid_purchase(organisation=organisation, sme=sme, total=1_000_000, paid_on=dt.date(2024, 1, 10))
        paid_purchase(organisation=organisation, sme=sme, total=2_000_000, paid_on=dt.date(2024, 3, 10))
    for day in (5, 6):
        paid_purchase(organisation=organisation, sme=smes[0], total=3_888_888, paid_on=dt.date(2024, 2, day))
    from sentra.bebeli import reports

    figures = client.get(reverse("bebeli_public:transparency"), {"year": 2024}).context["figures"]
    months = {m["month"]: m for m in figures.months}
    assert months[2]["amount"] is None and months[2]["count"] is None and months[2]["smes"] == 1
    # The year (16,777,776 from three SMEs) is shown, so January, the smaller, is hidden with it...
    assert figures.total == 16_777_776
    assert months[1]["amount"] is None and months[1]["count"] is None
    assert months[3]["amount"] == 6_000_000 and months[3]["count"] == 3
    # ...and so is a January cell of each grid, else its column would add up to January's total.
    for grid in (figures.buyers, figures.kecamatan):
        assert any(cells[0].amount is None for _name, cells, _year in grid)
    assert _recoverable(figures) == []
    assert _comparable(figures) == _comparable(reports.public_from_purchases(year=2024))
    page = client.get(reverse("bebeli_public:transparency"), {"year": 2024}).content.decode()
    for hidden in ("7.777.776", "3.000.000", "3.888.888"):
        assert not re.search(r"(?<![\d.])" + re.escape(hidden), page)
    assert "16.777.776" in page
    data = client.get(reverse("bebeli_public:transparency_csv"), {"year": 2024}).content.decode()
    assert "7777776" not in data and "3000000" not in data
    rows = {r[3]: r for r in csv.reader(io.StringIO(data)) if r[0] == "semua"}
    assert rows["2"][4] == "" and rows["1"][4] == "" and rows["3"][4] == "6000000"


def test_a_year_resting_on_two_smes_shows_no_total(client, organisation):
    for sme in (SmeFactory(), SmeFactory()):
        paid_purchase(organisation=organisation, sme=sme, total=4_321_000)
    response = client.get(reverse("bebeli_public:transparency"), {"year": 2024})
    figures = response.context["figures"]
    assert figures.total is None and figures.distinct_smes == 2
    assert all(m["amount"] is None for m in figures.months if m["smes"])
    page = response.content.decode()
    assert "8.642.000" not in page and "4.321.000" not in page
    assert re.search(r'data-testid="public-total"><span title="[^"]+">•</span>', page)


LEDGER = st.lists(
    st.tuples(
        st.integers(0, 3),  # buyer (3: a civil servant buying for themselves)
        st.integers(0, 5),  # SME
        st.sampled_from([1, 2, 3, 12]),  # month
        st.integers(1, 9_999_999),
    ),
    max_size=14,
)


def test_no_hidden_figure_of_any_ledger_can_be_worked_out_and_both_builders_agree(db, kecamatan):
    """Random small ledgers: every figure resting on one or two SMEs is hidden, none hidden can be
    recovered from the shown ones by any combination of the page's sums, and the summaries give
    exactly what the purchases give."""
    from sentra.bebeli import reports

    buyers = [OrganisationFactory(name=f"Dinas Acak {i}") for i in range(3)]
    buyers.append(OrganisationFactory(name="Pegawai Acak", kind=BuyerOrganisation.Kind.ASN))
    places = [kecamatan["cikarang_utara"], kecamatan["tambun_selatan"], None]
    smes = [SmeFactory(kecamatan=places[i % 3]) for i in range(6)]

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(LEDGER)
    def check(ledger):
        with transaction.atomic():
            for buyer, sme, month, total in ledger:
                paid_purchase(
                    organisation=buyers[buyer], sme=smes[sme], total=total, paid_on=dt.date(2024, month, 9)
                )
            figures = reports.public_figures(year=2024)
            assert _comparable(figures) == _comparable(reports.public_from_purchases(year=2024))
            assert _recoverable(figures) == []
            smes_of = lambda rows: len({s for _b, s, _m, _t in rows})  # noqa: E731
            if 0 < smes_of(ledger) < 3:  # else it may still be hidden, to cover a month
                assert figures.total is None
            assert figures.total in (None, sum(t for *_r, t in ledger))
            for m in figures.months:
                in_month = [r for r in ledger if r[2] == m["month"]]
                assert m["smes"] == smes_of(in_month)
                assert (m["count"] is None) == (m["amount"] is None)
                if 0 < m["smes"] < 3:
                    assert m["amount"] is None
                assert m["amount"] in (None, sum(t for *_r, t in in_month))
            for _name, cells, year in figures.buyers + figures.kecamatan:
                assert all(c.amount is None for c in [*cells, year] if 0 < c.smes < 3)
            transaction.set_rollback(True)

    check()
