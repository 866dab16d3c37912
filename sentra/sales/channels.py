"""Sales across channels, read in one shape.

Each area keeps its own sales records, in the form its work needs: outlet sales (per sale), the
turnover a partner reports for a cooperation outlet (per period), Bebeli transactions, sales reported
at promotion events, exports, domestic sales to other regions. Reports that cross areas — an SME's
sales before and after a programme, a foster parent's SMEs, the dashboard — read them all here, as
lines of one shape:

    channel   the channel's code ("outlet", "bebeli", …)
    sme_id    the SME the sale belongs to (None where a period's turnover has no single SME)
    on        the date of the sale (a period's last day for period turnover)
    amount    whole Rupiah
    verified  whether the figure may count in official totals

An area registers its channel once, from its AppConfig.ready(), with a function that returns its
records as a QuerySet annotated with `sale_sme_id`, `sale_on`, `sale_amount` and `sale_verified`
(prefixed so they never clash with the area's own field names). Totals are one aggregate query per
channel, so they do not grow with the rows; lines are one UNION query.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import CharField, Count, IntegerField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

SHAPE = ("sale_sme_id", "sale_on", "sale_amount", "sale_verified")
GROUPS = {
    "channel": (),
    "sme": ("sale_sme_id",),
    "year": ("sale_year",),
    "month": ("sale_year", "sale_month"),
    "sme_year": ("sale_sme_id", "sale_year"),
}


@dataclass(frozen=True)
class Channel:
    code: str
    label: str  # a lazy translation
    # Returns the channel's records annotated with the four sale_* names of SHAPE.
    lines: Callable[[], QuerySet]
    # The page of one record, given its primary key, so every figure traces back to its records.
    record_url: Callable[[int], str] | None = None


_CHANNELS: dict[str, Channel] = {}


def register(channel: Channel) -> None:
    """Add (or replace, on a reload) a channel; called from the area's AppConfig.ready()."""
    _CHANNELS[channel.code] = channel


def channels(codes: Iterable[str] | None = None) -> list[Channel]:
    if codes is None:
        return list(_CHANNELS.values())
    wanted = set(codes)
    return [c for c in _CHANNELS.values() if c.code in wanted]


def channel(code: str) -> Channel:
    return _CHANNELS[code]


@dataclass(frozen=True)
class SalesFilter:
    """Which sales to read; every part is optional."""

    # A list of ids, or a QuerySet of SME ids (read as a subquery: a large group costs no parameters).
    sme_ids: Iterable[int] | QuerySet | None = None
    start: dt.date | None = None  # inclusive
    end: dt.date | None = None  # inclusive
    verified_only: bool = False
    channels: Iterable[str] | None = None

    def apply(self, qs: QuerySet) -> QuerySet:
        if self.sme_ids is not None:
            ids = self.sme_ids if isinstance(self.sme_ids, QuerySet) else list(self.sme_ids)
            qs = qs.filter(sale_sme_id__in=ids)
        if self.start is not None:
            qs = qs.filter(sale_on__gte=self.start)
        if self.end is not None:
            qs = qs.filter(sale_on__lte=self.end)
        if self.verified_only:
            qs = qs.filter(sale_verified=True)
        return qs


def _filtered(chan: Channel, where: SalesFilter) -> QuerySet:
    return where.apply(chan.lines())


@dataclass
class Total:
    amount: int = 0
    count: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)


def totals(*, by: str = "channel", where: SalesFilter | None = None) -> dict[tuple, Total]:
    """Sums of amount and counts of lines, grouped by `by` (a key of GROUPS), across channels.

    The key is the tuple of the group's values — () for "channel" alone, (sme_id,), (year,),
    (year, month), (sme_id, year); each Total also says how much of it came from each channel.
    """
    where = where or SalesFilter()
    group = GROUPS[by]
    result: dict[tuple, Total] = defaultdict(Total)
    for chan in channels(where.channels):
        qs = _filtered(chan, where).annotate(
            sale_year=ExtractYear("sale_on"), sale_month=ExtractMonth("sale_on")
        )
        rows = qs.values(*group) if group else qs.values(sale_channel=Value(chan.code))
        rows = rows.order_by().annotate(
            total=Coalesce(Sum("sale_amount"), Value(0), output_field=IntegerField()), lines=Count("pk")
        )
        for row in rows:
            key = tuple(row[name] for name in group)
            total = result[key]
            total.amount += row["total"]
            total.count += row["lines"]
            total.by_channel[chan.code] = total.by_channel.get(chan.code, 0) + row["total"]
    return dict(result)


def grand_total(*, where: SalesFilter | None = None) -> Total:
    return totals(by="channel", where=where).get((), Total())


def lines(*, where: SalesFilter | None = None, limit: int = 100, offset: int = 0) -> list[dict]:
    """The sales lines themselves, newest first, across channels, in one UNION query.

    Each line is a dict of channel, record (its primary key), sme_id, on, amount, verified and url.
    """
    where = where or SalesFilter()
    chosen = channels(where.channels)
    if not chosen:
        return []
    parts = [
        _filtered(chan, where)
        .order_by()
        .annotate(sale_channel=Value(chan.code, output_field=CharField()))
        .values_list("sale_channel", "pk", *SHAPE)
        for chan in chosen
    ]
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    rows = union.order_by("-sale_on", "-pk")[offset : offset + limit]
    result = []
    for code, pk, sme_id, on, amount, verified in rows:
        chan = _CHANNELS[code]
        result.append(
            {
                "channel": code,
                "label": chan.label,
                "record": pk,
                "sme_id": sme_id,
                "on": on,
                "amount": amount,
                "verified": bool(verified),
                "url": chan.record_url(pk) if chan.record_url else "",
            }
        )
    return result
