from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from sentra.core.templatetags.sentra import format_date, format_rupiah


@pytest.mark.parametrize(
    ("amount", "indonesian", "english"),
    [
        (0, "Rp 0", "IDR 0"),
        (999, "Rp 999", "IDR 999"),
        (1000, "Rp 1.000", "IDR 1,000"),
        (1234567, "Rp 1.234.567", "IDR 1,234,567"),
        (90_000_000_000, "Rp 90.000.000.000", "IDR 90,000,000,000"),
        (-1500, "-Rp 1.500", "-IDR 1,500"),
    ],
)
def test_rupiah_is_grouped_the_way_each_language_writes_it(amount, indonesian, english):
    assert format_rupiah(amount, "id") == indonesian
    assert format_rupiah(amount, "en") == english


def test_rupiah_of_nothing_is_empty():
    assert format_rupiah(None) == ""


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_rupiah_reads_back_to_the_same_amount(amount):
    text = format_rupiah(amount, "id")
    digits = text.replace("Rp ", "").replace(".", "")
    assert int(digits) == amount


@pytest.mark.parametrize(
    ("value", "indonesian", "english"),
    [
        (date(2026, 11, 27), "27 Nov 2026", "27 Nov 2026"),
        (date(2026, 5, 1), "1 Mei 2026", "1 May 2026"),
        (date(2025, 8, 17), "17 Agu 2025", "17 Aug 2025"),
        (date(2024, 12, 31), "31 Des 2024", "31 Dec 2024"),
        (date(2024, 10, 2), "2 Okt 2024", "2 Oct 2024"),
    ],
)
def test_dates_use_each_languages_month_names(value, indonesian, english):
    with translation.override("id"):
        assert format_date(value) == indonesian
    with translation.override("en"):
        assert format_date(value) == english


def test_times_are_shown_in_western_indonesia_time():
    # 20:30 UTC on 26 Nov is 03:30 WIB on 27 Nov: the date itself moves.
    moment = datetime(2026, 11, 26, 20, 30, tzinfo=ZoneInfo("UTC"))
    with translation.override("id"):
        assert format_date(moment) == "27 Nov 2026"
        assert format_date(moment, with_time=True) == "27 Nov 2026 03:30"


def test_template_filters_render_in_a_page(client, admin_user, settings):
    from django.template import Context, Template

    html = Template("{{ amount|rupiah }} · {{ day|tanggal }}").render(
        Context({"amount": 1500000, "day": date(2026, 5, 5)})
    )
    with translation.override("id"):
        html = Template("{{ amount|rupiah }} · {{ day|tanggal }}").render(
            Context({"amount": 1500000, "day": date(2026, 5, 5)})
        )
    assert html == "Rp 1.500.000 · 5 Mei 2026"
