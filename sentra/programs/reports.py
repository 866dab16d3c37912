"""What came of the programmes, in figures that each lead to their records.

Reach is the number of distinct SMEs that took part (participants, withdrawn ones not counted) in
the programmes starting in a year, by kecamatan, sector (KBLI category), scale and programme.
Attendance rate is check-ins over (participants × sessions held). Outcomes: certificates obtained,
products improved, completion certificates, scale moved up since the programme began (from the
registry's scale history), and clinic outcomes verified by a second officer.

Sales before and after: each programme's participants' verified sales in the calendar year before
it started against the calendar year after it ended, read only through `sentra.sales` (every
channel registered), beside a comparison group — the SMEs of the same KBLI category and kecamatan
as a participant that did not take part. Figures are per SME (a group's total over its size,
SMEs without sales counting as zero), so groups of different sizes compare.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from sentra.registry.models import Scale
from sentra.sales import channels as sales

from .models import Attendance, ClinicBooking, CompletionCertificate, Enrolment, Outcome, Programme, Session
from .outcomes import scale_moves
from .services import sector_labels


def programmes_in(programmes: QuerySet, year: int | None) -> QuerySet:
    return programmes.in_year(year) if year else programmes


def participations(programmes: QuerySet, smes: QuerySet) -> QuerySet:
    """Participants of these programmes among these SMEs."""
    return Enrolment.objects.participating().filter(programme__in=programmes, sme__in=smes)


def _grouped(enrolments: QuerySet, *fields: str) -> list[dict]:
    return list(
        enrolments.values(*fields).annotate(smes=Count("sme", distinct=True)).order_by("-smes", *fields)
    )


@dataclass
class Reach:
    total: int
    by_kecamatan: list[dict]
    by_sector: list[dict]
    by_scale: list[dict]
    by_programme: list[dict]


def reach(enrolments: QuerySet) -> Reach:
    labels = sector_labels()
    sectors = _grouped(enrolments, "sme__kbli_category")
    for row in sectors:
        row["label"] = labels.get(row["sme__kbli_category"], row["sme__kbli_category"] or "—")
    scales = _grouped(enrolments, "sme__scale")
    for row in scales:
        row["label"] = Scale(row["sme__scale"]).label if row["sme__scale"] in Scale.values else "—"
    return Reach(
        total=enrolments.aggregate(n=Count("sme", distinct=True))["n"],
        by_kecamatan=_grouped(enrolments, "sme__kecamatan__code", "sme__kecamatan__name"),
        by_sector=sectors,
        by_scale=scales,
        by_programme=_grouped(enrolments, "programme__public_id", "programme__title", "programme__code"),
    )


def _count(qs: QuerySet) -> Coalesce:
    """COUNT(*) of a correlated subquery, as a column of the outer query."""
    counted = qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def programme_figures(
    programmes: QuerySet, smes: QuerySet, *, now: dt.datetime | None = None
) -> list[Programme]:
    """Each programme with its participants, sessions held, check-ins and outcomes counted (one
    query), and how many participants moved up a scale class (one more, over the scale history)."""
    now = now or timezone.now()
    here = OuterRef("pk")
    outcomes = Outcome.objects.filter(enrolment__programme=here, enrolment__sme__in=smes)
    rows = list(
        programmes.select_related("organiser")
        .annotate(
            participants=_count(Enrolment.objects.participating().filter(programme=here, sme__in=smes)),
            sessions_held=_count(Session.objects.filter(programme=here, starts_at__lte=now)),
            checkins=_count(
                Attendance.objects.filter(
                    session__programme=here,
                    session__starts_at__lte=now,
                    sme__in=smes,
                    sme__enrolments__programme=here,
                    sme__enrolments__status=Enrolment.Status.ACCEPTED,
                )
            ),
            certificates_obtained=_count(outcomes.filter(kind=Outcome.Kind.CERTIFICATE)),
            products_improved=_count(outcomes.filter(kind=Outcome.Kind.PRODUCT)),
            completion_certificates=_count(
                CompletionCertificate.objects.filter(
                    enrolment__programme=here, enrolment__sme__in=smes, revoked_at__isnull=True
                )
            ),
        )
        .order_by("starts_on", "id")
    )
    enrolments = list(
        participations(Programme.objects.filter(pk__in=[p.pk for p in rows]), smes)
        .select_related("programme")
        .only("id", "sme_id", "programme__starts_on")
    )
    moved = scale_moves(enrolments)
    naik_kelas: dict[int, int] = defaultdict(int)
    for enrolment in enrolments:
        if enrolment.pk in moved:
            naik_kelas[enrolment.programme_id] += 1
    for row in rows:
        expected = row.participants * row.sessions_held
        row.attendance_rate = round(100 * row.checkins / expected) if expected else None
        row.naik_kelas = naik_kelas[row.pk]
    return rows


def clinic_figures(smes: QuerySet, *, year: int | None) -> dict[str, int]:
    bookings = ClinicBooking.objects.filter(sme__in=smes)
    if year:
        bookings = bookings.filter(slot__starts_at__year=year)
    return bookings.aggregate(
        consultations=Count("id", filter=Q(status=ClinicBooking.Status.DONE)),
        smes=Count("sme", distinct=True, filter=Q(status=ClinicBooking.Status.DONE)),
        outcomes=Count("id", filter=~Q(outcome="")),
        verified=Count("id", filter=Q(outcome_verified_at__isnull=False)),
    )


# --- sales before and after --------------------------------------------------------------------


@dataclass
class Group:
    smes: set[int] = field(default_factory=set)
    before: int = 0
    after: int = 0

    @property
    def size(self) -> int:
        return len(self.smes)

    @property
    def before_per_sme(self) -> int | None:
        return self.before // self.size if self.size else None

    @property
    def after_per_sme(self) -> int | None:
        return self.after // self.size if self.size else None

    @property
    def change_percent(self) -> int | None:
        if not self.size or not self.before:
            return None
        return round(100 * (self.after - self.before) / self.before)


@dataclass
class SalesComparison:
    programme: Programme
    before_year: int
    after_year: int
    after_complete: bool
    participants: Group
    comparison: Group


def before_year(programme: Programme) -> int:
    return programme.starts_on.year - 1


def after_year(programme: Programme) -> int:
    return programme.ends_on.year + 1


def _cells(participants: dict[int, set[tuple]]) -> Q:
    cells = {cell for group in participants.values() for cell in group}
    q = Q(pk__in=[])
    for category, kecamatan_id in cells:
        q |= Q(kbli_category=category, kecamatan_id=kecamatan_id)
    return q


def comparison_groups(programmes: list[Programme], smes: QuerySet) -> tuple[dict, dict, QuerySet]:
    """(programme id -> participant ids, programme id -> comparison ids, every SME involved as a
    QuerySet of ids) for these programmes, in two queries."""
    members: dict[int, set[int]] = defaultdict(set)
    cells: dict[int, set[tuple]] = defaultdict(set)
    for programme_id, sme_id, category, kecamatan_id in participations(
        Programme.objects.filter(pk__in=[p.pk for p in programmes]), smes
    ).values_list("programme_id", "sme_id", "sme__kbli_category", "sme__kecamatan_id"):
        members[programme_id].add(sme_id)
        cells[programme_id].add((category, kecamatan_id))
    # Every participant lies in one of the cells, so the cells' SMEs are everyone involved.
    involved = smes.filter(_cells(cells))
    by_cell: dict[tuple, set[int]] = defaultdict(set)
    for sme_id, category, kecamatan_id in involved.values_list("pk", "kbli_category", "kecamatan_id"):
        by_cell[(category, kecamatan_id)].add(sme_id)
    others = {p.pk: set().union(*(by_cell[c] for c in cells[p.pk])) - members[p.pk] for p in programmes}
    return members, others, involved.values("pk")


def sales_before_after(
    programmes: list[Programme], smes: QuerySet, *, today: dt.date | None = None
) -> list[SalesComparison]:
    """Participants' and comparison SMEs' verified sales, the year before against the year after."""
    today = today or timezone.localdate()
    if not programmes:
        return []
    members, others, involved = comparison_groups(programmes, smes)
    first = min(before_year(p) for p in programmes)
    last = max(after_year(p) for p in programmes)
    yearly = sales.totals(
        by="sme_year",
        where=sales.SalesFilter(
            sme_ids=involved, start=dt.date(first, 1, 1), end=dt.date(last, 12, 31), verified_only=True
        ),
    )
    per_sme_year = {key: total.amount for key, total in yearly.items()}
    result = []
    for programme in programmes:
        years = before_year(programme), after_year(programme)
        groups = []
        for ids in (members[programme.pk], others[programme.pk]):
            group = Group(smes=ids)
            group.before = sum(per_sme_year.get((i, years[0]), 0) for i in ids)
            group.after = sum(per_sme_year.get((i, years[1]), 0) for i in ids)
            groups.append(group)
        result.append(
            SalesComparison(
                programme=programme,
                before_year=years[0],
                after_year=years[1],
                after_complete=years[1] < today.year,
                participants=groups[0],
                comparison=groups[1],
            )
        )
    return result


GROUPS = ("participants", "comparison")


def group_smes(programme: Programme, smes: QuerySet, which: str) -> QuerySet:
    """One group of a programme's comparison, as a QuerySet of SMEs (the sales and SME pages)."""
    participants = participations(Programme.objects.filter(pk=programme.pk), smes)
    if which == "participants":
        return smes.filter(pk__in=participants.values("sme_id"))
    cells = set(participants.values_list("sme__kbli_category", "sme__kecamatan_id"))
    return smes.filter(_cells({programme.pk: cells})).exclude(pk__in=participants.values("sme_id"))
