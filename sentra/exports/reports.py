"""The export figures the Dinas reports, each traceable to the shipments behind it.

"Gone international" means a product has left the country on at least one recorded shipment. A
product shipped twice counts once; two products of one SME count twice. Per year, a product counts
in each year it was shipped ("shipped that year") and once in the year of its first shipment ("for
the first time"); the running total at a year's end is the count of products first shipped by then.
Every figure is read within the user's scope with a fixed number of queries, whatever the rows.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Min, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django_countries import countries

from sentra.registry.models import Sme

from .models import OrderLine, Shipment


def shipments_in_scope(user):
    return Shipment.objects.filter(order__deal__sme__in=Sme.objects.for_user(user))


def shipped_lines_in_scope(user):
    return OrderLine.objects.filter(
        order__shipment__isnull=False, order__deal__sme__in=Sme.objects.for_user(user)
    )


@dataclass
class YearRow:
    year: int
    products_shipped: int = 0
    products_first: int = 0
    products_cumulative: int = 0
    smes_first: int = 0
    shipments: int = 0
    value_idr: int = 0
    median_days: float | None = None


@dataclass
class Report:
    years: list[YearRow]
    products_total: int
    smes_total: int
    value_total: int
    shipments_total: int
    median_days: float | None
    countries: list[dict]
    country_years: list[dict]  # {"country", "years": {year: value}, "total"}
    first_time_smes: list[dict]  # {"sme_id", "name", "public_id", "year"}
    as_of: object = field(default_factory=timezone.now)


def products_gone_international(user, *, by_end_of: int | None = None) -> int:
    """Distinct products with at least one shipped export (first shipped by the end of that year)."""
    lines = shipped_lines_in_scope(user)
    if by_end_of is not None:
        lines = lines.filter(order__shipment__shipped_on__year__lte=by_end_of)
    return lines.values("product_id").distinct().count()


def build(user) -> Report:
    shipments = shipments_in_scope(user)
    lines = shipped_lines_in_scope(user)
    years: dict[int, YearRow] = {}

    def row(year: int) -> YearRow:
        return years.setdefault(year, YearRow(year))

    # 1. Value and shipments by country and year.
    country_years: dict[str, dict] = {}
    for r in (
        shipments.annotate(year=ExtractYear("shipped_on"))
        .values("destination_country", "year")
        .order_by()
        .annotate(value=Sum("order__value_idr"), n=Count("id"))
    ):
        entry = country_years.setdefault(
            r["destination_country"],
            {"country": r["destination_country"], "years": {}, "total": 0, "shipments": 0},
        )
        entry["years"][r["year"]] = r["value"]
        entry["total"] += r["value"]
        entry["shipments"] += r["n"]
        row(r["year"]).shipments += r["n"]
        row(r["year"]).value_idr += r["value"]
    # 2. Distinct products shipped per year.
    for r in (
        lines.annotate(year=ExtractYear("order__shipment__shipped_on"))
        .values("year")
        .order_by()
        .annotate(n=Count("product_id", distinct=True))
    ):
        row(r["year"]).products_shipped = r["n"]
    # 3. Each product's first shipment year.
    first_years = [
        r["first"].year
        for r in lines.values("product_id").order_by().annotate(first=Min("order__shipment__shipped_on"))
    ]
    for year in first_years:
        row(year).products_first += 1
    # 4. Each SME's first shipment.
    first_smes = list(
        shipments.values("order__deal__sme_id", "order__deal__sme__name", "order__deal__sme__public_id")
        .order_by()
        .annotate(first=Min("shipped_on"))
    )
    for r in first_smes:
        row(r["first"].year).smes_first += 1
    # 5. Days from PO to shipment.
    days_by_year = defaultdict(list)
    for shipped_on, ordered_on in shipments.values_list("shipped_on", "order__ordered_on"):
        days_by_year[shipped_on.year].append((shipped_on - ordered_on).days)
    for year, days in days_by_year.items():
        row(year).median_days = statistics.median(days)
    # 6. Products and SMEs per destination country.
    per_country = {
        r["order__shipment__destination_country"]: r
        for r in lines.values("order__shipment__destination_country")
        .order_by()
        .annotate(
            products=Count("product_id", distinct=True), smes=Count("order__deal__sme_id", distinct=True)
        )
    }
    running = 0
    for year in sorted(years):
        running += years[year].products_first
        years[year].products_cumulative = running
    all_days = [d for days in days_by_year.values() for d in days]
    destinations = sorted(
        (
            {
                "country": code,
                "country_name": countries.name(code),
                "shipments": entry["shipments"],
                "value": entry["total"],
                "products": per_country.get(code, {}).get("products", 0),
                "smes": per_country.get(code, {}).get("smes", 0),
            }
            for code, entry in country_years.items()
        ),
        key=lambda c: (-c["value"], c["country"]),
    )
    for entry in country_years.values():
        entry["country_name"] = countries.name(entry["country"])
        entry["cells"] = [{"year": y, "value": entry["years"].get(y, 0)} for y in sorted(years)]
    top = max((c["value"] for c in destinations), default=0)
    for c in destinations:
        c["share"] = round(c["value"] * 100 / top) if top else 0
    return Report(
        years=[years[y] for y in sorted(years)],
        products_total=len(first_years),
        smes_total=len(first_smes),
        value_total=sum(c["value"] for c in destinations),
        shipments_total=sum(c["shipments"] for c in destinations),
        median_days=statistics.median(all_days) if all_days else None,
        countries=destinations,
        country_years=sorted(country_years.values(), key=lambda c: (-c["total"], c["country"])),
        first_time_smes=sorted(
            (
                {"sme_id": r["order__deal__sme_id"], "name": r["order__deal__sme__name"],
                 "public_id": r["order__deal__sme__public_id"], "year": r["first"].year, "first": r["first"]}
                for r in first_smes
            ),
            key=lambda r: (r["first"], r["name"]),
        ),
    )  # fmt: skip
