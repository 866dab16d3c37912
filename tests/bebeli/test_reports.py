"""The officer's figures: only verified purchases count, in whole Rupiah, each linked to its purchases."""

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from sentra.bebeli import reports
from sentra.bebeli.models import BuyerBudget
from tests.registry.factories import SmeFactory

from .factories import OrganisationFactory, paid_purchase


def test_only_verified_purchases_count(organisation, seller):
    paid_purchase(organisation=organisation, sme=seller, total=3_000_000)
    paid_purchase(organisation=organisation, sme=seller, total=7_000_000, verified=False)
    report = reports.build(year=2024)
    assert (report.total, report.count) == (3_000_000, 1)
    assert (report.pending_count, report.pending_amount) == (1, 7_000_000)
    assert isinstance(report.total, int)


def test_years_and_months_carry_growth(organisation, seller):
    paid_purchase(organisation=organisation, sme=seller, total=2_000_000, paid_on=dt.date(2023, 5, 1))
    paid_purchase(organisation=organisation, sme=seller, total=3_000_000, paid_on=dt.date(2024, 5, 1))
    paid_purchase(organisation=organisation, sme=seller, total=1_500_000, paid_on=dt.date(2024, 6, 1))
    report = reports.build(year=2024)
    assert [(r.label, r.amount) for r in report.years] == [("2023", 2_000_000), ("2024", 4_500_000)]
    assert report.years[1].growth == 125.0
    assert report.months[4].amount == 3_000_000 and report.months[5].growth == -50.0


def test_per_buyer_against_target_budget_and_the_national_forty_percent(organisation, seller):
    BuyerBudget.objects.create(
        organisation=organisation, year=2024, goods_services=10_000_000, local_target=5_000_000
    )
    paid_purchase(organisation=organisation, sme=seller, total=4_000_000)
    row = reports.build(year=2024).buyers[0]
    assert row.extra["of_target"] == 80.0 and row.extra["of_budget"] == 40.0 and row.extra["meets_national"]


def test_a_buyer_buying_mostly_from_three_smes_is_flagged(organisation, kecamatan):
    smes = [SmeFactory() for _ in range(5)]
    for sme, total in zip(smes, [40, 30, 20, 5, 5], strict=True):
        paid_purchase(organisation=organisation, sme=sme, total=total * 1_000_000)
    row = reports.build(year=2024).buyers[0]
    assert row.extra["top3_share"] == 90.0 and row.extra["top3_flag"]
    spread = OrganisationFactory()
    for sme in smes:
        paid_purchase(organisation=spread, sme=sme, total=1_000_000)
    row = next(r for r in reports.build(year=2024).buyers if r.label == spread.name)
    assert row.extra["top3_share"] == 60.0 and not row.extra["top3_flag"]


def test_median_days_from_receipt_to_payment(organisation, seller):
    for days in (5, 10, 40, 45):
        paid_purchase(organisation=organisation, sme=seller, received_on=dt.date(2024, 3, 1),
                      paid_on=dt.date(2024, 3, 1) + dt.timedelta(days=days))  # fmt: skip
    assert reports.build(year=2024).median_days == 25.0
    assert reports.median_from_histogram({3: 1}) == 3
    assert reports.median_from_histogram({}) is None


def test_kecamatan_sector_and_scale_rows_link_to_their_purchases(
    client, regency_officer, organisation, seller, kecamatan
):
    paid_purchase(organisation=organisation, sme=seller, total=2_000_000)
    paid_purchase(
        organisation=organisation, sme=SmeFactory(kecamatan=kecamatan["tambun_selatan"]), total=1_000_000
    )
    report = reports.build(year=2024)
    assert {r.label: r.amount for r in report.kecamatan} == {
        "Cikarang Utara": 2_000_000,
        "Tambun Selatan": 1_000_000,
    }
    assert sum(r.amount for r in report.sectors) == sum(r.amount for r in report.scales) == 3_000_000
    client.force_login(regency_officer)
    tambun = next(r for r in report.kecamatan if r.label == "Tambun Selatan")
    page = client.get(tambun.url).content.decode()
    assert "1.000.000" in page and "2.000.000" not in page


def test_the_report_page_and_its_xlsx_show_the_same_total(client, regency_officer, organisation, seller):
    paid_purchase(organisation=organisation, sme=seller, total=12_345_678)
    client.force_login(regency_officer)
    assert "12.345.678" in client.get(reverse("bebeli:report"), {"year": 2024}).content.decode()
    response = client.get(reverse("bebeli:report_xlsx"), {"year": 2024})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "Per tahun" and len(book.sheetnames) == 7
    years = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert years[0][:3] == ("2024", 12_345_678, 1)
    buyers = list(book.worksheets[2].iter_rows(min_row=2, values_only=True))
    assert buyers[0][0] == organisation.name and buyers[0][1] == 12_345_678


def test_a_scoped_officers_report_holds_only_their_kecamatan(
    client, officer, organisation, seller, kecamatan
):
    paid_purchase(organisation=organisation, sme=seller, total=2_000_000)
    paid_purchase(
        organisation=organisation, sme=SmeFactory(kecamatan=kecamatan["tambun_selatan"]), total=1_000_000
    )
    client.force_login(officer)
    assert client.get(reverse("bebeli:report"), {"year": 2024}).context["report"].total == 2_000_000


def _figures(report):
    rows = lambda rs: sorted((r.label, r.amount, r.count, r.smes) for r in rs)  # noqa: E731
    return {
        "total": (report.total, report.count, report.distinct_smes, report.median_days),
        "months": [(r.amount, r.count, r.smes) for r in report.months],
        "years": [(r.label, r.amount) for r in report.years],
        "buyers": rows(report.buyers),
        "kecamatan": rows(report.kecamatan),
        "sectors": rows(report.sectors),
        "scales": rows(report.scales),
        "top3": sorted(round(r.extra["top3_share"], 6) for r in report.buyers),
    }


