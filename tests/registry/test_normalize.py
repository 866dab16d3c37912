import datetime as dt
import os

import pytest
from django.conf import settings
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.id import nik as stdnum_nik
from stdnum.id import npwp as stdnum_npwp

from sentra.registry import normalize as n
from sentra.registry.normalize import NormalizationError

# Messages are lazy; rendering one needs settings. These tests run without the project's settings
# (and without a database), so give Django the bare minimum unless a settings module is in play.
if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
    settings.configure(USE_I18N=False)


def make_nik(*, region="321601", day=17, month=8, year=85, female=False, serial=1):
    """A NIK built the way Dukcapil builds one: region, birth date (day + 40 for women), serial."""
    return f"{region}{day + 40 if female else day:02d}{month:02d}{year:02d}{serial:04d}"


def make_npwp(*, body="01312166", office="091", branch="000"):
    """A legacy 15-digit NPWP: 8 digits, a Luhn check digit over them, office and branch codes."""
    return f"{body}{luhn.calc_check_digit(body)}{office}{branch}"


def rejection(func, value, **kwargs) -> NormalizationError:
    with pytest.raises(NormalizationError) as info:
        func(value, **kwargs)
    return info.value


NIK = make_nik()


# --- blanks ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "", "   ", "\u00a0", "-", " - ", "nan", "NaN", float("nan")])
def test_empty_cells_are_blank(value):
    assert n.is_blank(value)


@pytest.mark.parametrize("value", [0, 0.0, "0", "x", False, dt.date(2020, 1, 1)])
def test_values_that_look_falsy_are_not_blank(value):
    assert not n.is_blank(value)


@pytest.mark.parametrize(
    "func",
    [
        n.normalize_nik,
        n.normalize_npwp,
        n.normalize_nib,
        n.normalize_phone,
        n.normalize_money,
        n.normalize_date,
        n.normalize_year,
        n.normalize_int,
        n.normalize_gender,
        n.normalize_bool,
        n.normalize_kbli,
        n.normalize_pirt,
        n.normalize_bpom,
        n.normalize_halal,
    ],
)
@pytest.mark.parametrize("value", [None, "", " ", "-", "nan", float("nan")])
def test_every_normaliser_returns_none_for_an_empty_cell(func, value):
    assert func(value) is None


def test_region_matching_returns_none_for_an_empty_cell():
    assert n.match_region_name("  ", {"1": "Setu"}) is None


# --- the error object --------------------------------------------------------------------------


def test_error_carries_code_params_and_a_message_that_renders():
    exc = rejection(n.normalize_nik, "3216")
    assert exc.code == "nik_length"
    assert exc.params == {"length": 4}
    with translation.override("en"):
        assert exc.render() == "A NIK has 16 digits, this one has 4."
    assert str(exc) == "nik_length"


def test_error_converts_to_a_django_validation_error_with_the_same_code():
    error = rejection(n.normalize_money, "1,5").as_validation_error()
    assert error.code == "money_ambiguous"
    assert error.params == {"value": "1,5"}


def test_errors_about_a_nik_or_phone_do_not_repeat_the_number():
    for exc in (
        rejection(n.normalize_nik, NIK[:-1] + "x"),
        rejection(n.normalize_nik, NIK[:15]),
        rejection(n.normalize_phone, "+4917612345678"),
        rejection(n.normalize_phone, "0812"),
    ):
        assert NIK[:10] not in exc.render()
        assert "1234" not in exc.render()


# --- NIK ---------------------------------------------------------------------------------------


def test_a_nik_built_from_real_structure_passes_stdnum():
    assert stdnum_nik.is_valid(NIK)
    assert stdnum_nik.is_valid(make_nik(female=True, year=2))


@pytest.mark.parametrize(
    "value",
    [NIK, f" {NIK} ", "3216 0117 0885 0001", "3216.0117.0885.0001", "321601-170885-0001", f"'{NIK}"],
)
def test_nik_with_dots_dashes_and_spaces_is_normalised(value):
    assert n.normalize_nik(value) == NIK


def test_nik_from_a_number_cell_is_accepted_when_exact():
    assert n.normalize_nik(3216011708850001.0) == NIK
    assert n.normalize_nik(3216011708850001) == NIK


def test_nik_from_a_number_cell_ending_in_zero_is_refused_because_excel_keeps_15_digits():
    assert rejection(n.normalize_nik, 3216011708850010.0).code == "nik_precision_lost"
    assert rejection(n.normalize_nik, 3216011708850010).code == "nik_precision_lost"


def test_nik_as_a_float_beyond_2_to_the_53_is_refused_as_precision_lost():
    assert rejection(n.normalize_nik, 9171011708850001.0).code == "nik_precision_lost"


def test_nik_as_a_float_with_a_fraction_is_refused():
    assert rejection(n.normalize_nik, 3216011708850001.5).code == "nik_format"


@pytest.mark.parametrize(
    "value", ["3.21601E+15", "3,21601E+15", "3.216011708850001e15", "3216011708850001E0"]
)
def test_nik_in_scientific_notation_text_is_always_refused(value):
    assert rejection(n.normalize_nik, value).code == "nik_scientific"


