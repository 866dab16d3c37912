"""Flags that inform an officer and never block: each is a reason to look, not a verdict.

Thresholds are here, in one place: a single purchase over Rp 50 million (the amount below which some
units make Bebeli the first option, ../shared/DOMAIN.md), a unit price more than half again the
catalogue's, payment more than 30 days after receipt, and a buyer's top three SMEs taking more than
60% of its local purchases in a year (read in the reports, it is about a buyer, not one purchase).
"""

from django.utils.translation import gettext_lazy as _

LARGE_PURCHASE = 50_000_000
PRICE_ABOVE_CATALOGUE = 1.5
PAYMENT_DAYS = 30
TOP3_SHARE = 0.6

LABELS = {
    "duplicate_invoice": _("Same invoice number as another purchase"),
    "large": _("Single purchase over Rp 50 million"),
    "price_above": _("Unit price far above the catalogue price"),
    "late_payment": _("Paid more than 30 days after receipt"),
}


def compute(purchase, lines, *, duplicate_invoice: bool) -> list[str]:
    found = []
    if duplicate_invoice:
        found.append("duplicate_invoice")
    if purchase.total > LARGE_PURCHASE:
        found.append("large")
    if any(
        line.catalogue_price and line.unit_price > line.catalogue_price * PRICE_ABOVE_CATALOGUE
        for line in lines
    ):
        found.append("price_above")
    received = purchase.received_on or purchase.delivered_on
    if purchase.paid_on and received and (purchase.paid_on - received).days > PAYMENT_DAYS:
        found.append("late_payment")
    return found


def labels(codes) -> list[str]:
    return [str(LABELS[code]) for code in codes if code in LABELS]
