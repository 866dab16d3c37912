"""Official Bebeli figures kept summed per month, so reports read a few hundred rows, not millions.

A purchase counts once it is paid and verified. At that moment (and when an officer corrects a
counted purchase: out with the old version, in with the new) `count_in` / `count_out` adjust:

    MonthlySummary  (year, month, dimension, key) → amount, purchases, distinct SMEs.
                    month 0 is the whole year (distinct SMEs do not add up across months);
                    dimensions: all, buyer (civil servants buying for themselves together, key
                    "asn"), kecamatan, sector (KBLI category), scale (of the SME).
    DelaySummary    (year, month, days from receipt to payment) → purchases: medians.
    BuyerSmeYear    (year, organisation, SME) → amount; a buyer's year cell keeps `top3`, the
                    amount of its three largest SMEs (one indexed LIMIT 3 when a purchase counts).

A cell's distinct SMEs change only when the SME had no other counted purchase in it, which one
indexed EXISTS query answers. An SME's kecamatan, sector or scale is read when its purchase is counted;
`rebuild()` recomputes everything from the purchases in the database (after bulk loads, or if an SME
moved); `check()` compares the kept rows with a rebuild (`sentra bebeli_summaries --check`).
"""

from __future__ import annotations

from django.db import connections, transaction
from django.db.models import CharField, Count, F, Func, IntegerField, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, ExtractMonth, ExtractYear, NullIf

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


def top3(year: int, organisation_id: int) -> int:
    """The amount of a buyer's three largest SMEs of a year: one indexed LIMIT 3."""
    return sum(
        BuyerSmeYear.objects.filter(year=year, organisation_id=organisation_id)
        .order_by("-amount")
        .values_list("amount", flat=True)[:3]
    )


def _apply(purchase: Purchase, sign: int) -> None:
    year, month = purchase.paid_on.year, purchase.paid_on.month
    pair, _created = BuyerSmeYear.objects.select_for_update().get_or_create(
        year=year, organisation_id=purchase.organisation_id, sme_id=purchase.sme_id
    )
    pair.amount += sign * purchase.total
    pair.save() if pair.amount else pair.delete()
    for dimension, key in _keys(purchase).items():
        for period in (month, 0):
            row, _created = MonthlySummary.objects.select_for_update().get_or_create(
                year=year, month=period, dimension=dimension, key=key
            )
            row.amount += sign * purchase.total
            row.purchases += sign
            if not _others(purchase, dimension, year, period).exists():
                row.smes += sign
            if dimension == "buyer" and period == 0 and key != "asn":
                row.top3 = top3(year, purchase.organisation_id)
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


def count_in(purchase: Purchase) -> None:
    """`purchase` has just become counted (saved as verified); call inside its transaction."""
    _apply(purchase, +1)


def count_out(purchase: Purchase) -> None:
    """`purchase` (its values as they were when counted) no longer counts; call before saving the change."""
    _apply(purchase, -1)