@pytest.mark.parametrize("value", [NIK[:15], NIK + "1", "32", 321601170885.0])
def test_nik_with_the_wrong_length_is_refused(value):
    assert rejection(n.normalize_nik, value).code == "nik_length"


@pytest.mark.parametrize("value", [NIK[:-1] + "O", "NIK " + NIK, dt.date(2020, 1, 1), True])
def test_nik_with_letters_or_a_non_text_cell_is_refused(value):
    assert rejection(n.normalize_nik, value).code == "nik_format"


@pytest.mark.parametrize(
    "nik",
    [
        make_nik(day=32),
        make_nik(day=0),
        make_nik(day=40),
        make_nik(day=72 - 40, female=True),
        make_nik(day=81 - 40, female=True),  # stdnum alone would read day 81 as the 1st
        make_nik(day=30, month=2),
        make_nik(month=13),
        make_nik(month=0),
        make_nik(day=29, month=2, year=1),
    ],
)
def test_nik_with_an_impossible_birth_date_is_refused(nik):
    assert rejection(n.normalize_nik, nik).code == "nik_birth_date"


def test_nik_with_a_leap_day_birth_date_is_accepted():
    assert n.normalize_nik(make_nik(day=29, month=2, year=0)) == make_nik(day=29, month=2, year=0)


def test_nik_info_reads_birth_date_gender_and_region():
    info = n.nik_info(NIK)
    assert info["birth_date"] == dt.date(1985, 8, 17)
    assert info["gender"] == "M"
    assert info["province_code"] == "32"
    assert info["regency_code"] == "32.16"
    assert info["region_code"] == "32.16.01"
    assert info["warning"] is None


def test_nik_info_reports_a_woman_when_the_day_is_over_40():
    info = n.nik_info(make_nik(day=5, month=3, female=True))
    assert info["gender"] == "F"
    assert info["birth_date"] == dt.date(1985, 3, 5)


def test_nik_info_puts_a_two_digit_year_in_the_latest_past_century():
    assert n.nik_info(make_nik(year=5))["birth_date"] == dt.date(2005, 8, 17)
    assert n.nik_info(make_nik(year=45))["birth_date"] == dt.date(1945, 8, 17)
    next_year = (dt.date.today().year + 1) % 100
    assert n.nik_info(make_nik(year=next_year))["birth_date"].year == 1900 + next_year


def test_stdnum_alone_would_refuse_a_nik_from_a_province_missing_from_its_list():
    assert not stdnum_nik.is_valid(make_nik(region="930101"))


@pytest.mark.parametrize("region", ["930101", "329901"])
def test_nik_with_an_unknown_province_or_regency_is_a_warning_not_an_error(region):
    nik = make_nik(region=region)
    assert n.normalize_nik(nik) == nik
    warning = n.nik_info(nik)["warning"]
    assert warning.code == "nik_region_unknown"
    assert warning.params == {"region": f"{region[:2]}.{region[2:4]}"}


# --- NPWP and NIB ------------------------------------------------------------------------------


def test_a_legacy_npwp_built_with_its_check_digit_passes_stdnum():
    assert stdnum_npwp.is_valid(make_npwp())


@pytest.mark.parametrize("value", ["01.312.166.0-091.000", "013121660091000", " 01 312 166 0 091 000 "])
def test_legacy_15_digit_npwp_with_formatting_returns_digits(value):
    assert n.normalize_npwp(value) == "013121660091000"


def test_16_digit_npwp_of_an_entity_is_0_plus_the_legacy_number():
    assert n.normalize_npwp("0013121660091000") == "0013121660091000"


def test_16_digit_npwp_of_an_individual_is_their_nik():
    assert n.normalize_npwp(NIK) == NIK


def test_npwp_from_a_number_cell_gets_back_the_leading_zero_excel_dropped():
    assert n.normalize_npwp(13121660091000.0) == "013121660091000"


def test_npwp_legacy_number_is_not_widened_to_16_digits():
    assert n.normalize_npwp(make_npwp(body="54321987")) == make_npwp(body="54321987")


@given(body=st.from_regex(r"[0-9]{8}", fullmatch=True), rest=st.from_regex(r"[0-9]{6}", fullmatch=True))
def test_any_legacy_npwp_with_a_correct_check_digit_is_accepted_in_both_lengths(body, rest):
    legacy = make_npwp(body=body, office=rest[:3], branch=rest[3:])
    assert n.normalize_npwp(legacy) == legacy
    assert n.normalize_npwp("0" + legacy) == "0" + legacy


def test_npwp_with_a_wrong_check_digit_is_refused():
    assert rejection(n.normalize_npwp, "01.312.166.1-091.000").code == "npwp_checksum"


@pytest.mark.parametrize("value", ["01.312.166.0-091", "0131216600910001234"])
def test_npwp_with_the_wrong_length_is_refused(value):
    assert rejection(n.normalize_npwp, value).code == "npwp_length"


def test_npwp_with_letters_is_refused():
    assert rejection(n.normalize_npwp, "NPWP 01.312.166.0-091.000").code == "npwp_format"


