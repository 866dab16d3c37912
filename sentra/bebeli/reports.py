"""Bebeli figures: the officer's report and the public transparency page read them from here.

Official figures count only purchases the SME confirmed as paid and an officer verified, dated by the
day of payment. Every figure is one GROUP BY (so the work does not grow with rows in Python), and
each carries the filter of the purchase list behind it, so a reader can follow it to the purchases.
Median payment delay is read from a histogram of days (one row per distinct delay), not from rows.

Public cells: a buyer or kecamatan figure for a month, a month's total or the year's that rests on
fewer than SUPPRESS_BELOW SMEs would let a reader work out one business's sales, so it is shown as
suppressed, and so is a further cell wherever a hidden one could otherwise be worked out by
subtraction from shown figures (`protect`); civil servants buying for themselves are only ever shown
together, never by name.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.regions.models import Region
from sentra.registry.models import Sme

from . import flags
from .models import BuyerBudget, BuyerOrganisation, DelaySummary, MonthlySummary, Purchase

NATIONAL_SHARE = 0.40  # PP 7/2021, Perpres 12/2021 art. 65: 40% of goods and services spending
SUPPRESS_BELOW = 3


def official(queryset=None):
    return (queryset if queryset is not None else Purchase.objects.all()).verified()


def list_url(**filters) -> str:
    query = {k: v for k, v in filters.items() if v not in (None, "")}
    return reverse("bebeli:purchase_list") + ("?" + urlencode(query) if query else "")


def growth(current: int, previous: int | None) -> float | None:
    if not previous:
        return None
    return (current - previous) / previous * 100


def median_from_histogram(counts: dict[int, int]) -> float | None:
    total = sum(counts.values())
    if not total:
        return None
    ordered = sorted(counts.items())
    middle = [(total - 1) // 2, total // 2]
    values, seen = [], 0
    for days, n in ordered:
        while len(values) < 2 and middle[len(values)] < seen + n:
            values.append(days)
        seen += n
    return sum(values) / 2


def delay_histogram(queryset) -> dict[int, int]:
    """{days from receipt to payment: purchases}, one row per distinct delay."""
    delay = ExpressionWrapper(F("paid_on") - F("received_on"), output_field=DurationField())
    rows = (
        queryset.filter(received_on__isnull=False, paid_on__isnull=False)
        .annotate(delay=delay)
        .values("delay")
        .order_by()
        .annotate(n=Count("pk"))
    )
    result: dict[int, int] = defaultdict(int)
    for row in rows:
        value = row["delay"]
        days = value.days if isinstance(value, dt.timedelta) else int(value) // 86_400_000_000
        result[days] += row["n"]
    return dict(result)


@dataclass
class Row:
    label: str
    amount: int
    count: int
    url: str
    smes: int | None = None
    growth: float | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class Report:
    year: int
    years: list[Row]
    months: list[Row]
    buyers: list[Row]
    kecamatan: list[Row]
    sectors: list[Row]
    scales: list[Row]
    total: int
    count: int
    distinct_smes: int
    median_days: float | None
    pending_count: int
    pending_amount: int
    pending_oldest: dt.date | None
    as_of: dt.datetime


def _kecamatan_names() -> dict[int, str]:
    return dict(Region.objects.filter(level=Region.Level.KECAMATAN).values_list("pk", "name"))


def _grouped(qs, key: str, label_of, url_of) -> list[Row]:
    rows = (
        qs.values(key)
        .order_by()
        .annotate(amount=Sum("total"), n=Count("pk"), smes=Count("sme", distinct=True))
    )
    result = [Row(label_of(r[key]), r["amount"], r["n"], url_of(r[key]), smes=r["smes"]) for r in rows]
    return sorted(result, key=lambda r: -r.amount)


def build(*, year: int, scope=None) -> Report:
    """The officer's yearly report: regency-wide from the summaries, an officer's kecamatan from purchases."""
    if scope is None:
        return _build_from_summaries(year)
    return build_from_purchases(year=year, scope=scope)


def build_from_purchases(*, year: int, scope=None) -> Report:
    """The same report read straight from the purchases `scope` holds (all when None)."""
    base = official(scope)
    by_year = (
        base.annotate(y=ExtractYear("paid_on"))
        .values("y")
        .order_by("y")
        .annotate(amount=Sum("total"), n=Count("pk"))
    )
    years, previous = [], None
    for r in by_year:
        years.append(
            Row(str(r["y"]), r["amount"], r["n"], list_url(year=r["y"]), growth=growth(r["amount"], previous))
        )
        previous = r["amount"]
    in_year = base.filter(paid_on__year=year)
    by_month = {
        r["m"]: r
        for r in in_year.annotate(m=ExtractMonth("paid_on"))
        .values("m")
        .order_by()
        .annotate(amount=Sum("total"), n=Count("pk"), smes=Count("sme", distinct=True))
    }
    months, previous = [], None
    for m in range(1, 13):
        r = by_month.get(m, {"amount": 0, "n": 0, "smes": 0})
        label = dt.date(year, m, 1).strftime("%m")
        months.append(Row(f"{year}-{label}", r["amount"], r["n"], list_url(year=year, month=m), smes=r["smes"],
                          growth=growth(r["amount"], previous)))  # fmt: skip
        previous = r["amount"]
    totals = in_year.aggregate(amount=Sum("total"), n=Count("pk"), smes=Count("sme", distinct=True))
    buyers = _buyer_rows(in_year, year)
    regions = _kecamatan_names()
    kecamatan = _grouped(
        in_year,
        "sme__kecamatan",
        lambda pk: regions.get(pk, "—"),
        lambda pk: list_url(year=year, kecamatan=pk),
    )
    sectors = _grouped(
        in_year,
        "sme__kbli_category",
        lambda c: c or _("(no KBLI)"),
        lambda c: list_url(year=year, sector=c or "-"),
    )
    scale_names = dict(Sme._meta.get_field("scale").choices)
    scales = _grouped(
        in_year,
        "sme__scale",
        lambda s: str(scale_names.get(s, _("(not classified)"))),
        lambda s: list_url(year=year, scale=s or "-"),
    )
    pending = Purchase.objects.all() if scope is None else scope
    pending = (
        pending.completed()
        .filter(verified_at__isnull=True)
        .aggregate(n=Count("pk"), amount=Sum("total"), oldest=Min("payment_confirmed_at"))
    )
    oldest = pending["oldest"]
    return Report(
        year=year,
        years=years,
        months=months,
        buyers=buyers,
        kecamatan=kecamatan,
        sectors=sectors,
        scales=scales,
        total=totals["amount"] or 0,
        count=totals["n"],
        distinct_smes=totals["smes"],
        median_days=median_from_histogram(delay_histogram(in_year)),
        pending_count=pending["n"],
        pending_amount=pending["amount"] or 0,
        pending_oldest=timezone.localtime(oldest).date() if oldest else None,
        as_of=timezone.now(),
    )


def _buyer_rows(in_year, year: int) -> list[Row]:
    rows = list(
        in_year.values("organisation")
        .order_by()
        .annotate(amount=Sum("total"), n=Count("pk"), smes=Count("sme", distinct=True))
    )
    ids = [r["organisation"] for r in rows]
    orgs = {o.pk: o for o in BuyerOrganisation.objects.filter(pk__in=ids)}
    budgets = {b.organisation_id: b for b in BuyerBudget.objects.filter(organisation_id__in=ids, year=year)}
    per_sme = defaultdict(list)
    for r in in_year.values("organisation", "sme").order_by().annotate(amount=Sum("total")):
        per_sme[r["organisation"]].append(r["amount"])
    result = []
    for r in rows:
        org, budget = orgs[r["organisation"]], budgets.get(r["organisation"])
        top3 = sum(sorted(per_sme[org.pk], reverse=True)[:3]) / r["amount"] if r["amount"] else 0
        extra = {
            "organisation": org,
            "target": budget.local_target if budget else None,
            "of_target": r["amount"] / budget.local_target * 100 if budget and budget.local_target else None,
            "budget": budget.goods_services if budget else None,
            "of_budget": r["amount"] / budget.goods_services * 100 if budget else None,
            "meets_national": (r["amount"] >= budget.goods_services * NATIONAL_SHARE) if budget else None,
            "top3_share": top3 * 100,
            "top3_flag": r["smes"] > 3 and top3 > flags.TOP3_SHARE or (r["smes"] <= 3 and r["n"] > 3),
        }
        result.append(Row(org.name, r["amount"], r["n"], list_url(year=year, buyer=org.public_id), smes=r["smes"],
                          extra=extra))  # fmt: skip
    return sorted(result, key=lambda r: -r.amount)


# --- the public page ---------------------------------------------------------------------------------


@dataclass
class PublicCell:
    amount: int | None  # None: suppressed
    smes: int


@dataclass
class PublicFigures:
    year: int
    years: list[int]
    months: list[dict]  # month, amount and count (None: suppressed), smes
    buyers: list[tuple[str, list[PublicCell], PublicCell]]
    kecamatan: list[tuple[str, list[PublicCell], PublicCell]]
    total: int | None  # None: suppressed
    distinct_smes: int
    median_days: float | None
    as_of: dt.datetime


def _cell(amount: int, smes: int) -> PublicCell:
    return PublicCell(amount if smes >= SUPPRESS_BELOW or not smes else None, smes)


Grid = list[tuple[str, list[PublicCell], PublicCell]]
_PRIME = 2**61 - 1  # `recoverable` ranks modulo this prime: exact for sums of ±1 over a few hundred cells


def _sums(
    grids, months: list[PublicCell] | None, total: PublicCell | None
) -> list[list[tuple[PublicCell, int]]]:
    """Every identity a reader can add up from the page, as signed members whose sum is zero.

    A grid row's months add up to its year cell; a month's cells in a grid to that month's total, the
    year cells to the year's total (a grid covers every purchase: each has one buyer and one SME);
    the twelve month totals to the year's. Without `months` the totals count as shown constants.
    """
    sums = []
    for rows in grids:
        if not rows:
            continue
        sums += [[*((c, 1) for c in cells), (year, -1)] for _name, cells, year in rows]
        for m in range(12):
            column = [(cells[m], 1) for _name, cells, _year in rows]
            sums.append(column + ([(months[m], -1)] if months else []))
        sums.append([(year, 1) for _name, _cells, year in rows] + ([(total, -1)] if total else []))
    if months and total:
        sums.append([*((c, 1) for c in months), (total, -1)])
    return sums


def _hidden(c: PublicCell) -> bool:
    return bool(c.smes) and c.amount is None


def _shown(c: PublicCell) -> bool:
    return bool(c.smes) and c.amount is not None


def recoverable(sums: list[list[tuple[PublicCell, int]]]) -> list[PublicCell]:
    """The hidden cells whose amount follows from the shown ones through any combination of the sums.

    The hidden amounts solve A·x = b (b from shown cells); one is fixed exactly when its unit vector
    lies in A's row space, i.e. in the reduced row echelon form its pivot row holds nothing else.
    Sparse Gauss-Jordan modulo a large prime; the matrices are 0/±1, so their rank over the rationals
    is the same except for a vanishingly unlikely prime.
    """
    index: dict[int, int] = {}
    cells: list[PublicCell] = []
    pivots: dict[int, dict[int, int]] = {}  # pivot column -> its row, reduced, pivot entry 1
    for members in sums:
        row: dict[int, int] = {}
        for c, sign in members:
            if _hidden(c):
                if id(c) not in index:
                    index[id(c)] = len(cells)
                    cells.append(c)
                k = index[id(c)]
                row[k] = (row.get(k, 0) + sign) % _PRIME
        for col in [k for k in row if k in pivots]:
            factor = row.get(col, 0)
            if factor:
                for k, v in pivots[col].items():
                    row[k] = (row.get(k, 0) - factor * v) % _PRIME
        row = {k: v for k, v in row.items() if v}
        if not row:
            continue
        col = min(row)
        inverse = pow(row[col], -1, _PRIME)
        row = {k: v * inverse % _PRIME for k, v in row.items()}
        for other in pivots.values():
            factor = other.get(col)
            if factor:
                for k, v in row.items():
                    other[k] = (other.get(k, 0) - factor * v) % _PRIME
                for k in [k for k, v in other.items() if not v]:
                    del other[k]
        pivots[col] = row
    return [cells[col] for col, row in sorted(pivots.items()) if len(row) == 1]


def protect(*grids: Grid, months: list[PublicCell] | None = None, total: PublicCell | None = None) -> None:
    """Complementary suppression: no hidden cell may be worked out by subtraction.

    A row's months add up to its year; a month's cells add up to that month's total and the year
    cells to the year's total, and the month totals to the year's (see `_sums`; the buyer and the
    kecamatan grid share the totals, so they are protected together). Wherever exactly one cell of
    such a sum is hidden, the others and the total would give it away, so one more shown cell of that
    sum is hidden: the smallest among those whose hiding leaves none of their other sums with a lone
    hidden cell that nothing could cover; repeated until every sum hides none or at least two. Sums
    can still be combined (two rows minus two columns...), so then `recoverable` looks for any hidden
    cell that follows from the shown ones, and for each one found another cell of its sums is hidden,
    the smallest that makes it unrecoverable. Empty cells (no purchases) are known to be zero, so
    hiding one would protect nothing.
    """
    sums = _sums(grids, months, total)
    member_of: dict[int, list[list[tuple[PublicCell, int]]]] = defaultdict(list)
    for members in sums:
        for c, _sign in members:
            member_of[id(c)].append(members)

    def counts(members):
        return sum(1 for c, _s in members if _hidden(c)), sum(1 for c, _s in members if _shown(c))

    def strands(candidate, within) -> bool:
        """Would hiding `candidate` leave another of its sums with one hidden cell and none to add?"""
        return any(counts(other) == (0, 1) for other in member_of[id(candidate)] if other is not within)

    def lone_hidden():
        changed = True
        while changed:
            changed = False
            for members in sums:
                if counts(members)[0] != 1:
                    continue
                shown = [c for c, _s in members if _shown(c)]
                if shown:
                    min(shown, key=lambda c: (strands(c, members), c.amount)).amount = None
                    changed = True

    lone_hidden()
    while found := recoverable(sums):
        cell = found[0]
        near = {id(c): c for members in member_of[id(cell)] for c, _s in members if _shown(c)}
        candidates = (
            sorted(near.values(), key=lambda c: c.amount)
            or sorted((c for members in sums for c, _s in members if _shown(c)), key=lambda c: c.amount)[:1]
        )
        if not candidates:
            break  # nothing left to hide: what remains is known to be zero
        for candidate in candidates:
            amount, candidate.amount = candidate.amount, None
            if not any(c is cell for c in recoverable(sums)):
                break
            candidate.amount = amount
        else:
            candidates[0].amount = None
        lone_hidden()


def _canonical(rows: Grid) -> Grid:
    """One order whichever builder read the rows, so that protection breaks ties the same way."""
    return sorted(rows, key=lambda r: (r[0], r[2].amount or 0, [c.amount or 0 for c in r[1]]))


def _ordered(rows: Grid) -> Grid:
    """Protected first (so the order says nothing of a hidden amount), then largest first."""
    return sorted(rows, key=lambda r: (r[2].amount is None, -(r[2].amount or 0), r[0]))


def _publish(*, year, years, months, buyers, kecamatan, total, smes, median_days) -> PublicFigures:
    """The figures as published, whichever builder read them: month and year totals resting on fewer
    than SUPPRESS_BELOW SMEs hidden like the grid's cells, and all of it protected together."""
    month_cells = [_cell(m["amount"], m["smes"]) for m in months]
    year_cell = _cell(total, smes)
    buyers, kecamatan = _canonical(buyers), _canonical(kecamatan)
    protect(buyers, kecamatan, months=month_cells, total=year_cell)
    # A hidden month's number of purchases goes too: for a month of one SME it is that business's
    # number of sales, and next to the SME count it would show which months rest on one seller's
    # trade. No year count is published, so hiding a count never needs a second one to cover it.
    shown_months = [
        {
            "month": m["month"],
            "amount": c.amount,
            "count": None if c.amount is None else m["count"],
            "smes": m["smes"],
        }
        for m, c in zip(months, month_cells, strict=True)
    ]
    return PublicFigures(
        year=year,
        years=years,
        months=shown_months,
        buyers=_ordered(buyers),
        kecamatan=_ordered(kecamatan),
        total=year_cell.amount,
        distinct_smes=smes,
        median_days=median_days,
        as_of=timezone.now(),
    )


