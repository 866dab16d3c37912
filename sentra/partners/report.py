"""The foster-parent report: what the adopted SMEs gained over the period, beside SMEs not adopted.

Adopted SMEs are the assignment's list, or — when it has none — every SME of its kecamatan. They
are compared with the SMEs that were not adopted: the other SMEs of the same kecamatan for a list,
the SMEs of the regency's other kecamatan for a whole kecamatan.

For each group, over the period from the start to its end (or today, while it runs):

- scale: the class at the start (the last scale record up to the start; for an SME registered later,
  its first) against the class at the end (the last record up to the end), from `ScaleRecord`;
- legality: SMEs holding an NIB at the end, and those that obtained an NIB, a halal certificate or
  a P-IRT during the period (by the dates on the NIB and the permits);
- sales: through the shared sales interface only (`sentra.sales.channels.totals`), in the period
  and in a period of the same length just before it.

Every figure is a fixed number of queries (one aggregate per group and measure, one per sales
channel), whatever the number of SMEs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sentra.registry.models import Permit, Scale, ScaleRecord, Sme
from sentra.sales import channels as sales

from .models import Activity, FosterAssignment, FosterGoal

SCALE_RANK = {Scale.MICRO: 1, Scale.SMALL: 2, Scale.MEDIUM: 3, Scale.LARGE: 4}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # the assignment's end, or today while it runs

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def before(self) -> Period:
        """The period of the same length just before this one, for comparing sales."""
        end = self.start - dt.timedelta(days=1)
        return Period(start=end - dt.timedelta(days=self.days - 1), end=end)


def period_of(assignment: FosterAssignment, today: dt.date) -> Period:
    return Period(start=assignment.starts_on, end=max(assignment.starts_on, min(assignment.ends_on, today)))


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def with_scales(smes: QuerySet, period: Period) -> QuerySet:
    """Annotate `scale_start` and `scale_end`: the class at the start and at the end of the period."""
    records = ScaleRecord.objects.filter(sme=OuterRef("pk"))
    last_by_start = records.filter(recorded_at__lte=_end_of(period.start)).order_by("-recorded_at", "-id")
    first = records.order_by("recorded_at", "id")
    last_by_end = records.filter(recorded_at__lte=_end_of(period.end)).order_by("-recorded_at", "-id")
    start = Coalesce(
        Subquery(last_by_start.values("scale")[:1]),
        Subquery(first.values("scale")[:1]),
        "scale",
        output_field=CharField(),
    )
    return smes.annotate(scale_start=start).annotate(
        scale_end=Coalesce(Subquery(last_by_end.values("scale")[:1]), "scale_start", output_field=CharField())
    )


def _rank(expression: str) -> Case:
    return Case(
        *[When(**{expression: scale}, then=Value(rank)) for scale, rank in SCALE_RANK.items()],
        default=Value(0),
        output_field=IntegerField(),
    )


def _obtained(kind: str, period: Period) -> Exists:
    return Exists(
        Permit.objects.filter(
            sme=OuterRef("pk"), kind=kind, issued_on__gte=period.start, issued_on__lte=period.end
        )
    )


@dataclass
class Figures:
    label: str
    smes: int = 0
    with_nib: int = 0
    nib_obtained: int = 0
    halal_obtained: int = 0
    pirt_obtained: int = 0
    scaled_up: int = 0
    sales: int = 0
    sales_before: int = 0
    sales_by_channel: dict[str, int] = field(default_factory=dict)

    def share(self, count: int) -> float | None:
        return round(100 * count / self.smes, 1) if self.smes else None

    @property
    def sales_per_sme(self) -> int | None:
        return self.sales // self.smes if self.smes else None

    @property
    def sales_growth(self) -> float | None:
        if not self.sales_before:
            return None
        return round(100 * (self.sales - self.sales_before) / self.sales_before, 1)


def figures(smes: QuerySet, period: Period, *, label: str) -> Figures:
    counts = smes.aggregate(
        smes=Count("id"),
        with_nib=Count("id", filter=Q(nib__isnull=False) & ~Q(nib="")),
        nib_obtained=Count("id", filter=Q(nib_issued_on__gte=period.start, nib_issued_on__lte=period.end)),
        halal_obtained=Count("id", filter=Q(_obtained(Permit.Kind.HALAL, period))),
        pirt_obtained=Count("id", filter=Q(_obtained(Permit.Kind.PIRT, period))),
    )
    scaled = (
        with_scales(smes, period)
        .annotate(rank_start=_rank("scale_start"), rank_end=_rank("scale_end"))
        .aggregate(up=Count("id", filter=Q(rank_end__gt=F("rank_start"))))
    )
    ids = smes.values("pk")
    now = sales.grand_total(where=sales.SalesFilter(sme_ids=ids, start=period.start, end=period.end))
    before_period = period.before()
    before = sales.grand_total(
        where=sales.SalesFilter(sme_ids=ids, start=before_period.start, end=before_period.end)
    )
    return Figures(
        label=label,
        scaled_up=scaled["up"],
        sales=now.amount,
        sales_before=before.amount,
        sales_by_channel=now.by_channel,
        **counts,
    )


# --- the groups ---------------------------------------------------------------------------------


def groups(assignment: FosterAssignment) -> tuple[QuerySet, QuerySet, str]:
    """The adopted SMEs, the SMEs not adopted to compare them with, and what to call the latter."""
    active = Sme.objects.active()
    if assignment.smes.exists():
        adopted = active.filter(foster_assignments=assignment)
        listed = Sme.objects.filter(foster_assignments=assignment).values("pk")
        if assignment.kecamatan_id:
            area = Q(kecamatan_id=assignment.kecamatan_id)
            label = _("Other SMEs of Kecamatan %(name)s") % {"name": assignment.kecamatan.name}
        else:
            area = Q(
                kecamatan_id__in=Sme.objects.filter(foster_assignments=assignment).values("kecamatan_id")
            )
            label = _("Other SMEs of the same kecamatan")
        return adopted, active.filter(area).exclude(pk__in=listed), label
    if assignment.kecamatan_id:
        adopted = active.filter(kecamatan_id=assignment.kecamatan_id)
        others = active.filter(regency_id=assignment.regency_id).exclude(kecamatan_id=assignment.kecamatan_id)
        return adopted, others, _("SMEs of the other kecamatan")
    return Sme.objects.none(), Sme.objects.none(), _("Other SMEs")


@dataclass(frozen=True)
class Row:
    label: str
    adopted: int
    others: int
    adopted_share: float | None = None
    others_share: float | None = None
    money: bool = False
    percent: bool = False


def comparison_rows(adopted: Figures, others: Figures) -> list[Row]:
    """The report's table, measure by measure: counts with their share of the group, then sales."""

    def counted(label, name):
        a, o = getattr(adopted, name), getattr(others, name)
        return Row(label, a, o, adopted.share(a), others.share(o))

    return [
        Row(_("SMEs"), adopted.smes, others.smes),
        counted(_("Moved up a scale class"), "scaled_up"),
        counted(_("Hold an NIB"), "with_nib"),
        counted(_("Obtained an NIB in the period"), "nib_obtained"),
        counted(_("Obtained a halal certificate"), "halal_obtained"),
        counted(_("Obtained a P-IRT"), "pirt_obtained"),
        Row(_("Sales in the period"), adopted.sales, others.sales, money=True),
        Row(_("Sales per SME"), adopted.sales_per_sme, others.sales_per_sme, money=True),
        Row(
            _("Sales in the same length of time before"),
            adopted.sales_before,
            others.sales_before,
            money=True,
        ),
        Row(_("Change in sales"), adopted.sales_growth, others.sales_growth, percent=True),
    ]