def test_16_digit_npwp_that_is_not_a_valid_nik_is_refused():
    assert rejection(n.normalize_npwp, make_nik(month=13)).code == "npwp_nik_invalid"


def test_npwp_in_scientific_notation_is_refused():
    assert rejection(n.normalize_npwp, "1.31217E+13").code == "npwp_scientific"


def test_npwp_as_a_16_digit_number_ending_in_zero_is_refused():
    assert rejection(n.normalize_npwp, 3216011708850010.0).code == "npwp_precision_lost"


@pytest.mark.parametrize("value", ["9120304460553", " 9120304460553 ", "9120 3044 60553", 9120304460553.0])
def test_nib_from_text_or_a_number_cell_is_13_digits(value):
    assert n.normalize_nib(value) == "9120304460553"


def test_nib_with_12_digits_from_a_number_cell_is_refused_as_a_lost_leading_zero():
    assert rejection(n.normalize_nib, 220001011046.0).code == "nib_leading_zero_lost"


@pytest.mark.parametrize("value", ["912030446055", "91203044605531"])
def test_nib_with_the_wrong_length_is_refused(value):
    assert rejection(n.normalize_nib, value).code == "nib_length"


@pytest.mark.parametrize("value", ["9120-3044-60553", "NIB9120304460553", 9120304460553.5])
def test_nib_with_other_characters_or_a_fraction_is_refused(value):
    assert rejection(n.normalize_nib, value).code == "nib_format"


def test_nib_in_scientific_notation_is_refused():
    assert rejection(n.normalize_nib, "9.1203E+12").code == "nib_scientific"


# --- phone -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "0812.3456.7890",
        "(0812) 3456-7890",
        "+6281234567890",
        "+62 812-3456-7890",
        "6281234567890",
        "81234567890",
        "006281234567890",
        81234567890.0,
        6281234567890.0,
        81234567890,
    ],
)
def test_mobile_number_in_any_form_becomes_e164(value):
    assert n.normalize_phone(value) == "+6281234567890"


@pytest.mark.parametrize("value", ["021-8901234", "(021) 8901234", "+62 21 8901234", 218901234.0])
def test_landline_with_area_code_becomes_e164(value):
    assert n.normalize_phone(value) == "+62218901234"


def test_shortest_and_longest_mobile_numbers_are_accepted():
    assert n.normalize_phone("0812345678") == "+62812345678"
    assert n.normalize_phone("0812345678901") == "+62812345678901"


mobile_numbers = st.builds(
    lambda second, rest: "8" + second + rest,
    st.sampled_from("1235789"),
    st.from_regex(r"[0-9]{7,10}", fullmatch=True),
)


@given(national=mobile_numbers, separator=st.sampled_from(["", " ", "-", "."]))
def test_any_mobile_number_in_the_three_prefix_forms_normalises_to_the_same_e164(national, separator):
    spaced = national[:3] + separator + national[3:]
    forms = ["0" + spaced, "+62" + separator + spaced, "62" + spaced]
    assert {n.normalize_phone(form) for form in forms} == {"+62" + national}


@pytest.mark.parametrize("value", ["+4917612345678", "+1 202 555 0143", "00491761234567"])
def test_foreign_number_is_refused(value):
    assert rejection(n.normalize_phone, value).code == "phone_not_indonesian"


def test_62_followed_by_an_area_code_is_refused_as_ambiguous():
    assert rejection(n.normalize_phone, "62218901234").code == "phone_ambiguous"


@pytest.mark.parametrize("value", ["08001234567", "08412345678", "08612345678", "0112345678", "+62112345678"])
def test_toll_free_unused_and_service_prefixes_are_refused(value):
    assert rejection(n.normalize_phone, value).code == "phone_prefix"


@pytest.mark.parametrize("value", ["081234567", "0218901", "0", "62812345"])
def test_too_short_number_is_refused(value):
    assert rejection(n.normalize_phone, value).code == "phone_too_short"


@pytest.mark.parametrize("value", ["08123456789012", "+628123456789012", "0218901234567"])
def test_too_long_number_is_refused(value):
    assert rejection(n.normalize_phone, value).code == "phone_too_long"


@pytest.mark.parametrize(
    "value", ["0812-3456-7890 ext 1", "0812345678/0813456789", "HP 0812345678", dt.date(2020, 1, 1)]
)
def test_phone_with_words_or_two_numbers_is_refused(value):
    assert rejection(n.normalize_phone, value).code == "phone_format"


@pytest.mark.parametrize(
    ("value", "e164"),
    [
        ("(0274) 512345", "+62274512345"),  # Yogyakarta
        ("061-4567890", "+62614567890"),  # Medan
        ("0361 234567", "+62361234567"),  # Denpasar
        ("+62 (0)812-3456-7890", "+6281234567890"),  # the trunk 0 written after the country code
        ("0881-2345-6789", "+6288123456789"),  # Smartfren
    ],
)
def test_fixed_lines_across_the_country_and_every_mobile_operator_are_accepted(value, e164):
    assert n.normalize_phone(value) == e164