def _public_grid(in_year, key: str, label_of) -> list[tuple[str, list[PublicCell], PublicCell]]:
    cells: dict = defaultdict(dict)
    for r in (
        in_year.annotate(m=ExtractMonth("paid_on"))
        .values(key, "m")
        .order_by()
        .annotate(amount=Sum("total"), smes=Count("sme", distinct=True))
    ):
        cells[r[key]][r["m"]] = _cell(r["amount"], r["smes"])
    yearly = {
        r[key]: _cell(r["amount"], r["smes"])
        for r in in_year.values(key)
        .order_by()
        .annotate(amount=Sum("total"), smes=Count("sme", distinct=True))
    }
    rows = []
    for value, by_month in cells.items():
        rows.append(
            (label_of(value), [by_month.get(m, PublicCell(0, 0)) for m in range(1, 13)], yearly[value])
        )
    return rows


def public_from_purchases(*, year: int | None = None) -> PublicFigures:
    base = official()
    years = sorted({d.year for d in base.dates("paid_on", "year")})
    year = year or (years[-1] if years else timezone.localdate().year)
    in_year = base.filter(paid_on__year=year)
    month_rows = {
        r["m"]: r
        for r in in_year.annotate(m=ExtractMonth("paid_on"))
        .values("m")
        .order_by()
        .annotate(amount=Sum("total"), n=Count("pk"), smes=Count("sme", distinct=True))
    }
    months = []
    for m in range(1, 13):
        r = month_rows.get(m, {"amount": 0, "n": 0, "smes": 0})
        months.append({"month": m, "amount": r["amount"] or 0, "count": r["n"], "smes": r["smes"]})
    # Individual civil servants appear together as one buyer, never by name.
    asn = BuyerOrganisation.Kind.ASN
    org_names = dict(BuyerOrganisation.objects.exclude(kind=asn).values_list("pk", "name"))
    buyers = _public_grid(
        in_year.exclude(organisation__kind=asn), "organisation", lambda pk: org_names.get(pk, "—")
    ) + _public_grid(
        in_year.filter(organisation__kind=asn).annotate(everyone=F("regency_id")),
        "everyone",
        lambda _pk: _("Civil servants (ASN) buying for themselves"),
    )
    region_names = _kecamatan_names()
    kecamatan = _public_grid(in_year, "sme__kecamatan", lambda pk: region_names.get(pk, "—"))
    totals = in_year.aggregate(amount=Sum("total"), smes=Count("sme", distinct=True))
    return _publish(
        year=year,
        years=years,
        months=months,
        buyers=buyers,
        kecamatan=kecamatan,
        total=totals["amount"] or 0,
        smes=totals["smes"],
        median_days=median_from_histogram(delay_histogram(in_year)),
    )


