"""The arithmetic of compliance and the calendar of periods: exact decisions, shares rounded down."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sentra.perda import compliance
from sentra.perda.compliance import Outcome, Period, PeriodKind, Status

D = Decimal


@pytest.mark.parametrize(
    ("total", "allocated", "percentage", "expected"),
    [
        ("1000", "300", "30", Outcome.MET),
        ("1000", "299.99", "30", Outcome.PARTLY),
        ("1000", "300.01", "30", Outcome.MET),
        ("1000", "0", "30", Outcome.NOT_MET),
        ("1000", "0.01", "30", Outcome.PARTLY),
        ("1000", "1000", "100", Outcome.MET),
        ("3", "0.9", "30", Outcome.MET),
        ("7", "2.1", "30", Outcome.MET),
        ("7", "2.09", "30", Outcome.PARTLY),
        ("1500000000", "450000000", "30", Outcome.MET),
        ("1500000000", "449999999", "30", Outcome.PARTLY),
        ("1000", "125", "12.5", Outcome.MET),
        ("1000", "124.99", "12.5", Outcome.PARTLY),
    ],
)
def test_the_outcome_is_decided_exactly(total, allocated, percentage, expected):
    assert compliance.outcome(total=D(total), allocated=D(allocated), percentage=D(percentage)) == expected


@pytest.mark.parametrize(
    ("total", "allocated", "shown"),
    [
        ("1000", "300", "30.0"),
        ("1000", "299.99", "29.9"),  # 29.999%: rounded down, never shown as 30.0
        ("3", "1", "33.3"),
        ("3", "2", "66.6"),  # 66.67 rounds down
        ("1000", "0", "0.0"),
        ("1000", "1000", "100.0"),
        ("9999999999.99", "0.01", "0.0"),
    ],
)
def test_the_share_is_rounded_down_to_one_decimal(total, allocated, shown):
    assert compliance.share(total=D(total), allocated=D(allocated)) == D(shown)


@pytest.mark.parametrize(("total", "allocated"), [("0", "0"), ("-1", "0"), ("100", "-1"), ("100", "101")])
def test_impossible_figures_are_refused_not_coerced(total, allocated):
    with pytest.raises(ValueError):
        compliance.outcome(total=D(total), allocated=D(allocated), percentage=D(30))


def test_a_share_with_more_than_two_decimals_is_refused():
    with pytest.raises(ValueError):
        compliance.share(total=D("100.001"), allocated=D(1))


hundredths = st.integers(min_value=1, max_value=10**13).map(lambda n: D(n) / 100)
percentages = st.integers(min_value=1, max_value=10_000).map(lambda n: D(n) / 100)


@given(total=hundredths, fraction=st.fractions(min_value=0, max_value=1), percentage=percentages)
def test_the_shown_share_never_contradicts_the_outcome(total, fraction, percentage):
    allocated = (total * D(fraction.numerator) / D(fraction.denominator)).quantize(
        D("0.01"), rounding="ROUND_DOWN"
    )
    result = compliance.outcome(total=total, allocated=allocated, percentage=percentage)
    shown = compliance.share(total=total, allocated=allocated)
    # Exact rational arithmetic as the referee.
    a, t = int(allocated * 100), int(total * 100)
    assert (result == Outcome.MET) == (a * 100 >= percentage * t)
    assert (result == Outcome.NOT_MET) == (a == 0)
    # The shown share is at most the true share, and less than a tenth below it.
    assert shown * t <= a * 100 < (shown + D("0.1")) * t
    if result == Outcome.MET:
        assert shown >= percentage.quantize(D("0.1"), rounding="ROUND_DOWN")
    else:
        assert shown < percentage


@pytest.mark.parametrize(
    ("kind", "day", "start", "end", "label"),
    [
        (PeriodKind.MONTHLY, dt.date(2024, 2, 10), dt.date(2024, 2, 1), dt.date(2024, 2, 29), "Feb 2024"),
        (
            PeriodKind.QUARTERLY,
            dt.date(2025, 5, 31),
            dt.date(2025, 4, 1),
            dt.date(2025, 6, 30),
            "Quarter II 2025",
        ),
        (
            PeriodKind.QUARTERLY,
            dt.date(2025, 12, 31),
            dt.date(2025, 10, 1),
            dt.date(2025, 12, 31),
            "Quarter IV 2025",
        ),
        (
            PeriodKind.SEMESTER,
            dt.date(2025, 7, 1),
            dt.date(2025, 7, 1),
            dt.date(2025, 12, 31),
            "Semester II 2025",
        ),
        (PeriodKind.YEARLY, dt.date(2025, 3, 3), dt.date(2025, 1, 1), dt.date(2025, 12, 31), "2025"),
    ],
)
def test_periods_are_calendar_periods(kind, day, start, end, label):
    from django.utils import translation

    with translation.override("en"):
        period = compliance.period_containing(kind, day)
        assert (period.start, period.end, period.label) == (start, end, label)


@given(kind=st.sampled_from(PeriodKind.values), first=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
       days=st.integers(0, 800))  # fmt: skip
def test_periods_cover_every_day_once(kind, first, days):
    last = first + dt.timedelta(days=days)
    periods = compliance.periods_between(kind, first, last)
    assert periods[0].start <= first and periods[-1].end >= last
    for before, after in zip(periods, periods[1:], strict=False):
        assert after.start == before.end + dt.timedelta(days=1)


def test_only_a_period_start_starts_a_period():
    assert compliance.period_starting(PeriodKind.QUARTERLY, dt.date(2025, 4, 1)) is not None
    assert compliance.period_starting(PeriodKind.QUARTERLY, dt.date(2025, 5, 1)) is None


class _Report:
    def __init__(self, status, outcome=""):
        self.status, self.outcome = status, outcome


def test_a_period_without_a_report_is_not_reported_only_after_its_grace_days():
    period = Period(dt.date(2025, 1, 1), dt.date(2025, 3, 31), PeriodKind.QUARTERLY)
    on_time = dt.date(2025, 4, 30)
    assert compliance.status_for(report=None, period=period, grace_days=30, today=on_time) == Status.NOT_DUE
    late = dt.date(2025, 5, 1)
    assert compliance.status_for(report=None, period=period, grace_days=30, today=late) == Status.NOT_REPORTED
    assert (
        compliance.status_for(report=_Report("submitted"), period=period, grace_days=30, today=late)
        == Status.IN_REVIEW
    )
    assert (
        compliance.status_for(report=_Report("returned"), period=period, grace_days=30, today=late)
        == Status.RETURNED
    )
    accepted = _Report("accepted", Outcome.PARTLY)
    assert compliance.status_for(report=accepted, period=period, grace_days=30, today=late) == Status.PARTLY