@pytest.mark.parametrize("value", ["0809-1234567", "0804-1234567", "0800-1-234567", "1500-123"])
def test_premium_shared_cost_toll_free_and_service_numbers_are_not_an_smes_line(value):
    assert rejection(n.normalize_phone, value).code == "phone_prefix"


def test_two_numbers_in_one_cell_are_refused_saying_so():
    exc = rejection(n.normalize_phone, "0812-3456-789 / 0813-4567-890")
    assert exc.code == "phone_format"
    with translation.override("en"):
        assert "two phone numbers" in exc.render()


def test_phone_validity_comes_from_the_phonenumbers_metadata():
    import phonenumbers

    for value in ("081234567890", "021-8901234"):
        number = phonenumbers.parse(n.normalize_phone(value))
        assert phonenumbers.is_valid_number_for_region(number, "ID")


# --- start of a business: year, or a date of any form -----------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2015, (2015, None)),
        (2015.0, (2015, None)),
        ("2015", (2015, None)),
        ("2015.0", (2015, None)),
        (dt.date(2015, 8, 17), (2015, 8)),
        (dt.datetime(2015, 8, 17, 9, 30), (2015, 8)),
        (42233, (2015, 8)),  # the Excel serial of 17 August 2015
        (42233.0, (2015, 8)),
        ("42233", (2015, 8)),
        ("17/08/2015", (2015, 8)),
        ("17-08-2015", (2015, 8)),
        ("2015-08-17", (2015, 8)),
        ("17 Agustus 2015", (2015, 8)),
        ("08/2015", (2015, 8)),
        ("2015-08", (2015, 8)),
        ("Agustus 2015", (2015, 8)),
        ("Aug 2015", (2015, 8)),
    ],
)
def test_a_start_is_read_from_a_year_a_full_date_an_excel_serial_or_a_month_and_year(value, expected):
    assert n.normalize_start(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("kemarin", "start_format"),
        ("13/2015", "start_format"),
        (15, "start_format"),
        ("17/08/15", "date_two_digit_year"),
        ("08/25/2015", "date_us_order"),
        ("31/02/2015", "date_invalid"),
        (2015.5, "year_format"),
        ("2015.5", "start_format"),
        (2099, "year_out_of_range"),
    ],
)
def test_a_start_that_is_no_year_or_date_is_refused(value, code):
    assert rejection(n.normalize_start, value).code == code


def test_a_start_has_no_blank_of_its_own():
    assert n.normalize_start("  ") is None


def test_whatsapp_number_drops_the_plus():
    assert n.whatsapp_number("+6281234567890") == "6281234567890"


def test_whatsapp_number_wants_a_normalised_number():
    with pytest.raises(ValueError):
        n.whatsapp_number("081234567890")


# --- money -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Rp 1.500.000,00", 1_500_000),
        ("Rp1.500.000", 1_500_000),
        ("Rp. 1.500.000,-", 1_500_000),
        ("IDR 1,500,000", 1_500_000),
        ("1,500,000", 1_500_000),
        ("1,500,000.00", 1_500_000),
        ("1.500", 1_500),
        ("1,500", 1_500),
        ("150.000", 150_000),
        ("1500000", 1_500_000),
        ("1500000,00", 1_500_000),
        ("1500000.0", 1_500_000),
        ("0", 0),
        (" rp 25.000 ", 25_000),
        ("1,5 jt", 1_500_000),
        ("1.5 juta", 1_500_000),
        ("1,25 jt", 1_250_000),
        ("2 M", 2_000_000_000),
        ("2,5 M", 2_500_000_000),
        ("2 miliar", 2_000_000_000),
        ("2 milyar", 2_000_000_000),
        ("500 rb", 500_000),
        ("500rb", 500_000),
        ("500 ribu", 500_000),
        ("50k", 50_000),
        ("1 T", 1_000_000_000_000),
        ("1 triliun", 1_000_000_000_000),
        ("Rp 3 jt.", 3_000_000),
        (1500000.0, 1_500_000),
        (1500000, 1_500_000),
    ],
)
def test_money_in_indonesian_english_and_shorthand_forms_is_whole_rupiah(value, expected):
    assert n.normalize_money(value) == expected


@pytest.mark.parametrize("value", ["1.500.000,50", "1,500,000.50", "1500000,5", 1500000.5])
def test_money_with_a_non_zero_fraction_of_a_rupiah_is_refused_not_rounded(value):
    assert rejection(n.normalize_money, value).code == "money_fraction"


@pytest.mark.parametrize(
    "value", ["1.5", "1,5", "150,75", "1.500,000", "1,500.000", "1.500 jt", "1,125 M", "1.50.000"]
)
def test_money_that_can_be_read_two_ways_is_refused(value):
    assert rejection(n.normalize_money, value).code == "money_ambiguous"


@pytest.mark.parametrize("value", ["-1.500", "Rp -1.500", "(1.500)", "-Rp 1.500", -5.0, -5])
def test_negative_money_is_refused(value):
    assert rejection(n.normalize_money, value).code == "money_negative"