class DaysBetween(Func):
    """Whole days from one date column to another, as an integer on both databases."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(julianday(%(expressions)s) AS INTEGER)",
                           arg_joiner=") - julianday(", **extra)  # fmt: skip

    def as_postgresql(self, compiler, connection, **extra):
        # date - date is an integer number of days in PostgreSQL.
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra)


def _insert_select(model, queryset) -> None:
    """INSERT INTO model's table the rows `queryset.values(...)` selects, without reading them here.

    The queryset's values() names are the columns, in order (Django keeps values() order).
    """
    names = list(queryset._fields)
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    selected = [alias or expr.target.attname for expr, _sql, alias in compiler.select]
    if selected != names:  # a safeguard: column order is what the INSERT relies on
        raise RuntimeError(f"selected {selected}, expected {names}")
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(n).column) for n in names)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({columns}) {sql}", params)  # noqa: S608


def _as_text(expression):
    return Cast(expression, CharField())


def _or_dash(field: str):
    return Coalesce(NullIf(F(field), Value("")), Value("-"))


@transaction.atomic
def rebuild() -> None:
    """Recompute every summary from the purchases, set-based: a few INSERT … SELECT … GROUP BY.

    The database does the reading and summing (after a bulk load or import, or to check the kept
    figures: `sentra bebeli_summaries --check`); nothing per purchase passes through Python.
    """
    MonthlySummary.objects.all().delete()
    DelaySummary.objects.all().delete()
    BuyerSmeYear.objects.all().delete()
    counted = Purchase.objects.verified().annotate(y=ExtractYear("paid_on"), mo=ExtractMonth("paid_on"))
    asn = Q(organisation__kind=ASN)
    keys = {
        "all": (counted, Value("")),
        "buyer": (counted.exclude(asn), _as_text("organisation_id")),
        "kecamatan": (counted, Coalesce(_as_text("sme__kecamatan_id"), Value(""))),
        "sector": (counted, _or_dash("sme__kbli_category")),
        "scale": (counted, _or_dash("sme__scale")),
        "asn": (counted.filter(asn), Value("asn")),
    }
    for dimension, (qs, key) in keys.items():
        dimension = "buyer" if dimension == "asn" else dimension
        for period in (F("mo"), Value(0)):
            rows = (
                qs.annotate(year=F("y"), month=period, dimension=Value(dimension), key=key)
                .values("year", "month", "dimension", "key")
                .order_by()
                .annotate(
                    amount=Sum("total"),
                    purchases=Count("pk"),
                    smes=Count("sme", distinct=True),
                    top3=Value(0),
                )  # set below for buyers
                .values("year", "month", "dimension", "key", "amount", "purchases", "smes", "top3")
            )
            _insert_select(MonthlySummary, rows)
    for period in (F("mo"), Value(0)):
        rows = (
            counted.filter(received_on__isnull=False)
            .annotate(year=F("y"), month=period, days=DaysBetween("paid_on", "received_on"))
            .values("year", "month", "days")
            .order_by()
            .annotate(purchases=Count("pk"))
            .values("year", "month", "days", "purchases")
        )
        _insert_select(DelaySummary, rows)
    pairs = (
        counted.annotate(year=F("y"))
        .values("year", "organisation_id", "sme_id")
        .order_by()
        .annotate(amount=Sum("total"))
        .values("year", "organisation_id", "sme_id", "amount")
    )
    _insert_select(BuyerSmeYear, pairs)
    # Each buyer's top three per year: one indexed LIMIT 3 per buyer cell (a few hundred at most).
    for row in MonthlySummary.objects.filter(dimension="buyer", month=0).exclude(key="asn"):
        MonthlySummary.objects.filter(pk=row.pk).update(top3=top3(row.year, int(row.key)))


def snapshot() -> dict[str, set[tuple]]:
    """Every kept summary row as plain tuples (without ids), to compare kept with rebuilt."""
    return {
        "monthly": set(
            MonthlySummary.objects.values_list(
                "year", "month", "dimension", "key", "amount", "purchases", "smes", "top3"
            )  # fmt: skip
        ),
        "delay": set(DelaySummary.objects.values_list("year", "month", "days", "purchases")),
        "pairs": set(BuyerSmeYear.objects.values_list("year", "organisation_id", "sme_id", "amount")),
    }


def check() -> dict[str, tuple[set, set]]:
    """Rebuild from the purchases and compare with what was kept; {table: (only kept, only rebuilt)}.

    Runs in a transaction it rolls back when anything differs, so a check changes nothing unless the
    kept figures were already right (then the rebuilt rows, equal to them, stay).
    """
    differences = {}
    with transaction.atomic():
        kept = snapshot()
        rebuild()
        rebuilt = snapshot()
        for table in kept:
            if kept[table] != rebuilt[table]:
                differences[table] = (kept[table] - rebuilt[table], rebuilt[table] - kept[table])
        if differences:
            transaction.set_rollback(True)
    return differences
