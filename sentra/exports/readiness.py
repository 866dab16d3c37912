"""Export readiness: a checklist per SME and per product, a score, and what would fill each gap.

The checklist reads what the registry already knows (the NIB, which also serves as the exporter's
identity at customs, and the permits: halal, BPOM, SNI, HKI) and the export facts kept here
(monthly capacity, English packaging and label, a USD price, samples, earlier exports).

A product's score covers the SME's items and its own; an SME's score is that of its readiest
product (an SME is ready to export when one of its products is). Score = the weights of the items
met ÷ the weights of the items that apply × 100, rounded down. Which permits a product needs
depends on its catalogue category (REQUIRED_PERMITS): food, drink and cosmetics need halal and BPOM;
crafts, textiles and furniture none of the registry's permits. Both tables are data: change them
here, the tests follow.

Each item names the kind of programme (training, coaching, certification facilitation, the
consultation clinic) that would fill its gap, as the programmes area names its kinds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from sentra.registry.models import Permit

READY_AT = 80  # a score at or above this is "ready to export"
NEARLY_AT = 50


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    weight: int
    level: str  # "sme" or "product"
    # The kind of programme that fills the gap and its topic (see sentra/programs once it lands).
    programme_kind: str
    programme_topic: str
    programme_label: str


ITEMS = {
    item.code: item
    for item in (
        Item("nib", _("NIB (business and exporter identity)"), 20, "sme", "certification", "nib",
             _("Certification facilitation: NIB")),
        Item("halal", _("Halal certificate"), 10, "product", "certification", "halal",
             _("Certification facilitation: halal")),
        Item("bpom", _("BPOM registration"), 10, "product", "certification", "bpom",
             _("Certification facilitation: BPOM")),
        Item("sni", _("SNI certificate"), 10, "product", "certification", "sni",
             _("Certification facilitation: SNI")),
        Item("hki", _("Registered trademark (HKI)"), 5, "sme", "certification", "hki",
             _("Certification facilitation: trademark (HKI)")),
        Item("capacity", _("Monthly production capacity known"), 10, "product", "coaching", "production",
             _("Coaching: production and capacity")),
        Item("english_label", _("Packaging and label in English"), 15, "product", "training", "packaging",
             _("Training: export packaging and labelling")),
        Item("usd_price", _("Price list in USD"), 10, "product", "training", "export_pricing",
             _("Training: export costing and pricing")),
        Item("samples", _("Samples ready to send"), 10, "product", "coaching", "export",
             _("Coaching: preparing export samples")),
        Item("prior_exports", _("Has exported before"), 10, "sme", "clinic", "export",
             _("Consultation clinic: export")),
    )
}  # fmt: skip

FOOD_AND_COSMETICS = ("halal", "bpom")
REQUIRED_PERMITS: dict[str, tuple[str, ...]] = {
    "makanan-ringan": FOOD_AND_COSMETICS,
    "makanan-olahan": FOOD_AND_COSMETICS,
    "kue-dan-roti": FOOD_AND_COSMETICS,
    "minuman": FOOD_AND_COSMETICS,
    "kosmetik-dan-perawatan": FOOD_AND_COSMETICS,
}
PERMIT_ITEMS = {"halal": Permit.Kind.HALAL, "bpom": Permit.Kind.BPOM, "sni": Permit.Kind.SNI}
SME_ITEMS = ("nib", "hki", "prior_exports")
PRODUCT_ITEMS = ("capacity", "english_label", "usd_price", "samples")


@dataclass
class Check:
    item: Item
    met: bool
    detail: str = ""


@dataclass
class Score:
    checks: list[Check]
    value: int = field(init=False)

    def __post_init__(self):
        total = sum(c.item.weight for c in self.checks)
        met = sum(c.item.weight for c in self.checks if c.met)
        self.value = met * 100 // total if total else 0

    @property
    def level(self) -> str:
        if self.value >= READY_AT:
            return "ready"
        return "nearly" if self.value >= NEARLY_AT else "not_yet"

    @property
    def level_label(self) -> str:
        return {"ready": _("Ready to export"), "nearly": _("Nearly ready"), "not_yet": _("Not ready yet")}[
            self.level
        ]

    @property
    def missing(self) -> list[Check]:
        return [c for c in self.checks if not c.met]


def valid_permit_kinds(permits, *, today: dt.date) -> set[str]:
    return {p.kind for p in permits if p.expires_on is None or p.expires_on >= today}


def sme_checks(*, sme, permits, readiness, has_shipped: bool, today: dt.date) -> list[Check]:
    """The SME's own items. `permits` are its Permit rows; `readiness` its SmeReadiness or None."""
    kinds = valid_permit_kinds(permits, today=today)
    declared = bool(readiness and readiness.prior_exports)
    return [
        Check(ITEMS["nib"], bool(sme.nib), sme.nib or ""),
        Check(ITEMS["hki"], Permit.Kind.HKI in kinds),
        Check(
            ITEMS["prior_exports"], has_shipped or declared, readiness.prior_exports_note if declared else ""
        ),
    ]