@pytest.mark.parametrize(
    "value", ["lima ratus ribu", "Rp", "1 500 000", "$1,500", "1.5E+06", dt.date(2020, 1, 1)]
)
def test_money_that_is_not_a_number_is_refused(value):
    assert rejection(n.normalize_money, value).code == "money_format"


def test_money_with_an_unknown_unit_is_refused():
    exc = rejection(n.normalize_money, "2 mio")
    assert exc.code == "money_unit"
    assert exc.params == {"unit": "mio"}


def test_money_as_a_float_beyond_2_to_the_53_is_refused():
    assert rejection(n.normalize_money, 2.0**60).code == "money_precision_lost"


@given(amount=st.integers(min_value=0, max_value=10**14))
def test_money_formatted_indonesian_style_round_trips(amount):
    indonesian = f"{amount:,}".replace(",", ".")
    assert n.normalize_money(f"Rp {indonesian}") == amount
    assert n.normalize_money(f"Rp{indonesian},00") == amount
    assert n.normalize_money(f"{amount:,}") == amount
    assert n.normalize_money(float(amount)) == amount


# --- dates -------------------------------------------------------------------------------------

INDEPENDENCE = dt.date(1945, 8, 17)


@pytest.mark.parametrize(
    "value",
    [
        INDEPENDENCE,
        dt.datetime(1945, 8, 17, 10, 0),
        "17/08/1945",
        "17-08-1945",
        "17.08.1945",
        "1945-08-17",
        "1945/08/17",
        "1945-08-17 00:00:00",
        "1945-08-17T10:00",
        "17/08/1945 10:00",
        "17 Agustus 1945",
        "17 agustus 1945",
        "17 AGUSTUS 1945",
        "17 Agu 1945",
        "17 Agt 1945",
        "17-Aug-1945",
        "17 August 1945",
        "17 Agu. 1945",
        " 17/8/1945 ",
    ],
)
def test_dates_in_common_indonesian_and_iso_forms_are_read(value):
    assert n.normalize_date(value) == INDEPENDENCE


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5 Mei 2021", dt.date(2021, 5, 5)),
        ("1 Pebruari 2020", dt.date(2020, 2, 1)),
        ("30 Nopember 2019", dt.date(2019, 11, 30)),
        ("24 Des 2024", dt.date(2024, 12, 24)),
        ("1 Okt 2023", dt.date(2023, 10, 1)),
        ("03/04/2020", dt.date(2020, 4, 3)),
    ],
)
def test_indonesian_month_names_and_day_first_order_are_read(value, expected):
    assert n.normalize_date(value) == expected


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, dt.date(1900, 1, 1)),
        (59, dt.date(1900, 2, 28)),
        (61, dt.date(1900, 3, 1)),
        (43831, dt.date(2020, 1, 1)),
        (45658.0, dt.date(2025, 1, 1)),
        (45658.75, dt.date(2025, 1, 1)),
    ],
)
def test_excel_serial_numbers_are_dates(serial, expected):
    assert n.normalize_date(serial) == expected


def test_excel_serial_60_is_the_nonexistent_29_february_1900():
    assert rejection(n.normalize_date, 60).code == "date_serial_invalid"


@pytest.mark.parametrize("value", [0, -5.0])
def test_excel_serial_below_1_is_refused(value):
    assert rejection(n.normalize_date, value).code == "date_serial_invalid"


@pytest.mark.parametrize("value", [1900, 2020.0, 2100])
def test_a_number_that_looks_like_a_year_is_not_read_as_an_excel_serial(value):
    assert rejection(n.normalize_date, value).code == "date_looks_like_year"


@pytest.mark.parametrize("value", [80000, 20200817, "01/01/1899", "01/01/2101", dt.date(1800, 1, 1)])
def test_dates_outside_1900_to_2100_are_refused(value):
    assert rejection(n.normalize_date, value).code == "date_out_of_range"


@pytest.mark.parametrize("value", ["03/25/2020", "12/13/2020", "1/31/2021"])
def test_month_first_us_dates_are_refused_never_guessed(value):
    assert rejection(n.normalize_date, value).code == "date_us_order"


@pytest.mark.parametrize("value", ["17/08/45", "17-08-20", "17 Agustus 45"])
def test_two_digit_years_are_refused(value):
    assert rejection(n.normalize_date, value).code == "date_two_digit_year"


@pytest.mark.parametrize(
    "value", ["31/02/2020", "29/02/2021", "13/13/2020", "2020-13-01", "0/1/2020", "32 Mei 2020"]
)
def test_dates_not_on_the_calendar_are_refused(value):
    assert rejection(n.normalize_date, value).code == "date_invalid"


@pytest.mark.parametrize(
    "value", ["kemarin", "17 Agustusan 1945", "17/08-1945", "20200817", "2020-08-170", "017/08/2020", True]
)
def test_text_that_is_not_a_date_is_refused(value):
    assert rejection(n.normalize_date, value).code == "date_format"