@dataclass
class GoalLine:
    goal: FosterGoal
    reached: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.reached / self.goal.target)) if self.goal.target else 0


@dataclass
class FosterReport:
    assignment: FosterAssignment
    period: Period
    adopted: Figures
    others: Figures
    activities: list[Activity]
    reached: int
    goals: list[GoalLine]
    as_of: dt.datetime

    @property
    def rows(self) -> list[Row]:
        return comparison_rows(self.adopted, self.others)

    @property
    def channels(self) -> list[str]:
        return [str(c.label) for c in sales.channels()]


def foster_report(assignment: FosterAssignment, *, today: dt.date | None = None) -> FosterReport:
    today = today or timezone.localdate()
    period = period_of(assignment, today)
    adopted, others, others_label = groups(assignment)
    adopted_figures = figures(adopted, period, label=_("Adopted SMEs"))
    other_figures = figures(others, period, label=others_label)
    activities = list(
        assignment.activities.annotate(
            sme_count=Count("smes", distinct=True), evidence_count=Count("evidence", distinct=True)
        ).order_by("-starts_on", "-id")
    )
    reached = Sme.objects.filter(partner_activities__foster=assignment).distinct().count()
    measured = {
        FosterGoal.Measure.NIB: adopted_figures.nib_obtained,
        FosterGoal.Measure.HALAL: adopted_figures.halal_obtained,
        FosterGoal.Measure.PIRT: adopted_figures.pirt_obtained,
        FosterGoal.Measure.SCALE_UP: adopted_figures.scaled_up,
        FosterGoal.Measure.REACHED: reached,
        FosterGoal.Measure.ACTIVITIES: len(activities),
        FosterGoal.Measure.SALES: adopted_figures.sales,
    }
    goals = [
        GoalLine(goal=goal, reached=measured[goal.measure])
        for goal in sorted(assignment.targets.all(), key=lambda g: FosterGoal.Measure.values.index(g.measure))
    ]
    return FosterReport(
        assignment=assignment,
        period=period,
        adopted=adopted_figures,
        others=other_figures,
        activities=activities,
        reached=reached,
        goals=goals,
        as_of=timezone.now(),
    )


def add_progress(smes: list[Sme], period: Period) -> list[Sme]:
    """Give each SME of a page (annotated by `with_scales`) its scale labels and its sales in the period,
    in one query per sales channel."""
    by_sme = sales.totals(
        by="sme", where=sales.SalesFilter(sme_ids=[s.pk for s in smes], start=period.start, end=period.end)
    )
    labels = dict(Scale.choices)
    for sme in smes:
        sme.scale_start_label = labels.get(sme.scale_start, "")
        sme.scale_end_label = labels.get(sme.scale_end, "")
        sme.period_sales = by_sme.get((sme.pk,), sales.Total()).amount
    return smes
