"""Foster parents: the assignment, its goals, and the report of the adopted SMEs beside the others.

Sales come only through the shared sales interface. No real sales channel exists in this area, so two
stand-in channels are registered for the test: each SME "sold" its yearly turnover on 1 June 2025,
inside the period, and half of it on 1 June 2024, before it.
"""

import datetime as dt

import pytest
from django.db.models import F, IntegerField, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone, translation

from sentra.partners import report
from sentra.partners.models import Activity, FosterAssignment, Partner
from sentra.registry.models import Permit, ScaleRecord, Sme
from sentra.sales import channels as sales
from tests.registry.factories import SmeFactory

from .factories import FosterFactory, PartnerFactory

START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def _sold_on(day):
    def lines():
        return Sme.objects.annotate(
            sale_sme_id=F("pk"),
            sale_on=Value(day),
            sale_amount=Cast(F("turnover") / (1 if day.year == 2025 else 2), IntegerField()),
            sale_verified=Value(True),
        )

    return lines


@pytest.fixture
def stand_in_channels():
    saved = dict(sales._CHANNELS)
    sales._CHANNELS.clear()
    sales.register(sales.Channel("in_period", "In the period", _sold_on(dt.date(2025, 6, 1))))
    sales.register(sales.Channel("before", "Before", _sold_on(dt.date(2024, 6, 1))))
    yield
    sales._CHANNELS.clear()
    sales._CHANNELS.update(saved)


def scale_on(sme, scale, day):
    record = ScaleRecord.objects.create(sme=sme, scale=scale, basis="capital")
    ScaleRecord.objects.filter(pk=record.pk).update(
        recorded_at=timezone.make_aware(dt.datetime(day.year, day.month, day.day, 9))
    )


def permit(sme, kind, issued):
    Permit.objects.create(sme=sme, kind=kind, number=f"N{sme.pk}{kind}", issued_on=issued)


@pytest.fixture
def tambun(kecamatan):
    """Five SMEs of Tambun Selatan (three adopted) and one of Cikarang Utara, with a known history."""
    k = kecamatan["tambun_selatan"]
    a = SmeFactory(
        name="A", kecamatan=k, turnover=100_000_000, nib="9120000000001", nib_issued_on=dt.date(2025, 3, 10)
    )
    b = SmeFactory(
        name="B", kecamatan=k, turnover=200_000_000, nib="9120000000002", nib_issued_on=dt.date(2024, 12, 31)
    )
    c = SmeFactory(name="C", kecamatan=k, turnover=300_000_000, nib=None)
    d = SmeFactory(
        name="D", kecamatan=k, turnover=50_000_000, nib="9120000000004", nib_issued_on=dt.date(2025, 7, 1)
    )
    e = SmeFactory(name="E", kecamatan=k, turnover=10_000_000, nib=None, scale="micro")
    f = SmeFactory(name="F", kecamatan=kecamatan["cikarang_utara"], turnover=7_000_000, nib=None)
    scale_on(a, "micro", dt.date(2024, 6, 1)), scale_on(a, "small", dt.date(2025, 5, 1))  # up
    scale_on(b, "micro", dt.date(2024, 6, 1)), scale_on(b, "small", dt.date(2026, 2, 1))  # up after the end
    scale_on(c, "small", dt.date(2024, 6, 1)), scale_on(c, "micro", dt.date(2025, 3, 1))  # down
    scale_on(d, "micro", dt.date(2025, 2, 1)), scale_on(d, "medium", dt.date(2025, 8, 1))  # up
    scale_on(f, "micro", dt.date(2024, 1, 1)), scale_on(f, "small", dt.date(2025, 1, 5))  # up, elsewhere
    permit(a, Permit.Kind.HALAL, dt.date(2025, 4, 1))
    permit(c, Permit.Kind.HALAL, dt.date(2026, 1, 5))
    permit(e, Permit.Kind.PIRT, dt.date(2025, 2, 1))
    return {"kecamatan": k, "adopted": [a, b, c], "others": [d, e], "elsewhere": f}