@given(date=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_any_date_written_day_first_or_iso_round_trips(date):
    assert n.normalize_date(date.strftime("%d/%m/%Y")) == date
    assert n.normalize_date(date.isoformat()) == date
    assert n.normalize_date(date.strftime("%d.%m.%Y")) == date


# --- year and counts ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [2020, 2020.0, "2020", " 2020 ", "2020.0"])
def test_year_from_a_number_or_text(value):
    assert n.normalize_year(value) == 2020


def test_year_bounds_are_1900_and_next_year():
    next_year = dt.date.today().year + 1
    assert n.normalize_year(1900) == 1900
    assert n.normalize_year(next_year) == next_year
    assert rejection(n.normalize_year, 1899).code == "year_out_of_range"
    exc = rejection(n.normalize_year, next_year + 1)
    assert exc.code == "year_out_of_range"
    assert exc.params["max"] == next_year


@pytest.mark.parametrize("value", ["20", "tahun 2020", "2.020", 2020.5, dt.date(2020, 1, 1), "'20"])
def test_year_that_is_not_four_digits_is_refused(value):
    assert rejection(n.normalize_year, value).code == "year_format"


@pytest.mark.parametrize("value", [12, 12.0, "12", "12 orang", "12orang", "12 org", "12.0", " 12 Orang "])
def test_count_from_a_number_text_or_with_the_word_orang(value):
    assert n.normalize_int(value) == 12


def test_count_of_zero_is_accepted():
    assert n.normalize_int(0) == 0


def test_count_below_the_minimum_is_refused():
    exc = rejection(n.normalize_int, "-1")
    assert exc.code == "int_below_min"
    assert exc.params == {"value": -1, "min": 0}
    assert rejection(n.normalize_int, 0, min=1).code == "int_below_min"


def test_count_above_an_optional_maximum_is_refused():
    assert n.normalize_int(12, max=12) == 12
    assert rejection(n.normalize_int, 13, max=12).code == "int_above_max"


def test_count_with_a_fraction_is_refused():
    assert rejection(n.normalize_int, 12.5).code == "int_fraction"


@pytest.mark.parametrize(
    "value", ["1.200", "12,0", "dua belas", "12 pekerja", "12.5", True, dt.date(2020, 1, 1)]
)
def test_count_in_a_form_that_is_not_a_plain_whole_number_is_refused(value):
    assert rejection(n.normalize_int, value).code == "int_format"


# --- gender and yes/no -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["L", "l", "L.", "Laki-laki", "LAKI-LAKI", "laki laki", "Lakilaki", "Pria", "M", "Male"]
)
def test_male_in_indonesian_or_english_is_m(value):
    assert n.normalize_gender(value) == "M"


@pytest.mark.parametrize("value", ["P", "p", "Perempuan", "PEREMPUAN", "Wanita", "F", "Female"])
def test_female_in_indonesian_or_english_is_f(value):
    assert n.normalize_gender(value) == "F"


@pytest.mark.parametrize("value", [1, 2, 1.0, "1", "2"])
def test_numeric_gender_codes_are_refused(value):
    assert rejection(n.normalize_gender, value).code == "gender_numeric_code"


@pytest.mark.parametrize("value", ["X", "Lainnya", "Pr", True])
def test_unknown_gender_is_refused(value):
    assert rejection(n.normalize_gender, value).code == "gender_unknown"


@pytest.mark.parametrize("value", ["ya", "Ya", "YA", "y", "iya", "yes", "true", "TRUE", "1", 1, 1.0, True])
def test_yes_values_are_true(value):
    assert n.normalize_bool(value) is True


@pytest.mark.parametrize("value", ["tidak", "Tidak", "tdk", "n", "no", "false", "FALSE", "0", 0, 0.0, False])
def test_no_values_are_false(value):
    assert n.normalize_bool(value) is False


@pytest.mark.parametrize("value", ["t", "T"])
def test_t_is_refused_because_it_means_tidak_in_indonesian_and_true_in_english(value):
    assert rejection(n.normalize_bool, value).code == "bool_ambiguous"


@pytest.mark.parametrize("value", ["mungkin", "2", 2, 0.5, dt.date(2020, 1, 1)])
def test_other_yes_no_values_are_refused(value):
    assert rejection(n.normalize_bool, value).code == "bool_unknown"


# --- KBLI --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"), [("10792", "10792"), (" 47111 ", "47111"), (47111.0, "47111")]
)
def test_kbli_five_digit_code_is_kept(value, expected):
    assert n.normalize_kbli(value) == expected


@pytest.mark.parametrize(("value", "expected"), [(1111.0, "01111"), (1111, "01111"), (8930.0, "08930")])
def test_kbli_number_with_four_digits_gets_back_its_leading_zero(value, expected):
    assert n.normalize_kbli(value) == expected


@pytest.mark.parametrize("value", [1079.0, 1050.0, 4711.0])
def test_kbli_number_that_is_a_four_digit_class_code_is_not_padded(value):
    assert rejection(n.normalize_kbli, value).code == "kbli_length"


@pytest.mark.parametrize("value", ["1111", "107921", "1"])
def test_kbli_text_with_the_wrong_length_is_refused(value):
    assert rejection(n.normalize_kbli, value).code == "kbli_length"


