"""Official Bebeli figures kept summed per month, so reports read a few hundred rows, not millions.

A purchase counts once it is paid and verified. At that moment (and when an officer corrects a
counted purchase: out with the old version, in with the new) `count_in` / `count_out` adjust:

    MonthlySummary  (year, month, dimension, key) → amount, purchases, distinct SMEs.
                    month 0 is the whole year (distinct SMEs do not add up across months);
                    dimensions: all, buyer (civil servants buying for themselves together, key
                    "asn"), kecamatan, sector (KBLI category), scale (of the SME).
    DelaySummary    (year, month, days from receipt to payment) → purchases: medians.
    BuyerSmeYear    (year, organisation, SME) → amount: a buyer's top three SMEs.

A cell's distinct SMEs change only when the SME had no other counted purchase in it, which one
indexed EXISTS query answers. An SME's kecamatan, sector or scale is read when its purchase is counted;
`rebuild()` recomputes everything from the purchases (after bulk loads, or if an SME moved).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, DurationField, ExpressionWrapper, F, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from sentra.core.bulk import insert_rows

from .models import BuyerOrganisation, BuyerSmeYear, DelaySummary, MonthlySummary, Purchase

ASN = BuyerOrganisation.Kind.ASN
DIMENSIONS = ("all", "buyer", "kecamatan", "sector", "scale")


def buyer_key(organisation) -> str:
    return "asn" if organisation.kind == ASN else str(organisation.pk)


def _keys(purchase: Purchase) -> dict[str, str]:
    sme = purchase.sme
    return {
        "all": "",
        "buyer": buyer_key(purchase.organisation),
        "kecamatan": str(sme.kecamatan_id or ""),
        "sector": sme.kbli_category or "-",
        "scale": sme.scale or "-",
    }


def _others(purchase: Purchase, dimension: str, year: int, month: int):
    """Other counted purchases of the same SME in this cell."""
    qs = (
        Purchase.objects.verified().filter(sme_id=purchase.sme_id, paid_on__year=year).exclude(pk=purchase.pk)
    )
    if month:
        qs = qs.filter(paid_on__month=month)
    if dimension == "buyer":
        org = purchase.organisation
        qs = qs.filter(organisation__kind=ASN) if org.kind == ASN else qs.filter(organisation_id=org.pk)
    return qs


def _delay(purchase: Purchase) -> int | None:
    if purchase.received_on and purchase.paid_on:
        return (purchase.paid_on - purchase.received_on).days
    return None


def _apply(purchase: Purchase, sign: int) -> None:
    year, month = purchase.paid_on.year, purchase.paid_on.month
    for dimension, key in _keys(purchase).items():
        for period in (month, 0):
            row, _created = MonthlySummary.objects.select_for_update().get_or_create(
                year=year, month=period, dimension=dimension, key=key
            )
            row.amount += sign * purchase.total
            row.purchases += sign
            if not _others(purchase, dimension, year, period).exists():
                row.smes += sign
            if row.purchases:
                row.save()
            else:
                row.delete()
    days = _delay(purchase)
    if days is not None:
        for period in (month, 0):
            row, _created = DelaySummary.objects.select_for_update().get_or_create(
                year=year, month=period, days=days
            )
            row.purchases += sign
            row.save() if row.purchases else row.delete()
    pair, _created = BuyerSmeYear.objects.select_for_update().get_or_create(
        year=year, organisation_id=purchase.organisation_id, sme_id=purchase.sme_id
    )
    pair.amount += sign * purchase.total
    pair.save() if pair.amount else pair.delete()


def count_in(purchase: Purchase) -> None:
    """`purchase` has just become counted (saved as verified); call inside its transaction."""
    _apply(purchase, +1)


def count_out(purchase: Purchase) -> None:
    """`purchase` (its values as they were when counted) no longer counts; call before saving the change."""
    _apply(purchase, -1)


def _cells(qs, field: str | None, by_month: bool):
    group = ["y", "m"] if by_month else ["y"]
    qs = qs.annotate(y=ExtractYear("paid_on"), m=ExtractMonth("paid_on"))
    if field:
        group.append(field)
    return (
        qs.values(*group)
        .order_by()
        .annotate(amount=Sum("total"), n=Count("pk"), smes=Count("sme", distinct=True))
    )


@transaction.atomic
def rebuild() -> None:
    """Recompute every summary from the purchases (a full read: after a bulk load, not on each change)."""
    MonthlySummary.objects.all().delete()
    DelaySummary.objects.all().delete()
    BuyerSmeYear.objects.all().delete()
    counted = Purchase.objects.verified()
    sources = {
        "all": (counted, None, lambda v: ""),
        "buyer": (counted.exclude(organisation__kind=ASN), "organisation_id", str),
        "kecamatan": (counted, "sme__kecamatan_id", lambda v: str(v or "")),
        "sector": (counted, "sme__kbli_category", lambda v: v or "-"),
        "scale": (counted, "sme__scale", lambda v: v or "-"),
    }
    rows = []
    for dimension, (qs, field, key_of) in sources.items():
        for by_month in (True, False):
            for r in _cells(qs, field, by_month):
                rows.append({"year": r["y"], "month": r["m"] if by_month else 0, "dimension": dimension,
                             "key": key_of(r[field]) if field else "", "amount": r["amount"],
                             "purchases": r["n"], "smes": r["smes"]})  # fmt: skip
            if dimension == "buyer":
                for r in _cells(counted.filter(organisation__kind=ASN), None, by_month):
                    rows.append({"year": r["y"], "month": r["m"] if by_month else 0, "dimension": "buyer",
                                 "key": "asn", "amount": r["amount"], "purchases": r["n"], "smes": r["smes"]})  # fmt: skip
    insert_rows(MonthlySummary, rows)
    delay = ExpressionWrapper(F("paid_on") - F("received_on"), output_field=DurationField())
    delays: dict[tuple[int, int, int], int] = {}
    for r in (
        counted.filter(received_on__isnull=False)
        .annotate(y=ExtractYear("paid_on"), m=ExtractMonth("paid_on"), d=delay)
        .values("y", "m", "d")
        .order_by()
        .annotate(n=Count("pk"))
    ):
        value = r["d"]
        days = value.days if isinstance(value, dt.timedelta) else int(value) // 86_400_000_000
        for period in (r["m"], 0):
            delays[(r["y"], period, days)] = delays.get((r["y"], period, days), 0) + r["n"]
    insert_rows(
        DelaySummary, ({"year": y, "month": m, "days": d, "purchases": n} for (y, m, d), n in delays.items())
    )
    pairs = (
        counted.annotate(y=ExtractYear("paid_on"))
        .values("y", "organisation_id", "sme_id")
        .order_by()
        .annotate(amount=Sum("total"))
    )
    batch = []
    for r in pairs.iterator(chunk_size=5000):
        batch.append({"year": r["y"], "organisation_id": r["organisation_id"], "sme_id": r["sme_id"],
                      "amount": r["amount"]})  # fmt: skip
        if len(batch) == 5000:
            insert_rows(BuyerSmeYear, batch)
            batch = []
    insert_rows(BuyerSmeYear, batch)
