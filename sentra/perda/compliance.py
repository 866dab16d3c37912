"""Compliance with a Perda obligation: its reporting periods, and the arithmetic of one realisation.

Periods are calendar periods (months; quarters from January, April, July, October; semesters from
January and July; years), so every business of one obligation type reports for the same dates. The
first period is the one holding the obligation's start date. A report is due `grace_days` after its
period ends; after that, a period without a report is "not reported".

The decision is exact, never rounded: a realisation meets the obligation when

    allocated × 100 ≥ percentage × total

compared in `Decimal` (m² carry at most two decimals, Rupiah none, the percentage at most two),
so 29.99% of a 1,000 m² mall never passes for 30%. Something allocated but less than required is
"partly met"; nothing allocated is "not met". The share shown beside it is allocated ÷ total × 100
rounded *down* to one decimal (`SHARE_STEP`, `ROUND_DOWN`): a share shown as 30.0% really is at
least 30%, and one shown below the percentage really is below it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

SHARE_STEP = Decimal("0.1")
HUNDRED = Decimal(100)


class PeriodKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMESTER = "semester", _("Every semester")
    YEARLY = "yearly", _("Yearly")


MONTHS = {PeriodKind.MONTHLY: 1, PeriodKind.QUARTERLY: 3, PeriodKind.SEMESTER: 6, PeriodKind.YEARLY: 12}
ROMAN = ("I", "II", "III", "IV")


class Outcome(models.TextChoices):
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")


class Status(models.TextChoices):
    """Where one business stands for one period: an accepted report's outcome, or why there is none."""

    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")
    NOT_REPORTED = "not_reported", _("Not reported")
    IN_REVIEW = "in_review", _("Submitted, being reviewed")
    RETURNED = "returned", _("Returned for correction")
    NOT_DUE = "not_due", _("Not due yet")


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    kind: str

    @property
    def label(self) -> str:
        months = MONTHS[PeriodKind(self.kind)]
        if months == 12:
            return str(self.start.year)
        if months == 1:
            from django.utils import formats

            return formats.date_format(self.start, "M Y")
        number = ROMAN[(self.start.month - 1) // months]
        if months == 3:
            return pgettext("period", "Quarter %(n)s %(year)s") % {"n": number, "year": self.start.year}
        return pgettext("period", "Semester %(n)s %(year)s") % {"n": number, "year": self.start.year}

    def due_on(self, grace_days: int) -> dt.date:
        return self.end + dt.timedelta(days=grace_days)


def period_containing(kind: str, day: dt.date) -> Period:
    months = MONTHS[PeriodKind(kind)]
    first_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first_month, 1)
    return Period(start=start, end=_add_months(start, months) - dt.timedelta(days=1), kind=kind)


def period_starting(kind: str, start: dt.date) -> Period | None:
    """The period beginning on `start`, or None when no period of this kind begins that day."""
    period = period_containing(kind, start)
    return period if period.start == start else None


def periods_between(kind: str, first: dt.date, last: dt.date) -> list[Period]:
    """The periods of `kind` that overlap the days `first`..`last`, in order."""
    periods: list[Period] = []
    period = period_containing(kind, first)
    while period.start <= last:
        periods.append(period)
        period = period_containing(kind, period.end + dt.timedelta(days=1))
    return periods


def outcome(*, total: Decimal, allocated: Decimal, percentage: Decimal) -> Outcome:
    """Met, partly met or not met, decided exactly (see the module docstring)."""
    if total <= 0 or allocated < 0 or allocated > total:
        raise ValueError("the total must be positive and the allocation between zero and the total")
    if allocated * HUNDRED >= percentage * total:
        return Outcome.MET
    if allocated > 0:
        return Outcome.PARTLY
    return Outcome.NOT_MET


def share(*, total: Decimal, allocated: Decimal) -> Decimal:
    """allocated ÷ total × 100, rounded down to one decimal: the share shown and exported.

    Worked in integers (hundredths of the unit, then whole tenths of a percent), so no division
    ever rounds before the one deliberate rounding down.
    """
    a, t = _hundredths(allocated), _hundredths(total)
    return Decimal((a * 1000) // t) * SHARE_STEP


def _hundredths(value) -> int:
    scaled = Decimal(value) * HUNDRED
    if scaled != scaled.to_integral_value():
        raise ValueError("amounts carry at most two decimals")
    return int(scaled)


def status_for(*, report, period: Period, grace_days: int, today: dt.date) -> str:
    """The Status of one period given its report (or None), on `today`."""
    if report is None:
        return Status.NOT_REPORTED if today > period.due_on(grace_days) else Status.NOT_DUE
    if report.status == "accepted":
        return report.outcome
    if report.status == "returned":
        return Status.RETURNED
    return Status.IN_REVIEW
