"""The currencies an export purchase order may be in, and the one way foreign amounts become Rupiah.

Python has no table of ISO 4217 minor units, and the currency a buyer pays in is one of a handful, so
Sentra keeps its own short table: the code, the number of decimals of its minor unit (the ISO 4217
"exponent": JPY and KRW none, USD two, KWD three) and a name. A currency not listed here is refused
rather than guessed; add a row to accept it (the exponent is in ISO 4217's list).

Amounts are stored as whole minor units (US cents, yen, fils) in integer columns, never floats. The
exchange rate is the Rupiah paid for one major unit (IDR per 1 USD), a Decimal of up to six decimals,
entered with the purchase order: Sentra asks no outside service. The Rupiah value is

    minor units × rate ÷ 10^exponent, rounded half up to a whole Rupiah

(0.5 Rupiah and above goes up, below goes down), computed in Decimal, so it is exact and the same
on every database.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Currency:
    code: str
    exponent: int
    name: str  # a lazy translation


ACCEPTED = (
    Currency("USD", 2, _("US dollar")),
    Currency("JPY", 0, _("Japanese yen")),
    Currency("EUR", 2, _("Euro")),
    Currency("SGD", 2, _("Singapore dollar")),
    Currency("MYR", 2, _("Malaysian ringgit")),
    Currency("SAR", 2, _("Saudi riyal")),
    Currency("AED", 2, _("UAE dirham")),
    Currency("AUD", 2, _("Australian dollar")),
    Currency("CNY", 2, _("Chinese yuan")),
    Currency("HKD", 2, _("Hong Kong dollar")),
    Currency("KRW", 0, _("South Korean won")),
    Currency("TWD", 2, _("New Taiwan dollar")),
    Currency("GBP", 2, _("Pound sterling")),
    Currency("KWD", 3, _("Kuwaiti dinar")),
)
CURRENCIES = {c.code: c for c in ACCEPTED}
RATE_PLACES = 6


def choices() -> list[tuple[str, str]]:
    return [(c.code, f"{c.code} — {c.name}") for c in ACCEPTED]


def get(code: str) -> Currency:
    try:
        return CURRENCIES[code]
    except KeyError:
        raise ValidationError(
            _("%(code)s is not a currency Sentra accepts."), code="currency", params={"code": code}
        ) from None


_NUMBER = re.compile(r"(?P<whole>[0-9]+)(?:(?P<sep>[.,])(?P<fraction>[0-9]+))?")


def parse_decimal(text: str, *, places: int) -> Decimal:
    """A positive number as typed, with a point or a comma before its decimals (never thousands).

    "1.250" could be 1250 (Indonesian thousands) or 1.25: a single separator followed by exactly
    three digits is refused as ambiguous instead of guessed. Decimals beyond `places` are refused
    unless they are trailing zeros, so 1,2550 is a way to write 1.255 without ambiguity.
    """
    raw = (text or "").strip().replace(" ", "")
    match = _NUMBER.fullmatch(raw)
    if not match:
        raise ValidationError(
            _(
                "Write a number with digits only and a point or comma before the decimals, e.g. 1250 or 12.50."
            ),
            code="number",
        )
    fraction = match["fraction"] or ""
    if match["sep"] and len(fraction) == 3:
        raise ValidationError(
            _(
                "“%(value)s” could mean thousands or decimals: write it without a thousands separator "
                "(1250), or with four decimals (1.2500)."
            ),
            code="ambiguous",
            params={"value": raw},
        )
    if len(fraction.rstrip("0")) > places:
        raise ValidationError(
            _("At most %(places)s decimals are allowed here."), code="places", params={"places": places}
        )
    try:
        value = Decimal(f"{match['whole']}.{fraction or '0'}")
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise ValidationError(_("Not a number."), code="number") from None
    if value <= 0:
        raise ValidationError(_("The number must be greater than zero."), code="positive")
    return value


def to_minor(amount: Decimal, currency: Currency) -> int:
    """Whole minor units of a major-unit amount; refused when it has more decimals than the currency."""
    scaled = amount.scaleb(currency.exponent)
    if scaled != scaled.to_integral_value():
        raise ValidationError(
            _("%(code)s amounts have at most %(places)s decimals."),
            code="places",
            params={"code": currency.code, "places": currency.exponent},
        )
    return int(scaled)


def parse_amount(text: str, currency: Currency) -> int:
    """Minor units of an amount typed in `currency`."""
    return to_minor(parse_decimal(text, places=RATE_PLACES), currency)


def parse_rate(text: str) -> Decimal:
    return parse_decimal(text, places=RATE_PLACES)


def to_rupiah(minor: int, currency: Currency, rate: Decimal) -> int:
    """The Rupiah value of `minor` units at `rate` IDR per major unit, rounded half up."""
    exact = Decimal(minor) * rate / (Decimal(10) ** currency.exponent)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def major(minor: int, currency: Currency) -> Decimal:
    return Decimal(minor).scaleb(-currency.exponent)


def format_amount(minor: int | None, code: str, language: str | None = None) -> str:
    """USD 1,234.56 in English, USD 1.234,56 in Indonesian; every decimal of the minor unit shown."""
    if minor is None or not code:
        return ""
    currency = CURRENCIES.get(code)
    exponent = currency.exponent if currency else 2
    text = f"{Decimal(abs(minor)).scaleb(-exponent):,.{exponent}f}"
    language = language or get_language() or "id"
    if language.startswith("id"):
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return f"{'-' if minor < 0 else ''}{code} {text}"


def format_rate(rate: Decimal | None, language: str | None = None) -> str:
    """A rate with its significant decimals only: 15750 or 105,12 (Indonesian) / 105.12."""
    if rate is None:
        return ""
    text = f"{rate.normalize():,f}"
    language = language or get_language() or "id"
    if language.startswith("id"):
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text