@pytest.mark.parametrize("value", ["1079a", "10.792", 10792.5, dt.date(2020, 1, 1)])
def test_kbli_with_other_characters_or_a_fraction_is_refused(value):
    assert rejection(n.normalize_kbli, value).code == "kbli_format"


@pytest.mark.parametrize("value", ["04111", "34000", "76100"])
def test_kbli_in_a_division_that_does_not_exist_is_refused(value):
    exc = rejection(n.normalize_kbli, value)
    assert exc.code == "kbli_division_unknown"
    assert exc.params["division"] == value[:2]


def test_kbli_checks_the_division_against_the_version_given():
    assert n.normalize_kbli("61100", version=2025) == "61100"
    assert rejection(n.normalize_kbli, "10792", version=2017).code == "kbli_version_unknown"


# --- P-IRT, BPOM, halal ------------------------------------------------------------------------

PIRT = "206321601012327"


@pytest.mark.parametrize(
    "value",
    [
        "P-IRT No. 2063216010123-27",
        "PIRT No: 2063216010123-27",
        "p-irt 2063216010123-27",
        "P-IRT Nomor 206 3216 01 0123 27",
        PIRT,
        206321601012327.0,
    ],
)
def test_pirt_number_is_15_digits(value):
    assert n.normalize_pirt(value) == PIRT


def test_pirt_info_reads_the_regency_and_expiry_year():
    assert n.pirt_info("P-IRT No. 2063216010123-27") == {"regency_code": "32.16", "expiry_year": 2027}


@pytest.mark.parametrize("value", ["2063216010123", "P-IRT No. 2063216010123-271"])
def test_pirt_with_the_wrong_length_is_refused(value):
    assert rejection(n.normalize_pirt, value).code == "pirt_length"


@pytest.mark.parametrize("value", ["SPP-IRT 2063216010123-27", "P-IRT No. 2O63216010123-27"])
def test_pirt_with_other_characters_is_refused(value):
    assert rejection(n.normalize_pirt, value).code == "pirt_format"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("MD 234567890123", "MD234567890123"),
        ("md234567890123", "MD234567890123"),
        ("BPOM RI MD 2345 6789 0123", "MD234567890123"),
        ("BPOM MD 234567890123", "MD234567890123"),
        ("POM RI ML 123456789012", "ML123456789012"),
        ("NA18191200123", "NA18191200123"),
        ("BPOM RI NA 18191200123", "NA18191200123"),
    ],
)
def test_bpom_number_is_letters_and_digits_without_prefix(value, expected):
    assert n.normalize_bpom(value) == expected


@pytest.mark.parametrize("value", ["MD 23456789012", "ML 2345678901234", "NA 181912001234"])
def test_bpom_with_the_wrong_number_of_digits_is_refused(value):
    assert rejection(n.normalize_bpom, value).code == "bpom_length"


@pytest.mark.parametrize("value", ["TR 123456789", "POM TR 123456789", "234567890123", 234567890123.0])
def test_bpom_without_md_ml_or_na_is_refused(value):
    assert rejection(n.normalize_bpom, value).code == "bpom_format"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("ID32110000123450223", "ID32110000123450223"), ("id 3211 0000 1234", "ID321100001234")],
)
def test_halal_certificate_number_is_id_and_digits(value, expected):
    assert n.normalize_halal(value) == expected


@pytest.mark.parametrize(
    "value", ["ID123456789", "ID" + "1" * 21, "01011234560918", "LPPOM 1234567890", 12345678901.0]
)
def test_halal_number_of_another_shape_is_refused(value):
    assert rejection(n.normalize_halal, value).code == "halal_format"


# --- regions -----------------------------------------------------------------------------------

# Official names of some of Kab. Bekasi's kecamatan; the codes are placeholders.
KECAMATAN = {
    "k-setu": "Setu",
    "k-cikarang-utara": "Cikarang Utara",
    "k-cikarang-barat": "Cikarang Barat",
    "k-cikarang-timur": "Cikarang Timur",
    "k-karang-bahagia": "Karang Bahagia",
    "k-tambun-selatan": "Tambun Selatan",
    "k-tambun-utara": "Tambun Utara",
    "k-muaragembong": "Muaragembong",
}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Karang Bahagia", "k-karang-bahagia"),
        ("KARANGBAHAGIA", "k-karang-bahagia"),
        ("karang  bahagia", "k-karang-bahagia"),
        ("Kec. Cikarang Utara", "k-cikarang-utara"),
        ("Kec Cikarang Utara", "k-cikarang-utara"),
        ("Kecamatan Cikarang Utara", "k-cikarang-utara"),
        ("KEC.CIKARANG UTARA", "k-cikarang-utara"),
        ("Muara Gembong", "k-muaragembong"),
        ("Tambun-Selatan", "k-tambun-selatan"),
    ],
)
def test_region_name_matches_ignoring_case_prefixes_punctuation_and_spaces(value, expected):
    assert n.match_region_name(value, KECAMATAN) == expected