@pytest.fixture
def kejari(tambun):
    assignment = FosterFactory(
        partner__name="Kejaksaan Negeri Kabupaten Bekasi",
        kecamatan=tambun["kecamatan"],
        starts_on=START,
        ends_on=END,
        smes=tambun["adopted"],
    )
    return assignment


def test_the_report_sets_the_adopted_smes_progress_beside_the_kecamatans_other_smes(
    kejari, tambun, stand_in_channels
):
    with translation.override("en"):
        result = report.foster_report(kejari, today=dt.date(2026, 12, 1))
    adopted, others = result.adopted, result.others
    assert (result.period.start, result.period.end) == (START, END)

    assert (adopted.smes, adopted.scaled_up, adopted.with_nib, adopted.nib_obtained) == (3, 1, 2, 1)
    assert (adopted.halal_obtained, adopted.pirt_obtained) == (1, 0)
    assert (adopted.sales, adopted.sales_before) == (600_000_000, 300_000_000)
    assert adopted.sales_growth == 100.0 and adopted.sales_per_sme == 200_000_000
    assert {code: amount for code, amount in adopted.sales_by_channel.items() if amount} == {
        "in_period": 600_000_000
    }

    assert others.label == "Other SMEs of Kecamatan Tambun Selatan"
    assert (others.smes, others.scaled_up, others.with_nib, others.nib_obtained) == (2, 1, 1, 1)
    assert (others.halal_obtained, others.pirt_obtained, others.sales) == (0, 1, 60_000_000)


def test_a_kecamatan_without_a_list_adopts_all_its_smes_and_compares_with_the_other_kecamatan(
    tambun, stand_in_channels
):
    assignment = FosterFactory(kecamatan=tambun["kecamatan"], starts_on=START, ends_on=END)
    with translation.override("en"):
        result = report.foster_report(assignment, today=dt.date(2026, 12, 1))
        assert result.others.label == "SMEs of the other kecamatan"
    assert result.adopted.smes == 5 and result.adopted.scaled_up == 2
    assert (result.others.smes, result.others.scaled_up, result.others.sales) == (1, 1, 7_000_000)


def test_a_running_assignment_is_reported_up_to_today(kejari, tambun, stand_in_channels):
    result = report.foster_report(kejari, today=dt.date(2025, 4, 15))
    assert result.period.end == dt.date(2025, 4, 15)
    # A's move up (1 May) and the 1 June sales have not happened yet.
    assert (result.adopted.scaled_up, result.adopted.sales, result.adopted.halal_obtained) == (0, 0, 1)


def test_goals_are_set_against_what_was_reached(kejari, tambun, officer, stand_in_channels):
    from sentra.partners import services

    services.update_foster(
        assignment=kejari, actor=officer, data={}, goals={"nib": 2, "reached": 4, "sales": 1}
    )
    activity = services.record_activity(
        actor=officer, parent=kejari, data={"title": "Penyuluhan hukum", "starts_on": dt.date(2025, 4, 16)}
    )
    services.add_activity_smes(activity=activity, actor=officer, smes=tambun["adopted"][:2])
    lines = {line.goal.measure: (line.reached, line.percent) for line in report.foster_report(kejari).goals}
    assert lines == {"nib": (1, 50), "reached": (2, 50), "sales": (600_000_000, 100)}


@pytest.mark.parametrize("extra", [0, 8])
def test_the_report_costs_the_same_queries_however_many_smes(
    kejari, tambun, extra, stand_in_channels, django_assert_num_queries
):
    for n in range(extra):
        sme = SmeFactory(kecamatan=tambun["kecamatan"])
        if n % 2:
            kejari.smes.add(sme)
        scale_on(sme, "micro", dt.date(2024, 1, 1))
    # list exists; adopted and other groups: counts, scales, two sales channels twice each;
    # activities; reached; goals
    with django_assert_num_queries(1 + 2 * (1 + 1 + 2 * 2) + 3):
        report.foster_report(kejari, today=dt.date(2026, 12, 1))


