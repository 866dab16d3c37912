"""Foreign amounts: minor units per currency, input that would need guessing refused, rounding stated."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from sentra.exports import currencies

USD, JPY, KWD = (currencies.get(code) for code in ("USD", "JPY", "KWD"))


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [("12.50", USD, 1250), ("12,5", USD, 1250), ("1250", USD, 125000), ("1500", JPY, 1500),
     ("1.2500", USD, 125), ("3,1415", KWD, None), ("1,2550", KWD, 1255), ("0,07", USD, 7)],
)  # fmt: skip
def test_amounts_become_whole_minor_units_of_their_currency(text, currency, minor):
    if minor is None:
        with pytest.raises(ValidationError):
            currencies.parse_amount(text, currency)
    else:
        assert currencies.parse_amount(text, currency) == minor


@pytest.mark.parametrize("text", ["1.250", "1,250", "15.750"])
def test_a_separator_before_exactly_three_digits_is_refused_as_ambiguous(text):
    with pytest.raises(ValidationError) as caught:
        currencies.parse_decimal(text, places=6)
    assert caught.value.code == "ambiguous"


@pytest.mark.parametrize("text", ["1.234.567", "1,234.56", "12a", "", "-5", "0", "1e3"])
def test_thousands_separators_signs_zero_and_letters_are_refused(text):
    with pytest.raises(ValidationError):
        currencies.parse_decimal(text, places=2)


def test_yen_takes_no_decimals_and_dollars_no_more_than_two():
    with pytest.raises(ValidationError, match="JPY"):
        currencies.parse_amount("10.5", JPY)
    with pytest.raises(ValidationError):
        currencies.parse_amount("10.505", USD)


def test_an_unknown_currency_is_refused_not_guessed():
    with pytest.raises(ValidationError):
        currencies.get("XYZ")


def test_rupiah_value_rounds_half_up_to_the_whole_rupiah():
    # USD 0.01 at 15,750.50 = Rp 157.505 → 158; at 15,749.99 = Rp 157.4999 → 157.
    assert currencies.to_rupiah(1, USD, Decimal("15750.50")) == 158
    assert currencies.to_rupiah(1, USD, Decimal("15749.99")) == 157
    # ¥1 at 105.5 = Rp 105.5 → 106; ¥3 at 105.25 = Rp 315.75 → 316.
    assert currencies.to_rupiah(1, JPY, Decimal("105.5")) == 106
    assert currencies.to_rupiah(3, JPY, Decimal("105.25")) == 316
    # KWD has three decimals: 1.255 KWD at 51,000 = Rp 64,005.
    assert currencies.to_rupiah(1255, KWD, Decimal("51000")) == 64005


@given(
    minor=st.integers(min_value=1, max_value=10**12),
    rate_micro=st.integers(min_value=1, max_value=10**11),
    code=st.sampled_from(["USD", "JPY", "KWD"]),
)
def test_the_rupiah_value_is_the_exact_product_rounded_half_up(minor, rate_micro, code):
    currency = currencies.get(code)
    rate = Decimal(rate_micro).scaleb(-6)
    exact = Fraction(minor) * Fraction(rate_micro, 10**6) / 10**currency.exponent
    expected = int(exact) + (1 if exact - int(exact) >= Fraction(1, 2) else 0)
    assert currencies.to_rupiah(minor, currency, rate) == expected


@given(minor=st.integers(min_value=1, max_value=10**13), code=st.sampled_from(["USD", "JPY", "KWD", "EUR"]))
def test_an_amount_written_out_reads_back_to_the_same_minor_units(minor, code):
    currency = currencies.get(code)
    text = f"{currencies.major(minor, currency):f}"
    if currency.exponent == 3 and "." in text:
        text += "0"  # three decimals alone would be ambiguous; a trailing zero is not
    assert currencies.parse_amount(text, currency) == minor


def test_amounts_show_every_decimal_of_their_currency_in_each_language():
    assert currencies.format_amount(123456, "USD", "en") == "USD 1,234.56"
    assert currencies.format_amount(123456, "USD", "id") == "USD 1.234,56"
    assert currencies.format_amount(1500, "JPY", "id") == "JPY 1.500"
    assert currencies.format_amount(1255, "KWD", "en") == "KWD 1.255"