def product_checks(*, product, permit_kinds: set[str], readiness) -> list[Check]:
    """A product's own items; `permit_kinds` are the kinds of its SME's valid permits."""
    required = REQUIRED_PERMITS.get(product.category.slug, ())
    checks = [Check(ITEMS[code], PERMIT_ITEMS[code] in permit_kinds) for code in required]
    r = readiness
    checks += [
        Check(ITEMS["capacity"], bool(r and r.monthly_capacity), str(r.monthly_capacity) if r and r.monthly_capacity else ""),
        Check(ITEMS["english_label"], bool(r and r.english_label)),
        Check(ITEMS["usd_price"], bool(r and r.usd_price_minor)),
        Check(ITEMS["samples"], bool(r and r.samples)),
    ]  # fmt: skip
    return checks


@dataclass
class SmeReport:
    """An SME's checklist and score, and each product's, as the readiness page shows them."""

    sme_checks: list[Check]
    products: list[tuple[object, Score]]
    score: Score


def assess(*, sme, products, permits, readiness, product_readiness: dict, has_shipped: bool,
           today: dt.date) -> SmeReport:  # fmt: skip
    """Score an SME and its products from rows already read (no queries here)."""
    own = sme_checks(sme=sme, permits=permits, readiness=readiness, has_shipped=has_shipped, today=today)
    kinds = valid_permit_kinds(permits, today=today)
    scored = [
        (p, Score(own + product_checks(product=p, permit_kinds=kinds, readiness=product_readiness.get(p.pk))))
        for p in products
    ]
    scored.sort(key=lambda pair: (-pair[1].value, pair[0].name_id))
    # With no product yet, every product item is missing and no category's permits apply.
    best = scored[0][1] if scored else Score(own + [Check(ITEMS[code], False) for code in PRODUCT_ITEMS])
    return SmeReport(sme_checks=own, products=scored, score=best)


def assess_many(smes, *, today: dt.date) -> dict[int, SmeReport]:
    """Reports for a list (a page) of SMEs in five queries, whatever their number."""
    from collections import defaultdict

    from sentra.catalog.models import Product

    from .models import ProductReadiness, Shipment, SmeReadiness

    ids = [s.pk for s in smes]
    permits, products = defaultdict(list), defaultdict(list)
    for permit in Permit.objects.filter(sme_id__in=ids).only("sme_id", "kind", "expires_on"):
        permits[permit.sme_id].append(permit)
    for product in (
        Product.objects.filter(sme_id__in=ids)
        .exclude(status=Product.Status.WITHDRAWN)
        .select_related("category")
        .order_by("name_id", "id")
    ):
        products[product.sme_id].append(product)
    product_ids = [p.pk for group in products.values() for p in group]
    product_readiness = {r.product_id: r for r in ProductReadiness.objects.filter(product_id__in=product_ids)}
    sme_readiness = {r.sme_id: r for r in SmeReadiness.objects.filter(sme_id__in=ids)}
    shipped = set(
        Shipment.objects.filter(order__deal__sme_id__in=ids).values_list("order__deal__sme_id", flat=True)
    )
    return {
        sme.pk: assess(
            sme=sme,
            products=products[sme.pk],
            permits=permits[sme.pk],
            readiness=sme_readiness.get(sme.pk),
            product_readiness=product_readiness,
            has_shipped=sme.pk in shipped,
            today=today,
        )
        for sme in smes
    }