# --- read from the summaries (see `summaries`) --------------------------------------------------------


def _cells(year: int, dimension: str, month: int | None = 0):
    qs = MonthlySummary.objects.filter(year=year, dimension=dimension)
    return qs if month is None else qs.filter(month=month)


def _year_row(year: int) -> MonthlySummary:
    return _cells(year, "all").first() or MonthlySummary(year=year, month=0, dimension="all")


def _median(year: int) -> float | None:
    rows = DelaySummary.objects.filter(year=year, month=0).values_list("days", "purchases")
    return median_from_histogram(dict(rows))


def _buyer_label(key: str, names: dict) -> str:
    return _("Civil servants (ASN) buying for themselves") if key == "asn" else names.get(int(key), "—")


def _pending(scope=None) -> dict:
    qs = Purchase.objects.all() if scope is None else scope
    return (
        qs.completed()
        .filter(verified_at__isnull=True)
        .aggregate(n=Count("pk"), amount=Sum("total"), oldest=Min("payment_confirmed_at"))
    )


def _build_from_summaries(year: int) -> Report:
    years, previous = [], None
    for r in MonthlySummary.objects.filter(dimension="all", month=0).order_by("year"):
        years.append(Row(str(r.year), r.amount, r.purchases, list_url(year=r.year), smes=r.smes,
                         growth=growth(r.amount, previous)))  # fmt: skip
        previous = r.amount
    by_month = {r.month: r for r in _cells(year, "all", None).exclude(month=0)}
    months, previous = [], None
    for m in range(1, 13):
        r = by_month.get(m) or MonthlySummary()
        months.append(Row(f"{year}-{m:02d}", r.amount, r.purchases, list_url(year=year, month=m), smes=r.smes,
                          growth=growth(r.amount, previous)))  # fmt: skip
        previous = r.amount
    regions = _kecamatan_names()
    kecamatan = [Row(regions.get(int(r.key), "—") if r.key else "—", r.amount, r.purchases,
                     list_url(year=year, kecamatan=r.key), smes=r.smes) for r in _cells(year, "kecamatan")]  # fmt: skip
    sectors = [Row(r.key if r.key != "-" else _("(no KBLI)"), r.amount, r.purchases,
                   list_url(year=year, sector=r.key), smes=r.smes) for r in _cells(year, "sector")]  # fmt: skip
    scale_names = dict(Sme._meta.get_field("scale").choices)
    scales = [Row(str(scale_names.get(r.key, _("(not classified)"))), r.amount, r.purchases,
                  list_url(year=year, scale=r.key), smes=r.smes) for r in _cells(year, "scale")]  # fmt: skip
    total, pending = _year_row(year), _pending()
    oldest = pending["oldest"]
    return Report(
        year=year,
        years=years,
        months=months,
        buyers=_summary_buyers(year),
        kecamatan=sorted(kecamatan, key=lambda r: -r.amount),
        sectors=sorted(sectors, key=lambda r: -r.amount),
        scales=sorted(scales, key=lambda r: -r.amount),
        total=total.amount,
        count=total.purchases,
        distinct_smes=total.smes,
        median_days=_median(year),
        pending_count=pending["n"],
        pending_amount=pending["amount"] or 0,
        pending_oldest=timezone.localtime(oldest).date() if oldest else None,
        as_of=timezone.now(),
    )


