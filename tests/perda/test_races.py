"""Two requests at once, for real (PostgreSQL): one report per period, one review per report."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from sentra.perda import services
from sentra.perda.models import Realisation, ReportEvidence
from tests.programs.test_races import at_once

from .factories import ObligationFactory, submit


def _outcome(call):
    def run():
        try:
            with translation.override("en"):  # each thread has its own active language
                call()
        except ValidationError as exc:
            return exc.messages[0]
        return "ok"

    return run


@pytest.mark.django_db(transaction=True)
def test_two_colleagues_submitting_one_period_at_once_leave_one_report(partner, regency_officer, mall):
    obligation = ObligationFactory(partner=mall)
    results = at_once(
        _outcome(lambda: submit(obligation, partner, dt.date(2026, 1, 1), 1000, 300)),
        _outcome(lambda: submit(obligation, regency_officer, dt.date(2026, 1, 1), 1000, 310)),
    )
    assert sorted(results) == ["A report for this period is already submitted.", "ok"]
    assert Realisation.objects.count() == 1 and ReportEvidence.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_reviewing_at_once_decide_once(partner, regency_officer, admin_user, mall):
    report = submit(ObligationFactory(partner=mall), partner, dt.date(2026, 1, 1), 1000, 300)
    results = at_once(
        _outcome(lambda: services.review_report(report=report, actor=regency_officer, accept=True)),
        _outcome(
            lambda: services.review_report(report=report, actor=admin_user, accept=False, note="Kurang")
        ),
    )
    assert sorted(results) == ["Only a submitted report waiting for review can be reviewed.", "ok"]
