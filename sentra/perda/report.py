"""The yearly compliance report: every obligation, each of its periods in the year, and what stands.

Two queries whatever the number of businesses: the obligations running in the year, and their
reports of the year. Each cell is one period of one business with its status (compliance.Status)
and the report behind it; the year's share of a business is Σ allocated ÷ Σ total over its
accepted reports of the year (the same unit throughout, since an obligation keeps its basis),
rounded down like every share (compliance.share).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from . import compliance
from .compliance import Status
from .models import Obligation, Realisation
from .services import reportable_periods

COUNTED = (Status.MET, Status.PARTLY, Status.NOT_MET, Status.NOT_REPORTED, Status.IN_REVIEW, Status.RETURNED)


@dataclass
class Cell:
    period: compliance.Period
    status: str
    report: Realisation | None

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


@dataclass
class Row:
    obligation: Obligation
    cells: list[Cell]
    counts: Counter
    share: Decimal | None  # of the accepted reports, None without any

    def has(self, status: str) -> bool:
        return self.counts[status] > 0


@dataclass
class YearReport:
    year: int
    as_of: dt.datetime
    rows: list[Row] = field(default_factory=list)
    totals: Counter = field(default_factory=Counter)

    @property
    def total_items(self) -> list[tuple[str, str, int]]:
        return [(s.value, s.label, self.totals[s.value]) for s in COUNTED]


def running_in(year: int):
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return Obligation.objects.filter(starts_on__lte=last).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=first)
    )


def build(year: int, *, obligations=None, today: dt.date | None = None) -> YearReport:
    today = today or timezone.localdate()
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    obligations = (running_in(year) if obligations is None else obligations).select_related("partner")
    obligations = list(obligations.order_by("partner__name", "starts_on", "id"))
    reports = Realisation.objects.filter(
        obligation__in=[o.pk for o in obligations], period_start__gte=first, period_start__lte=last
    )
    by_period = {(r.obligation_id, r.period_start): r for r in reports}
    result = YearReport(year=year, as_of=timezone.now())
    for obligation in obligations:
        cells = []
        totals = [Decimal(0), Decimal(0)]
        for period in reportable_periods(obligation, today=min(today, last)):
            if period.start < first:
                continue
            report = by_period.get((obligation.pk, period.start))
            status = compliance.status_for(
                report=report, period=period, grace_days=obligation.grace_days, today=today
            )
            cells.append(Cell(period=period, status=status, report=report))
            if report is not None and report.status == Realisation.ReviewStatus.ACCEPTED:
                totals[0] += report.total
                totals[1] += report.allocated
        counts = Counter(cell.status for cell in cells)
        share = compliance.share(total=totals[0], allocated=totals[1]) if totals[0] else None
        result.rows.append(Row(obligation=obligation, cells=cells, counts=counts, share=share))
        result.totals.update(counts)
    return result