def _summary_buyers(year: int) -> list[Row]:
    cells = list(_cells(year, "buyer"))
    ids = [int(c.key) for c in cells if c.key != "asn"]
    orgs = {o.pk: o for o in BuyerOrganisation.objects.filter(pk__in=ids)}
    budgets = {b.organisation_id: b for b in BuyerBudget.objects.filter(organisation_id__in=ids, year=year)}
    result = []
    for c in cells:
        org = orgs.get(int(c.key)) if c.key != "asn" else None
        budget = budgets.get(org.pk) if org else None
        # Kept with the cell (see `summaries.top3`): the amount of the buyer's three largest SMEs.
        share = c.top3 / c.amount if c.amount and org else 0
        extra = {
            "organisation": org,
            "target": budget.local_target if budget else None,
            "of_target": c.amount / budget.local_target * 100 if budget and budget.local_target else None,
            "budget": budget.goods_services if budget else None,
            "of_budget": c.amount / budget.goods_services * 100 if budget else None,
            "meets_national": (c.amount >= budget.goods_services * NATIONAL_SHARE) if budget else None,
            "top3_share": share * 100,
            "top3_flag": c.smes > 3
            and share > flags.TOP3_SHARE
            or (c.smes <= 3 and c.purchases > 3 and org is not None),
        }
        url = list_url(year=year, buyer=org.public_id) if org else list_url(year=year, asn=1)
        result.append(Row(_buyer_label(c.key, {o.pk: o.name for o in orgs.values()}), c.amount, c.purchases, url,
                          smes=c.smes, extra=extra))  # fmt: skip
    return sorted(result, key=lambda r: -r.amount)


