"""Which step may follow which, and who takes it: the one table every purchase change is checked against.

ordered   → accepted (SME) · declined (SME, with a reason) · cancelled (buyer, with a reason)
accepted  → partly delivered · delivered (SME) · cancelled (buyer or SME, with a reason)
partly    → partly delivered · delivered (SME)
delivered → received (buyer confirms receipt)
received  → payment recorded (buyer: date and reference)
payment recorded → paid (SME confirms it was paid)
recorded (bought outside Sentra) → paid (SME confirms) · disputed (SME, with a reason)
declined, cancelled, disputed, paid: final (an officer may still correct a paid purchase, with a reason)
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Purchase

S = Purchase.Status
BUYER, SME = "buyer", "sme"

TRANSITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    S.ORDERED: {S.ACCEPTED: (SME,), S.DECLINED: (SME,), S.CANCELLED: (BUYER,)},
    S.ACCEPTED: {S.PARTLY_DELIVERED: (SME,), S.DELIVERED: (SME,), S.CANCELLED: (BUYER, SME)},
    S.PARTLY_DELIVERED: {S.PARTLY_DELIVERED: (SME,), S.DELIVERED: (SME,)},
    S.DELIVERED: {S.RECEIVED: (BUYER,)},
    S.RECEIVED: {S.PAYMENT_RECORDED: (BUYER,)},
    S.PAYMENT_RECORDED: {S.PAID: (SME,)},
    S.RECORDED: {S.PAID: (SME,), S.DISPUTED: (SME,)},
    S.DECLINED: {},
    S.CANCELLED: {},
    S.DISPUTED: {},
    S.PAID: {},
}
FINAL = frozenset(state for state, moves in TRANSITIONS.items() if not moves)


def allowed(current: str, target: str, side: str) -> bool:
    return side in TRANSITIONS.get(current, {}).get(target, ())


def next_steps(current: str, side: str | None) -> set[str]:
    return {target for target, sides in TRANSITIONS.get(current, {}).items() if side in sides}


def check(purchase: Purchase, target: str, side: str | None) -> None:
    """Raise a translated ValidationError unless `side` may move `purchase` to `target` now."""
    if side is None or not allowed(purchase.status, target, side):
        raise ValidationError(
            _("This step is not possible now: the purchase is “%(status)s”."),
            code="transition",
            params={"status": purchase.get_status_display()},
        )