@pytest.mark.parametrize("prefix", ["Desa ", "Ds. ", "Kel. ", "Kelurahan ", "DESA."])
def test_desa_and_kelurahan_prefixes_are_ignored(prefix):
    assert n.match_region_name(prefix + "Sukamaju", {"d1": "Sukamaju", "d2": "Sukamulya"}) == "d1"


def test_a_name_that_begins_like_a_prefix_keeps_its_letters():
    assert n.region_key("Kelapa Dua") == "kelapadua"
    assert n.region_key("Desakan") == "desakan"


def test_region_key_is_the_comparison_key():
    assert n.region_key("Kec. Karang Bahagia") == n.region_key("KARANGBAHAGIA") == "karangbahagia"


def test_near_miss_region_is_refused_with_the_closest_official_names():
    exc = rejection(n.match_region_name, "Tambun Selatn", candidates=KECAMATAN)
    assert exc.code == "region_unknown"
    assert exc.candidates[0] == "Tambun Selatan"
    assert len(exc.candidates) <= 3


def test_partial_region_name_is_refused_never_guessed():
    exc = rejection(n.match_region_name, "Cikarang", candidates=KECAMATAN)
    assert exc.code == "region_unknown"
    assert set(exc.candidates) <= {"Cikarang Utara", "Cikarang Barat", "Cikarang Timur"}
    assert len(exc.candidates) == 3


def test_unrelated_region_name_gets_no_candidates():
    assert rejection(n.match_region_name, "Jakarta", candidates=KECAMATAN).candidates == ()


def test_region_name_shared_by_two_codes_is_refused_as_ambiguous():
    exc = rejection(
        n.match_region_name, "Sukamaju", candidates={"a": "Sukamaju", "b": "SUKAMAJU", "c": "Setu"}
    )
    assert exc.code == "region_ambiguous"
    assert sorted(exc.candidates) == ["SUKAMAJU", "Sukamaju"]


# --- scale -------------------------------------------------------------------------------------

BN = 1_000_000_000


@pytest.mark.parametrize(
    ("capital", "scale"),
    [
        (0, "micro"),
        (BN, "micro"),
        (BN + 1, "small"),
        (5 * BN, "small"),
        (5 * BN + 1, "medium"),
        (10 * BN, "medium"),
        (10 * BN + 1, "large"),
    ],
)
def test_capital_thresholds_of_pp_7_2021(capital, scale):
    assert n.classify_scale(capital=capital, turnover=None) == (scale, "capital")


@pytest.mark.parametrize(
    ("turnover", "scale"),
    [
        (0, "micro"),
        (2 * BN, "micro"),
        (2 * BN + 1, "small"),
        (15 * BN, "small"),
        (15 * BN + 1, "medium"),
        (50 * BN, "medium"),
        (50 * BN + 1, "large"),
    ],
)
def test_turnover_thresholds_of_pp_7_2021(turnover, scale):
    assert n.classify_scale(capital=None, turnover=turnover) == (scale, "turnover")


def test_capital_decides_when_both_measures_are_known():
    assert n.classify_scale(capital=BN, turnover=40 * BN) == ("micro", "capital")


def test_no_measure_gives_no_scale():
    assert n.classify_scale(capital=None, turnover=None) == (None, None)


def test_negative_measure_is_a_programming_error():
    with pytest.raises(ValueError):
        n.classify_scale(capital=-1, turnover=None)


def test_thresholds_are_module_constants():
    assert (n.MICRO_MAX_CAPITAL, n.SMALL_MAX_CAPITAL, n.MEDIUM_MAX_CAPITAL) == (BN, 5 * BN, 10 * BN)
    assert (n.MICRO_MAX_TURNOVER, n.SMALL_MAX_TURNOVER, n.MEDIUM_MAX_TURNOVER) == (2 * BN, 15 * BN, 50 * BN)


# --- every message renders ---------------------------------------------------------------------

REJECTIONS = [
    (n.normalize_nik, "12"),
    (n.normalize_nik, "3.2E+15"),
    (n.normalize_nik, make_nik(month=13)),
    (n.normalize_npwp, "01.312.166.1-091.000"),
    (n.normalize_nib, 220001011046.0),
    (n.normalize_phone, "62218901234"),
    (n.normalize_money, "2 mio"),
    (n.normalize_money, "1,5"),
    (n.normalize_money, 1.5),
    (n.normalize_date, "03/25/2020"),
    (n.normalize_date, 60),
    (n.normalize_date, 2020),
    (n.normalize_date, "01/01/1899"),
    (n.normalize_year, 1800),
    (n.normalize_int, "-1"),
    (n.normalize_gender, 1),
    (n.normalize_bool, "t"),
    (n.normalize_kbli, "04111"),
    (n.normalize_bpom, "MD 1"),
    (n.normalize_halal, "ID1"),
    (n.normalize_phone, "0812345678/0813456789"),
    (n.normalize_start, "kemarin"),
]


@pytest.mark.parametrize(("func", "value"), REJECTIONS)
def test_every_rejection_message_renders_with_its_params(func, value):
    text = rejection(func, value).render()
    assert text
    assert "%(" not in text