def _summary_grid(year: int, dimension: str, label_of) -> list[tuple[str, list[PublicCell], PublicCell]]:
    cells: dict = defaultdict(dict)
    yearly = {}
    for r in _cells(year, dimension, None):
        if r.month:
            cells[r.key][r.month] = _cell(r.amount, r.smes)
        else:
            yearly[r.key] = _cell(r.amount, r.smes)
    rows = [
        (label_of(key), [cells[key].get(m, PublicCell(0, 0)) for m in range(1, 13)], yearly[key])
        for key in yearly
    ]
    return rows


def public_figures(*, year: int | None = None) -> PublicFigures:
    """The public page's figures, from the summaries: a few hundred rows whatever the ledger's size."""
    years = list(
        MonthlySummary.objects.filter(dimension="all", month=0)
        .order_by("year")
        .values_list("year", flat=True)
    )
    year = year or (years[-1] if years else timezone.localdate().year)
    by_month = {r.month: r for r in _cells(year, "all", None).exclude(month=0)}
    months = []
    for m in range(1, 13):
        r = by_month.get(m) or MonthlySummary()
        months.append({"month": m, "amount": r.amount, "count": r.purchases, "smes": r.smes})
    names = dict(BuyerOrganisation.objects.exclude(kind=BuyerOrganisation.Kind.ASN).values_list("pk", "name"))
    regions = _kecamatan_names()
    total = _year_row(year)
    return _publish(
        year=year,
        years=years,
        months=months,
        buyers=_summary_grid(year, "buyer", lambda key: _buyer_label(key, names)),
        kecamatan=_summary_grid(year, "kecamatan", lambda key: regions.get(int(key), "—") if key else "—"),
        total=total.amount,
        smes=total.smes,
        median_days=_median(year),
    )