def test_the_kept_summaries_match_the_purchases_through_verification_and_correction(
    organisation, seller, regency_officer, kecamatan
):
    from sentra.bebeli import services, summaries
    from sentra.bebeli.models import Purchase

    other_org = OrganisationFactory()
    smes = [seller, SmeFactory(kecamatan=kecamatan["tambun_selatan"]), SmeFactory()]
    for i, sme in enumerate(smes * 3):
        paid_purchase(organisation=organisation if i % 2 else other_org, sme=sme, total=(i + 1) * 1_000_000,
                      paid_on=dt.date(2024, 1 + i % 4, 5 + i))  # fmt: skip
    waiting = paid_purchase(organisation=organisation, sme=smes[1], total=4_400_000, verified=False)
    services.verify_purchase(purchase=waiting, officer=regency_officer)
    moved = Purchase.objects.filter(sme=smes[0]).order_by("id").first()
    services.correct_purchase(purchase=moved, officer=regency_officer, reason="Tanggal bayar salah",
                              changes={"paid_on": dt.date(2024, 9, 1), "total": 2_500_000})  # fmt: skip
    kept = _figures(reports.build(year=2024))
    assert kept == _figures(reports.build_from_purchases(year=2024))
    summaries.rebuild()
    assert _figures(reports.build(year=2024)) == kept
    assert kept["total"][0] == sum(Purchase.objects.verified().values_list("total", flat=True))


def _ledger_through_the_services(organisation, seller, regency_officer, kecamatan):
    """Purchases over two years, buyers (one of them civil servants), kecamatan, sectors and delays,
    verified one by one and corrected through the services: the kept summaries move on each step."""
    from sentra.bebeli import services
    from sentra.bebeli.models import BuyerOrganisation, Purchase

    other = OrganisationFactory()
    person = OrganisationFactory(kind=BuyerOrganisation.Kind.ASN)
    smes = [seller, SmeFactory(kecamatan=kecamatan["tambun_selatan"], kbli_category="C"), SmeFactory(),
            SmeFactory(kbli_category="", scale="")]  # fmt: skip
    for i in range(16):
        waiting = paid_purchase(
            organisation=(organisation, other, person)[i % 3], sme=smes[i % 4], total=(i + 1) * 750_000,
            paid_on=dt.date(2023 + i % 2, 1 + i % 5, 3 + i), received_on=dt.date(2022, 12, 20 + i % 7),
            verified=False,
        )  # fmt: skip
        services.verify_purchase(purchase=waiting, officer=regency_officer)
    for n, purchase in enumerate(Purchase.objects.verified().order_by("id")[:4]):
        services.correct_purchase(purchase=purchase, officer=regency_officer, reason="Salah ketik",
                                  changes={"paid_on": dt.date(2024, 12, 1 + n), "total": 99_000 + n})  # fmt: skip
    paid_purchase(organisation=organisation, sme=smes[2], total=5_000_000, verified=False)  # pending


def test_rebuilding_the_summaries_gives_exactly_the_rows_kept_step_by_step(
    organisation, seller, regency_officer, kecamatan
):
    from sentra.bebeli import summaries

    _ledger_through_the_services(organisation, seller, regency_officer, kecamatan)
    kept = summaries.snapshot()
    assert {r[0] for r in kept["monthly"]} == {2023, 2024} and any(r[7] for r in kept["monthly"])
    assert summaries.check() == {}
    assert summaries.snapshot() == kept
    # (Read from purchases, civil servants appear one by one; the summaries keep them together.)
    same = lambda r: {k: v for k, v in _figures(r).items() if k not in ("buyers", "top3")}  # noqa: E731
    for year in (2023, 2024):
        assert same(reports.build(year=year)) == same(reports.build_from_purchases(year=year))


def test_the_check_finds_a_kept_figure_that_drifted_and_the_command_says_so(
    organisation, seller, regency_officer, kecamatan
):
    import pytest
    from django.core.management import CommandError, call_command

    from sentra.bebeli import summaries
    from sentra.bebeli.models import MonthlySummary

    _ledger_through_the_services(organisation, seller, regency_officer, kecamatan)
    MonthlySummary.objects.filter(dimension="all", month=0, year=2024).update(amount=1)
    differences = summaries.check()
    assert set(differences) == {"monthly"}
    only_kept, only_rebuilt = differences["monthly"]
    assert [r[4] for r in only_kept] == [1] and len(only_rebuilt) == 1
    assert MonthlySummary.objects.get(dimension="all", month=0, year=2024).amount == 1  # left as it was
    with pytest.raises(CommandError):
        call_command("bebeli_summaries", check=True, stderr=io.StringIO())
    call_command("bebeli_summaries", stdout=io.StringIO())
    assert summaries.check() == {}
    out = io.StringIO()
    call_command("bebeli_summaries", check=True, stdout=out)
    assert out.getvalue()


def test_the_report_page_queries_do_not_grow_with_buyers(
    client, regency_officer, organisation, django_assert_num_queries
):
    smes = [SmeFactory() for _ in range(4)]

    def add_buyers(n):
        for _ in range(n):
            buyer = OrganisationFactory()
            for sme in smes:
                paid_purchase(organisation=buyer, sme=sme, total=1_000_000)

    client.force_login(regency_officer)
    add_buyers(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("bebeli:report"), {"year": 2024})
    add_buyers(6)
    with django_assert_num_queries(len(few.captured_queries)):
        report = client.get(reverse("bebeli:report"), {"year": 2024}).context["report"]
    assert len(report.buyers) == 8 and all(r.extra["top3_share"] == 75.0 for r in report.buyers)
