"""The demo's Perda 30% story: a mix of met, partly met, not met and not reported in 2025, the mall's
partner account sees only its own obligation, and loading twice adds nothing."""

import datetime as dt

import pytest
from django.core.management import call_command

from sentra.accounts.models import User
from sentra.perda import report
from sentra.perda.compliance import Status
from sentra.perda.models import Category, Obligation, Realisation, ReportEvidence

SCALE = DEMO_SCALE = 60


@pytest.fixture
def demo(demo_data, db):
    """The demo data, loaded once for this module (conftest.demo_data)."""


def test_the_2025_compliance_report_tells_the_demo_story(demo):
    result = report.build(2025, today=dt.date(2026, 6, 1))
    statuses = {row.obligation.partner.name: [c.status for c in row.cells] for row in result.rows}
    assert statuses["Living Plaza Jababeka"] == [Status.MET, Status.MET, Status.PARTLY, Status.IN_REVIEW]
    assert statuses["Aeon Mall Deltamas"] == [Status.MET, Status.NOT_REPORTED]
    assert statuses["Alfamart Cabang Cikarang (PT Sumber Alfaria Trijaya)"] == [
        Status.PARTLY, Status.NOT_MET, Status.RETURNED, Status.NOT_REPORTED,
    ]  # fmt: skip
    assert statuses["Rest Area KM 39 Tol Jakarta–Cikampek"] == [Status.PARTLY]
    assert statuses["Kawasan Industri Jababeka"] == [Status.MET]
    assert {o.category for o in Obligation.objects.all()} == {
        Category.SHOPPING_CENTRE, Category.MODERN_RETAIL, Category.TOLL_REST_AREA, Category.INDUSTRIAL_ESTATE,
    }  # fmt: skip
    assert ReportEvidence.objects.count() == Realisation.objects.count()
    assert Realisation.objects.filter(smes__isnull=False).distinct().exists()


def test_the_malls_reports_point_to_the_gerai_they_host(demo):
    from sentra.outlets.services import consignors

    living_plaza = Realisation.objects.filter(obligation__partner__name="Living Plaza Jababeka")
    assert {r.outlet.code for r in living_plaza} == {"KANTIN"}
    aeon = Realisation.objects.get(obligation__partner__name="Aeon Mall Deltamas")
    assert aeon.outlet.code == "AEON" and aeon.outlet.floor_m2 is not None
    assert set(aeon.smes.all()) == set(consignors(aeon.outlet)) != set()
    assert not Realisation.objects.filter(
        obligation__partner__name="Kawasan Industri Jababeka", outlet__isnull=False
    )


def test_the_mall_account_sees_only_its_own_obligation(demo):
    mall_user = User.objects.get(username="mitra.mall")
    assert [o.partner.name for o in Obligation.objects.for_user(mall_user)] == ["Living Plaza Jababeka"]
    assert not Obligation.objects.for_user(User.objects.get(username="mitra")).exists()


def test_a_second_run_adds_no_perda_records(demo):
    before = (Obligation.objects.count(), Realisation.objects.count(), ReportEvidence.objects.count())
    call_command("demo", scale=SCALE, verbosity=0)
    assert (Obligation.objects.count(), Realisation.objects.count(), ReportEvidence.objects.count()) == before
