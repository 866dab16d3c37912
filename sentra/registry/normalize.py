"""Cleaners for the cells of an SME spreadsheet import.

Each normaliser takes one raw cell as python-calamine hands it over (str, float, int, bool,
date/datetime or None) and returns the cleaned value, None for an empty cell, or raises
NormalizationError. The rule throughout: normalise when the meaning is certain, refuse when it is
not. A row sent back for a fix costs an officer a minute; a wrong NIK or amount imported silently
costs a wrong record that nobody will look at again.

The module needs no Django settings: messages are lazy and only rendered by the caller.
Messages never carry a NIK or phone number, so errors can be logged without leaking personal data.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import phonenumbers
from django.utils.translation import gettext_lazy as _
from phonenumbers import PhoneMetadata, PhoneNumber, PhoneNumberType
from stdnum import numdb
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import nik as stdnum_nik
from stdnum.id import npwp as stdnum_npwp


class NormalizationError(ValueError):
    """A cell whose value cannot be cleaned with certainty.

    `code` is stable for programs, `message` % `params` is for people, and `candidates` lists
    what the user may have meant (only region matching fills it).
    """

    def __init__(
        self,
        code: str,
        message: Any,
        candidates: Sequence[str] = (),
        params: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.candidates = tuple(candidates)
        self.params = dict(params or {})

    def render(self) -> str:
        return str(self.message) % self.params

    def as_validation_error(self):
        from django.core.exceptions import ValidationError

        return ValidationError(self.message, code=self.code, params=self.params)


# --- shared helpers ---------------------------------------------------------------------------

_BLANK_TEXTS = frozenset({"", "-", "nan"})
# Integers above 2**53 are not all representable as floats, so such a float may have lost digits.
_FLOAT_EXACT_LIMIT = 2**53
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d+)?e[+-]?\d+", re.IGNORECASE)
_DIGITS = re.compile(r"[0-9]+")
_ID_SEPARATORS = re.compile(r"[\s.\-]")


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return value.strip().lower() in _BLANK_TEXTS
    return False


def _is_number(value: Any) -> bool:
    # bool is an int subclass, but a TRUE cell is not the number 1.
    return isinstance(value, int | float) and not isinstance(value, bool)


def _text(value: Any, code: str) -> str:
    if not isinstance(value, str):
        raise NormalizationError(
            code, _("Expected text, got a %(type)s cell."), params={"type": type(value).__name__}
        )
    # Excel users type a leading apostrophe to keep a number as text; it is not part of the value.
    return value.strip().removeprefix("'").strip()


def _integral(value: int | float, *, fraction_code: str, precision_code: str) -> int:
    if isinstance(value, int):
        return value
    if not math.isfinite(value):
        raise NormalizationError(fraction_code, _("The cell holds no finite number."))
    if not value.is_integer():
        raise NormalizationError(
            fraction_code, _("%(value)s is not a whole number."), params={"value": repr(value)}
        )
    if abs(value) > _FLOAT_EXACT_LIMIT:
        raise NormalizationError(
            precision_code,
            _("The number is too long to have been stored exactly; enter it as text."),
        )
    return int(value)


def _number_digits(value: int | float, field: str) -> str:
    number = _integral(value, fraction_code=f"{field}_format", precision_code=f"{field}_precision_lost")
    if number < 0:
        raise NormalizationError(f"{field}_format", _("A negative number is not an identifier."))
    return str(number)


def _reject_scientific(text: str, field: str) -> None:
    if _SCIENTIFIC.fullmatch(text.replace(" ", "")):
        raise NormalizationError(
            f"{field}_scientific",
            _(
                "The number was shown in scientific notation and its last digits are lost; "
                "format the column as text and type it again."
            ),
        )


def _excel_truncation_risk(digits: str, field: str) -> None:
    # Excel keeps 15 significant digits: a 16-digit number typed into a number cell gets its last
    # digit replaced by 0. So a numeric 16-digit value ending in 0 may be right or may be damaged.
    if len(digits) == 16 and digits.endswith("0"):
        raise NormalizationError(
            f"{field}_precision_lost",
            _(
                "Excel keeps only 15 digits of a number, so the last digit may have been lost; "
                "format the column as text and type the number again."
            ),
        )


# --- NIK ---------------------------------------------------------------------------------------


def normalize_nik(value: Any) -> str | None:
    if is_blank(value):
        return None
    if _is_number(value):
        digits = _number_digits(value, "nik")
        _excel_truncation_risk(digits, "nik")
    else:
        text = _text(value, "nik_format")
        _reject_scientific(text, "nik")
        digits = _ID_SEPARATORS.sub("", text)
    return _check_nik(digits)


def _check_nik(digits: str) -> str:
    if not _DIGITS.fullmatch(digits):
        raise NormalizationError("nik_format", _("A NIK may contain only digits."))
    if len(digits) != 16:
        raise NormalizationError(
            "nik_length", _("A NIK has 16 digits, this one has %(length)s."), params={"length": len(digits)}
        )
    if _nik_birth_date(digits) is None:
        raise NormalizationError("nik_birth_date", _("The birth date inside this NIK does not exist."))
    return digits


def _nik_birth_date(nik: str) -> dt.date | None:
    day = int(nik[6:8])
    # stdnum reduces the day modulo 40, which would let day 81 pass as the 1st.
    if not (1 <= day <= 31 or 41 <= day <= 71):
        return None
    try:
        stdnum_nik.get_birth_date(nik)
    except StdnumError:
        return None
    # The NIK keeps two year digits; stdnum picks 19xx first, which makes anyone born in 2005
    # a 121-year-old. The latest date not in the future is the likelier reading.
    day, month, year = day % 40, int(nik[8:10]), int(nik[10:12])
    today = dt.date.today()
    for century in (2000, 1900):
        try:
            born = dt.date(century + year, month, day)
        except ValueError:
            continue
        if born <= today:
            return born
    return None


def _nik_region_known(nik: str) -> bool:
    parts = numdb.get("id/loc").info(nik[:4])
    return len(parts) == 2 and all(props for _part, props in parts)


def nik_info(nik: str) -> dict[str, Any]:
    """What a valid NIK tells: birth date, gender, region at issue, and a warning or None.

    An unknown province or regency is only a warning: stdnum's region list predates the
    2022 Papua splits, and a NIK keeps the code of a region that may have been split since.
    """
    digits = normalize_nik(nik)
    if digits is None:
        raise ValueError("nik_info needs a NIK")
    warning = None
    if not _nik_region_known(digits):
        warning = NormalizationError(
            "nik_region_unknown",
            _(
                "The region code %(region)s in this NIK is not in the reference list; "
                "it may predate a regional split."
            ),
            params={"region": f"{digits[0:2]}.{digits[2:4]}"},
        )
    return {
        "birth_date": _nik_birth_date(digits),
        "gender": "F" if int(digits[6:8]) > 40 else "M",
        "province_code": digits[0:2],
        "regency_code": f"{digits[0:2]}.{digits[2:4]}",
        "region_code": f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}",
        "warning": warning,
    }


# --- NPWP and NIB ------------------------------------------------------------------------------


def normalize_npwp(value: Any) -> str | None:
    """Digits only, in the form given: legacy 15 digits, or 16 (a NIK, or 0 + the legacy 15).

    A legacy number is not widened to 16 digits: for a resident individual the 16-digit NPWP is
    the NIK, not 0 + the old number, so the widening would invent an NPWP.
    """
    if is_blank(value):
        return None
    if _is_number(value):
        digits = _number_digits(value, "npwp")
        # Entity NPWPs begin with 0, which a number cell drops; 14 digits can only be such a
        # number (0 + 14, or 00 + 14 in the 16-digit form: the same legacy number either way),
        # and the check digit below still guards against typos.
        if len(digits) == 14:
            digits = "0" + digits
        _excel_truncation_risk(digits, "npwp")
    else:
        text = _text(value, "npwp_format")
        _reject_scientific(text, "npwp")
        digits = _ID_SEPARATORS.sub("", text)
    if not _DIGITS.fullmatch(digits):
        raise NormalizationError("npwp_format", _("An NPWP may contain only digits, dots and dashes."))
    if len(digits) == 16 and not digits.startswith("0"):
        try:
            return _check_nik(digits)
        except NormalizationError as exc:
            raise NormalizationError(
                "npwp_nik_invalid",
                _("A 16-digit NPWP that does not start with 0 is a NIK, and this one is not valid."),
            ) from exc
    if len(digits) not in (15, 16):
        raise NormalizationError(
            "npwp_length",
            _("An NPWP has 15 or 16 digits, this one has %(length)s."),
            params={"length": len(digits)},
        )
    try:
        stdnum_npwp.validate(digits)
    except StdnumError as exc:
        raise NormalizationError("npwp_checksum", _("The NPWP check digit does not match.")) from exc
    return digits


def normalize_nib(value: Any) -> str | None:
    if is_blank(value):
        return None
    if _is_number(value):
        digits = _number_digits(value, "nib")
        # Unlike the NPWP, a NIB has no check digit: 12 digits may be a dropped leading 0 or a
        # mistyped number, and nothing tells which.
        if len(digits) == 12:
            raise NormalizationError(
                "nib_leading_zero_lost",
                _(
                    "The NIB has 12 digits: a number cell may have dropped a leading 0. "
                    "Format the column as text and type it again."
                ),
            )
    else:
        text = _text(value, "nib_format")
        _reject_scientific(text, "nib")
        digits = re.sub(r"\s", "", text)
    if not _DIGITS.fullmatch(digits):
        raise NormalizationError("nib_format", _("A NIB may contain only digits."))
    if len(digits) != 13:
        raise NormalizationError(
            "nib_length", _("A NIB has 13 digits, this one has %(length)s."), params={"length": len(digits)}
        )
    return digits


# --- phone -------------------------------------------------------------------------------------
#
# Whether a number exists is libphonenumber's metadata (Google's, kept current upstream through the
# `phonenumbers` package): which prefixes are mobile, fixed line, toll-free or unassigned, and how
# long each may be. What is decided here is only how a spreadsheet writes a number before the
# library reads it: a number cell that lost its leading 0, 62 written without +, 00 for +, and
# "0812…/0813…", which is two numbers and must not be joined into one.

PHONE_REGION = "ID"
# The kinds of line an SME can be called on; toll-free, premium and shared-cost numbers are services.
_PHONE_LINE_TYPES = frozenset(
    {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
)
# The one place the metadata is wider than the numbering plan: it reads all of 08[1-35-9] as mobile,
# but no operator has 086 (0868 is a satellite service), so 0861… is a typo, not a number.
_UNASSIGNED_MOBILE_PREFIX = "86"
_METADATA = PhoneMetadata.metadata_for_region(PHONE_REGION)
_COUNTRY_CODE = str(_METADATA.country_code)
_MAX_NATIONAL_LENGTH = max(_METADATA.general_desc.possible_length)
_PHONE_FORMATTING = re.compile(r"[\s.\-()]")
_TWO_NUMBERS = re.compile(r"\+?[0-9]{6,}[/,;&]\+?[0-9]{6,}")


def normalize_phone(value: Any) -> str | None:
    """An Indonesian mobile or fixed-line number in E.164 form, e.g. +6281234567890."""
    if is_blank(value):
        return None
    if _is_number(value):
        text = _number_digits(value, "phone")
    else:
        text = _PHONE_FORMATTING.sub("", _text(value, "phone_format"))
    number = _phone_number(text)
    if not _is_line(number):
        raise _phone_problem(str(number.national_number))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _phone_number(text: str) -> PhoneNumber:
    """The number that `phonenumbers.parse(text, "ID")` gives, for the forms spreadsheets use.

    Once those forms are settled the text is the country code and digits, and all the parse would
    add is splitting them (+62 cannot begin another country's code: the codes are prefix-free), at
    9 µs a number, a second per 100,000 rows; so the number is built directly.
    """
    plus = text.startswith("+")
    body = text[1:] if plus else text
    if not _DIGITS.fullmatch(body):
        if _TWO_NUMBERS.fullmatch(text):
            raise NormalizationError(
                "phone_format",
                _("The cell holds two phone numbers; write one here (a second can go in a WhatsApp column)."),
            )
        raise NormalizationError("phone_format", _("A phone number may contain only digits and +."))
    if plus or body.startswith("00"):
        # 00 and the country code is how files write an international number (the metadata only
        # knows the operators' own international prefixes, 008 and 009).
        international = body.removeprefix("00") if not plus else body
        if not international.startswith(_COUNTRY_CODE):
            raise NormalizationError("phone_not_indonesian", _("This is not an Indonesian number."))
        national = international[len(_COUNTRY_CODE) :]
    elif body.startswith(_COUNTRY_CODE):
        # 628… can only be the country code: no area code starts 0628 with a mobile's length.
        # 62 followed by another digit could also be an area code 062x with its 0 dropped.
        if body[len(_COUNTRY_CODE) : len(_COUNTRY_CODE) + 1] != "8":
            raise NormalizationError(
                "phone_ambiguous",
                _(
                    "Write this number with +62 or with its leading 0: 62 may be the country code "
                    "or part of an area code."
                ),
            )
        national = body[len(_COUNTRY_CODE) :]
    else:
        # A national number, with its trunk 0 or without it: a number cell drops the 0.
        national = body
    # The trunk 0, after the country code too ("+62 (0)812…"), as the library's parse strips it.
    national = national.removeprefix(_METADATA.national_prefix)
    if not national:
        raise _phone_too_short()
    if len(national) > _MAX_NATIONAL_LENGTH:
        raise _phone_too_long()
    return PhoneNumber(country_code=_METADATA.country_code, national_number=int(national))


def _is_line(number: PhoneNumber) -> bool:
    if str(number.national_number).startswith(_UNASSIGNED_MOBILE_PREFIX):
        return False
    return phonenumbers.number_type(number) in _PHONE_LINE_TYPES


def _phone_problem(national: str) -> NormalizationError:
    """Why a national number is not a line: digits missing, digits too many, or no such prefix.

    Too short means some longer number with these first digits is a line; too long, that these
    digits with some cut off are one. The library knows each kind's lengths, so this asks it.
    """
    lengths = sorted({*_METADATA.mobile.possible_length, *_METADATA.fixed_line.possible_length})
    country = _METADATA.country_code
    for length in lengths:
        if length > len(national) and _is_line(PhoneNumber(country, int(national.ljust(length, "0")))):
            return _phone_too_short()
    for length in reversed(lengths):
        if length < len(national) and _is_line(PhoneNumber(country, int(national[:length]))):
            return _phone_too_long()
    return NormalizationError("phone_prefix", _("This prefix is not a subscriber number."))


def _phone_too_short() -> NormalizationError:
    return NormalizationError("phone_too_short", _("The phone number is too short."))


def _phone_too_long() -> NormalizationError:
    return NormalizationError("phone_too_long", _("The phone number is too long."))


def whatsapp_number(e164: str) -> str:
    """The form wa.me links use: 628..., no plus."""
    if not re.fullmatch(r"\+62[0-9]{7,12}", e164):
        raise ValueError("expected a normalised +62 number")
    return e164[1:]


# --- money -------------------------------------------------------------------------------------

_UNITS = {
    "rb": 10**3,
    "ribu": 10**3,
    "k": 10**3,
    "jt": 10**6,
    "juta": 10**6,
    # In Indonesian shorthand M is miliar (10^9); a million is "jt".
    "m": 10**9,
    "miliar": 10**9,
    "milyar": 10**9,
    "t": 10**12,
    "triliun": 10**12,
    "trilyun": 10**12,
}
_CURRENCY_PREFIX = re.compile(r"^(?:rp\.?|idr)\s*")
_AMOUNT_AND_UNIT = re.compile(r"(?P<number>[0-9.,]+)\s*(?P<unit>[a-z]*)\.?")
_UNIT_NUMBER = re.compile(r"(?P<whole>[0-9]+)(?:[.,](?P<fraction>[0-9]{1,2}))?")
_ID_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,(?P<fraction>[0-9]{1,2}))?")
_EN_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.(?P<fraction>[0-9]{1,2}))?")
_DECIMAL = re.compile(r"(?P<whole>[0-9]+)[.,](?P<fraction>[0-9]{1,2})")


def normalize_money(value: Any) -> int | None:
    """Whole Rupiah. Rupiah has no minor unit in use, so a non-zero fraction is refused, not rounded."""
    if is_blank(value):
        return None
    if _is_number(value):
        amount = _integral(value, fraction_code="money_fraction", precision_code="money_precision_lost")
        return _not_negative(amount, value)
    text = _text(value, "money_format").lower()
    _reject_negative_text(text, value)
    text = _CURRENCY_PREFIX.sub("", text)
    _reject_negative_text(text, value)
    # ",-" after an amount is the Indonesian way of writing "no sen".
    text = text.removesuffix(",-").removesuffix(".-")
    match = _AMOUNT_AND_UNIT.fullmatch(text)
    if not match:
        raise NormalizationError("money_format", _("%(value)s is not an amount."), params={"value": value})
    unit = match["unit"]
    if unit:
        if unit not in _UNITS:
            raise NormalizationError(
                "money_unit", _("%(unit)s is not a known unit of Rupiah."), params={"unit": unit}
            )
        amount = _unit_amount(match["number"], value) * _UNITS[unit]
    else:
        amount = _plain_amount(match["number"], value)
    if amount != amount.to_integral_value():
        raise NormalizationError(
            "money_fraction", _("%(value)s is not a whole number of Rupiah."), params={"value": value}
        )
    return int(amount)


def _not_negative(amount: int, raw: Any) -> int:
    if amount < 0:
        raise NormalizationError("money_negative", _("%(value)s is negative."), params={"value": raw})
    return amount


def _reject_negative_text(text: str, raw: Any) -> None:
    if text.startswith(("-", "\u2212", "(")):
        raise NormalizationError("money_negative", _("%(value)s is negative."), params={"value": raw})


def _ambiguous_amount(raw: Any) -> NormalizationError:
    return NormalizationError(
        "money_ambiguous",
        _("%(value)s can be read in more than one way; write it as 1.500.000 or 1,5 juta."),
        params={"value": raw},
    )


def _unit_amount(number: str, raw: Any) -> Decimal:
    # With a unit, one separator and at most two digits can only be a decimal ("1,5 jt");
    # "1.500 jt" could be 1.5 or 1500 million.
    match = _UNIT_NUMBER.fullmatch(number)
    if not match:
        raise _ambiguous_amount(raw)
    return Decimal(f"{match['whole']}.{match['fraction'] or 0}")


def _plain_amount(number: str, raw: Any) -> Decimal:
    if _DIGITS.fullmatch(number):
        return Decimal(number)
    # Groups of exactly three digits are thousands: "1.500" is 1500 in an Indonesian file, and
    # "1,500" cannot be one and a half Rupiah. A fraction of 1-2 digits may follow.
    for pattern, thousands, decimal in ((_ID_GROUPED, ".", ","), (_EN_GROUPED, ",", ".")):
        match = pattern.fullmatch(number)
        if match:
            whole = number.partition(decimal)[0].replace(thousands, "")
            return Decimal(f"{whole}.{match['fraction'] or 0}")
    match = _DECIMAL.fullmatch(number)
    if match:
        fraction = int(match["fraction"])
        # "1.5" or "150,75" more likely lost a unit (juta) than meant sen; "1500000,50" did mean sen.
        if fraction and len(match["whole"]) <= 3:
            raise _ambiguous_amount(raw)
        return Decimal(f"{match['whole']}.{match['fraction']}")
    raise _ambiguous_amount(raw)


# --- dates and numbers -------------------------------------------------------------------------

MIN_YEAR = 1900
MAX_YEAR = 2100
# Excel's day 0; serials from 61 on count from here because Excel, copying Lotus 1-2-3,
# believes 1900 was a leap year and numbers a 29 February 1900 as day 60.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_FAKE_LEAP_DAY = 60

_MONTHS = {
    **dict.fromkeys(("januari", "january", "jan"), 1),
    **dict.fromkeys(("februari", "pebruari", "february", "feb", "peb"), 2),
    **dict.fromkeys(("maret", "march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("agustus", "august", "agu", "agt", "ags", "aug"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "december", "des", "dec"), 12),
}
_TIME_SUFFIX = r"(?:[ t][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
_NUMERIC_DATE = re.compile(
    r"(?P<a>[0-9]{1,4})(?P<sep>[/.\-])(?P<b>[0-9]{1,2})(?P=sep)(?P<c>[0-9]{1,4})" + _TIME_SUFFIX
)
_NAMED_DATE = re.compile(r"(?P<day>[0-9]{1,2})[\s\-./]*(?P<month>[a-z]+)\.?[\s\-./,]*(?P<year>[0-9]{1,4})")


def normalize_date(value: Any) -> dt.date | None:
    """Day-first dates only: 03/04/2020 is 3 April, and 03/25/2020 is refused, never read as US."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return _in_range(value.date())
    if isinstance(value, dt.date):
        return _in_range(value)
    if _is_number(value):
        return _from_excel_serial(value)
    text = _text(value, "date_format").lower()
    match = _NUMERIC_DATE.fullmatch(text)
    if match:
        return _from_numeric_parts(match["a"], match["b"], match["c"], value)
    match = _NAMED_DATE.fullmatch(text)
    if match and match["month"] in _MONTHS:
        _require_four_digit_year(match["year"], value)
        return _make_date(match["year"], _MONTHS[match["month"]], match["day"], value)
    raise NormalizationError("date_format", _("%(value)s is not a date."), params={"value": value})


def _from_excel_serial(value: int | float) -> dt.date:
    if not math.isfinite(value):
        raise NormalizationError("date_format", _("The cell holds no finite number."))
    serial = math.floor(value)
    if MIN_YEAR <= serial <= MAX_YEAR:
        raise NormalizationError(
            "date_looks_like_year",
            _("%(value)s looks like a year, not a date; enter the full date."),
            params={"value": serial},
        )
    if serial < 1 or serial == _EXCEL_FAKE_LEAP_DAY:
        raise NormalizationError(
            "date_serial_invalid", _("%(value)s is not a valid Excel date."), params={"value": serial}
        )
    if serial > (dt.date(MAX_YEAR, 12, 31) - _EXCEL_EPOCH).days:
        raise _out_of_range(value)
    if serial < _EXCEL_FAKE_LEAP_DAY:
        serial += 1
    return _in_range(_EXCEL_EPOCH + dt.timedelta(days=serial))


def _from_numeric_parts(a: str, b: str, c: str, raw: Any) -> dt.date:
    if len(a) == 4:
        if len(c) > 2:
            raise NormalizationError("date_format", _("%(value)s is not a date."), params={"value": raw})
        return _make_date(a, b, c, raw)
    if len(a) > 2:
        raise NormalizationError("date_format", _("%(value)s is not a date."), params={"value": raw})
    _require_four_digit_year(c, raw)
    if int(a) <= 12 < int(b):
        raise NormalizationError(
            "date_us_order",
            _("%(value)s looks like month/day/year; write dates as day/month/year."),
            params={"value": raw},
        )
    return _make_date(c, b, a, raw)


def _require_four_digit_year(year: str, raw: Any) -> None:
    if len(year) == 2:
        raise NormalizationError(
            "date_two_digit_year",
            _("%(value)s has a two-digit year; write the year in full."),
            params={"value": raw},
        )
    if len(year) != 4:
        raise NormalizationError("date_format", _("%(value)s is not a date."), params={"value": raw})


def _make_date(year: str | int, month: str | int, day: str | int, raw: Any) -> dt.date:
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError as exc:
        raise NormalizationError(
            "date_invalid", _("%(value)s is not a day of the calendar."), params={"value": raw}
        ) from exc
    return _in_range(date)


def _out_of_range(raw: Any) -> NormalizationError:
    return NormalizationError(
        "date_out_of_range",
        _("%(value)s is outside %(min)s-%(max)s."),
        params={"value": raw, "min": MIN_YEAR, "max": MAX_YEAR},
    )


def _in_range(date: dt.date) -> dt.date:
    if not MIN_YEAR <= date.year <= MAX_YEAR:
        raise _out_of_range(date.isoformat())
    return date


def normalize_year(value: Any) -> int | None:
    if is_blank(value):
        return None
    if _is_number(value):
        year = _integral(value, fraction_code="year_format", precision_code="year_format")
    else:
        # "2020.0" is how a CSV writer prints a float year; it cannot be a thousands group.
        match = re.fullmatch(r"([0-9]{4})(?:\.0)?", _text(value, "year_format"))
        if not match:
            raise NormalizationError("year_format", _("%(value)s is not a year."), params={"value": value})
        year = int(match[1])
    return _until_next_year(year)


def _until_next_year(year: int) -> int:
    latest = dt.date.today().year + 1
    if not MIN_YEAR <= year <= latest:
        raise NormalizationError(
            "year_out_of_range",
            _("%(value)s is outside %(min)s-%(max)s."),
            params={"value": year, "min": MIN_YEAR, "max": latest},
        )
    return year


_YEAR_TEXT = re.compile(r"[0-9]{4}(?:\.0)?")
_SERIAL_TEXT = re.compile(r"[0-9]{5}(?:\.[0-9]+)?")
_MONTH_YEAR = re.compile(r"(?P<month>[0-9]{1,2})[/.\-](?P<year>[0-9]{4})")
# Not with a dot: "2015.5" may be a year printed as a float.
_YEAR_MONTH = re.compile(r"(?P<year>[0-9]{4})[/\-](?P<month>[0-9]{1,2})")
_NAMED_MONTH_YEAR = re.compile(r"(?P<month>[a-z]+)\.?[\s\-./,]*(?P<year>[0-9]{1,4})")


def normalize_start(value: Any) -> tuple[int, int | None] | None:
    """(year, month or None) a business started, from a year or a date in the forms files use.

    A start column holds what the officer knew: a year ("2015"), a full date (a date cell, an
    Excel serial, "17/08/2015"), or a month and year ("08/2015", "Agustus 2015"). A number from
    1900 to 2100 is a year, never an Excel serial: as a serial it would be a day in 1905.
    """
    if is_blank(value):
        return None
    year, month = _start_parts(value)
    return _until_next_year(year), month


def _start_parts(value: Any) -> tuple[int, int | None]:
    if isinstance(value, dt.date):  # a date or datetime cell
        return value.year, value.month
    if _is_number(value):
        if value < MIN_YEAR:
            raise _not_a_start(value)
        if value <= MAX_YEAR:
            return _integral(value, fraction_code="year_format", precision_code="year_format"), None
        date = normalize_date(value)  # an Excel serial
        return date.year, date.month
    text = _text(value, "start_format").lower()
    if _YEAR_TEXT.fullmatch(text):
        return int(text[:4]), None
    if _SERIAL_TEXT.fullmatch(text):
        return _start_parts(float(text))  # a serial that a CSV writer printed as it was stored
    match = _MONTH_YEAR.fullmatch(text) or _YEAR_MONTH.fullmatch(text)
    if match:
        if not 1 <= int(match["month"]) <= 12:
            raise _not_a_start(value)
        return int(match["year"]), int(match["month"])
    match = _NAMED_MONTH_YEAR.fullmatch(text)
    if match and match["month"] in _MONTHS:
        _require_four_digit_year(match["year"], value)
        return int(match["year"]), _MONTHS[match["month"]]
    try:
        date = normalize_date(value)
    except NormalizationError as exc:
        if exc.code == "date_format":
            raise _not_a_start(value) from exc
        raise
    return date.year, date.month


def _not_a_start(value: Any) -> NormalizationError:
    return NormalizationError(
        "start_format", _("%(value)s is not a year or a date."), params={"value": value}
    )


_COUNT = re.compile(r"(?P<number>-?[0-9]+)(?:\.0)?\s*(?:orang|org)?\.?")


def normalize_int(value: Any, *, min: int = 0, max: int | None = None) -> int | None:
    """A count such as employees: "12", 12.0 and "12 orang" are all 12."""
    if is_blank(value):
        return None
    if _is_number(value):
        number = _integral(value, fraction_code="int_fraction", precision_code="int_format")
    else:
        # Dots are refused: "1.200" is 1200 to an Indonesian reader and 1.2 to others.
        match = _COUNT.fullmatch(_text(value, "int_format").lower())
        if not match:
            raise NormalizationError(
                "int_format", _("%(value)s is not a whole number."), params={"value": value}
            )
        number = int(match["number"])
    if number < min:
        raise NormalizationError(
            "int_below_min", _("%(value)s is below %(min)s."), params={"value": number, "min": min}
        )
    if max is not None and number > max:
        raise NormalizationError(
            "int_above_max", _("%(value)s is above %(max)s."), params={"value": number, "max": max}
        )
    return number


# --- categorical values ------------------------------------------------------------------------

_MALE = frozenset({"l", "lakilaki", "laki", "laki2", "pria", "m", "male"})
_FEMALE = frozenset({"p", "perempuan", "wanita", "f", "female"})


def normalize_gender(value: Any) -> str | None:
    """ "M" or "F". Numeric codes are refused: files disagree on whether 1 or 2 means female."""
    if is_blank(value):
        return None
    if _is_number(value):
        raise NormalizationError(
            "gender_numeric_code", _("Numeric gender codes are not accepted; write L or P.")
        )
    key = re.sub(r"[\s\-.]", "", _text(value, "gender_unknown").lower())
    if key.isdigit():
        raise NormalizationError(
            "gender_numeric_code", _("Numeric gender codes are not accepted; write L or P.")
        )
    if key in _MALE:
        return "M"
    if key in _FEMALE:
        return "F"
    raise NormalizationError("gender_unknown", _("%(value)s is not a gender."), params={"value": value})


_TRUE = frozenset({"ya", "iya", "y", "yes", "true", "1"})
_FALSE = frozenset({"tidak", "tdk", "n", "no", "false", "0"})


def normalize_bool(value: Any) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if _is_number(value) and value in (0, 1):
        return bool(value)
    key = value.strip().lower() if isinstance(value, str) else None
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    if key == "t":
        # T is "tidak" (no) in an Indonesian Y/T column and "true" in an English T/F one.
        raise NormalizationError("bool_ambiguous", _("T may mean tidak or true; write Ya or Tidak."))
    raise NormalizationError("bool_unknown", _("%(value)s is not yes or no."), params={"value": value})


# --- KBLI, permits and certificates ------------------------------------------------------------


def normalize_kbli(value: Any, *, version: int = 2020) -> str | None:
    # Imported here because kbli.py raises this module's NormalizationError.
    from sentra.registry.kbli import category_for

    if is_blank(value):
        return None
    if _is_number(value):
        digits = _number_digits(value, "kbli")
        if len(digits) == 4:
            digits = _restore_kbli_zero(digits, version)
    else:
        digits = re.sub(r"\s", "", _text(value, "kbli_format"))
    if not _DIGITS.fullmatch(digits):
        raise NormalizationError("kbli_format", _("A KBLI code may contain only digits."))
    if len(digits) != 5:
        raise NormalizationError(
            "kbli_length",
            _("A KBLI code has 5 digits, this one has %(length)s."),
            params={"length": len(digits)},
        )
    category_for(digits, version)
    return digits


def _restore_kbli_zero(digits: str, version: int) -> str:
    """Put back the leading 0 a number cell dropped from a category A or B code (divisions 01-09).

    Every KBLI code has 5 digits and the only ones starting with 0 are in divisions 01-09, so a
    4-digit number is such a code with its 0 lost, unless someone typed a 4-digit class code
    (e.g. 1079). Those are caught here: padded, they land in a division that does not exist
    (4711 -> 04) or in group digit 0 (1079 -> 010), which no division 01-09 has.
    """
    from sentra.registry.kbli import divisions

    padded = "0" + digits
    if padded[:2] not in divisions(version) or padded[2] == "0":
        raise NormalizationError(
            "kbli_length",
            _("A KBLI code has 5 digits, this one has %(length)s."),
            params={"length": len(digits)},
        )
    return padded


_PIRT_PREFIX = re.compile(r"^p\s*[-.]?\s*irt\s*(?:nomor|no\.?)?\s*[:.]?\s*", re.IGNORECASE)


def normalize_pirt(value: Any) -> str | None:
    """The 15 digits of a P-IRT number ("P-IRT No. 2063216010123-27")."""
    if is_blank(value):
        return None
    if _is_number(value):
        digits = _number_digits(value, "pirt")
    else:
        digits = _ID_SEPARATORS.sub("", _PIRT_PREFIX.sub("", _text(value, "pirt_format")))
    if not _DIGITS.fullmatch(digits):
        raise NormalizationError("pirt_format", _("A P-IRT number may contain only digits."))
    if len(digits) != 15:
        raise NormalizationError(
            "pirt_length",
            _("A P-IRT number has 15 digits, this one has %(length)s."),
            params={"length": len(digits)},
        )
    return digits


def pirt_info(pirt: Any) -> dict[str, Any]:
    """The issuing regency ("32.16") and the expiry year a P-IRT number carries."""
    digits = normalize_pirt(pirt)
    if digits is None:
        raise ValueError("pirt_info needs a P-IRT number")
    # Only the last two digits of the year are kept; the format dates from the 2010s.
    return {"regency_code": f"{digits[3:5]}.{digits[5:7]}", "expiry_year": 2000 + int(digits[13:15])}


_BPOM_PREFIX = re.compile(r"^(?:reg(?:istrasi)?\.?\s*)?b?pom(?:\s*ri)?\s*[:.]?\s*", re.IGNORECASE)
_BPOM_DIGITS = {"MD": 12, "ML": 12, "NA": 11}


def normalize_bpom(value: Any) -> str | None:
    """MD/ML + 12 digits (processed food), NA + 11 (cosmetics), e.g. "MD234567890123"."""
    if is_blank(value):
        return None
    text = _BPOM_PREFIX.sub("", _text(value, "bpom_format"))
    compact = _ID_SEPARATORS.sub("", text).upper()
    match = re.fullmatch(r"(MD|ML|NA)([0-9]+)", compact)
    if not match:
        raise NormalizationError(
            "bpom_format", _("A BPOM number starts with MD, ML or NA followed by digits.")
        )
    expected = _BPOM_DIGITS[match[1]]
    if len(match[2]) != expected:
        raise NormalizationError(
            "bpom_length",
            _("A %(kind)s number has %(expected)s digits after the letters, this one has %(length)s."),
            params={"kind": match[1], "expected": expected, "length": len(match[2])},
        )
    return compact


def normalize_halal(value: Any) -> str | None:
    """A BPJPH halal certificate number: ID + 10-20 digits (the exact length is not published)."""
    if is_blank(value):
        return None
    compact = _ID_SEPARATORS.sub("", _text(value, "halal_format")).upper()
    if not re.fullmatch(r"ID[0-9]{10,20}", compact):
        raise NormalizationError(
            "halal_format", _("A halal certificate number is ID followed by 10 to 20 digits.")
        )
    return compact


# --- regions -----------------------------------------------------------------------------------

_REGION_PREFIX = re.compile(r"^(?:kecamatan|kelurahan|desa|kec|kel|ds)\b\.?\s*")
REGION_MATCH_CUTOFF = 0.6


def region_key(name: str) -> str:
    """The comparison key of a region name: "Kec. Karang Bahagia" and "KARANGBAHAGIA" share one."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().strip()
    return re.sub(r"[^a-z0-9]", "", _REGION_PREFIX.sub("", text))


def match_region_name(value: Any, candidates: Mapping[str, str]) -> str | None:
    """The code whose official name matches `value`; never a guess.

    `candidates` maps code -> official name. Near misses are offered as `exc.candidates`.
    """
    if is_blank(value):
        return None
    key = region_key(_text(value, "region_unknown"))
    names_by_key: dict[str, list[str]] = {}
    codes_by_key: dict[str, list[str]] = {}
    for code, name in candidates.items():
        names_by_key.setdefault(region_key(name), []).append(name)
        codes_by_key.setdefault(region_key(name), []).append(code)
    codes = codes_by_key.get(key, []) if key else []
    if len(codes) == 1:
        return codes[0]
    if codes:
        raise NormalizationError(
            "region_ambiguous",
            _("%(value)s matches more than one region."),
            candidates=sorted(names_by_key[key]),
            params={"value": value},
        )
    close = difflib.get_close_matches(key, list(names_by_key), n=3, cutoff=REGION_MATCH_CUTOFF)
    raise NormalizationError(
        "region_unknown",
        _("%(value)s is not a known region name."),
        candidates=[name for close_key in close for name in names_by_key[close_key]][:3],
        params={"value": value},
    )


# --- scale classes (PP 7/2021 art. 35) ---------------------------------------------------------

MICRO, SMALL, MEDIUM, LARGE = "micro", "small", "medium", "large"
MICRO_MAX_CAPITAL = 1_000_000_000
SMALL_MAX_CAPITAL = 5_000_000_000
MEDIUM_MAX_CAPITAL = 10_000_000_000
MICRO_MAX_TURNOVER = 2_000_000_000
SMALL_MAX_TURNOVER = 15_000_000_000
MEDIUM_MAX_TURNOVER = 50_000_000_000


def classify_scale(*, capital: int | None, turnover: int | None) -> tuple[str | None, str | None]:
    """(scale, basis). Capital (excluding land and buildings) decides when known, as at
    registration; yearly turnover otherwise. Above medium is "large", i.e. not an SME."""
    if capital is not None:
        basis, amount = "capital", capital
        ceilings = (MICRO_MAX_CAPITAL, SMALL_MAX_CAPITAL, MEDIUM_MAX_CAPITAL)
    elif turnover is not None:
        basis, amount = "turnover", turnover
        ceilings = (MICRO_MAX_TURNOVER, SMALL_MAX_TURNOVER, MEDIUM_MAX_TURNOVER)
    else:
        return None, None
    if amount < 0:
        raise ValueError(f"{basis} cannot be negative")
    for scale, ceiling in zip((MICRO, SMALL, MEDIUM), ceilings, strict=True):
        if amount <= ceiling:
            return scale, basis
    return LARGE, basis


# --- business names ----------------------------------------------------------------------------

_NOISE_WORDS = re.compile(r"\b(?:pt|cv|ud|pd|tbk|koperasi|kop|umkm|ukm|usaha|home ?industry)\b")


def name_key_for(name: str) -> str:
    """Spelling-insensitive business name: "UD. Keripik  Sari" and "keripik sari" share one key.

    Imports and officer edits should store it in `Sme.name_key`: the duplicate finder compares it.
    """
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = _NOISE_WORDS.sub(" ", re.sub(r"[^a-z0-9 ]", " ", text))
    return re.sub(r"[^a-z0-9]", "", text)[:200]