def test_an_officer_opens_the_report_with_the_adopted_smes_one_by_one(
    en_client, regency_officer, kejari, stand_in_channels
):
    en_client.force_login(regency_officer)
    html = en_client.get(reverse("partners:foster_detail", args=[kejari.public_id])).content.decode()
    assert "Progress of the adopted SMEs, beside the others" in html
    assert "Other SMEs of Kecamatan Tambun Selatan" in html and "Micro → Small" in html
    assert "Sales channels: In the period, Before" in html


def test_the_foster_parent_sees_its_report_without_the_smes_one_by_one(
    en_client, partner, kejari, stand_in_channels
):
    kejari.partner.users.add(partner)
    en_client.force_login(partner)
    html = en_client.get(reverse("partners:foster_detail", args=[kejari.public_id])).content.decode()
    assert "Progress of the adopted SMEs" in html and "Micro → Small" not in html
    assert ">A</a>" not in html


def test_other_partners_cannot_open_the_report(client, partner, kejari):
    PartnerFactory(kind=Partner.Kind.BANK, users=[partner])
    client.force_login(partner)
    assert client.get(reverse("partners:foster_detail", args=[kejari.public_id])).status_code == 404


def test_a_scoped_officer_sees_only_the_adopted_smes_of_their_kecamatan_one_by_one(
    en_client, officer, kejari
):
    en_client.force_login(officer)
    html = en_client.get(reverse("partners:foster_detail", args=[kejari.public_id])).content.decode()
    assert "Progress of the adopted SMEs" in html and ">A</a>" not in html


def test_an_assignment_ending_before_it_starts_is_refused(en_client, officer):
    agency = PartnerFactory(kind=Partner.Kind.AGENCY)
    en_client.force_login(officer)
    response = en_client.post(
        reverse("partners:foster_create"),
        {
            "partner": agency.pk,
            "kecamatan": "",
            "starts_on": "2025-03-01",
            "ends_on": "2025-02-01",
            "goal_nib": "5",
        },
    )
    assert response.status_code == 400
    assert "The end date cannot be before the start date." in response.content.decode()
    assert not FosterAssignment.objects.exists()


def test_an_officer_registers_an_assignment_with_goals_and_adopts_smes(en_client, regency_officer, tambun):
    agency = PartnerFactory(kind=Partner.Kind.AGENCY)
    en_client.force_login(regency_officer)
    en_client.post(
        reverse("partners:foster_create"),
        {"partner": agency.pk, "kecamatan": tambun["kecamatan"].pk, "starts_on": "2025-03-01",
         "ends_on": "2026-12-31", "goal_nib": "8", "goal_sales": "Rp 1,5 jt"},
    )  # fmt: skip
    assignment = FosterAssignment.objects.get()
    assert dict(assignment.targets.values_list("measure", "target")) == {"nib": 8, "sales": 1_500_000}

    smes_url = reverse("partners:foster_smes", args=[assignment.public_id])
    en_client.post(smes_url, {"sme": [tambun["adopted"][0].public_id]})
    response = en_client.post(smes_url, {"sme": [tambun["elsewhere"].public_id]}, follow=True)
    assert list(assignment.smes.all()) == [tambun["adopted"][0]]
    assert "Only SMEs of Kecamatan Tambun Selatan can be adopted" in response.content.decode()


def test_an_activity_of_a_foster_parent_involves_adopted_smes_only(
    en_client, regency_officer, kejari, tambun
):
    activity = Activity.objects.create(foster=kejari, title="Penyuluhan", starts_on=START)
    a, d = tambun["adopted"][0], tambun["others"][0]
    en_client.force_login(regency_officer)
    url = reverse("partners:activity_detail", args=[activity.public_id])
    assert f'value="{a.public_id}"' in en_client.get(url, {"q": a.nib}).content.decode()
    assert f'value="{d.public_id}"' not in en_client.get(url, {"q": d.nib}).content.decode()
