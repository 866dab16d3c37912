"""When a business started: the headers Dinas files use map to the start year and month on their own."""

import datetime as dt

import pytest

from sentra.imports import services
from sentra.imports.sme_spec import match_headers
from sentra.registry.models import Sme

from .conftest import template_row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

START_HEADERS = [
    "Tanggal mulai usaha",
    "Tahun berdiri",
    "Mulai usaha",
    "Tgl. berdiri",
    "TANGGAL MULAI USAHA",
    "Tgl berdiri",
    "Start date",
    "Business start date",
    "Date started",
    "Year started",
    "Year founded",
    "Founded",
    "Date established",
    "Year established",
]


@pytest.mark.parametrize("header", START_HEADERS)
def test_a_start_date_header_maps_to_the_start_with_no_manual_mapping(header):
    assert match_headers(["Nama Usaha", header]) == ["name", "start_year"]


HEADERS = ["Nama Usaha", "Nama Pemilik", "Kecamatan", "Tanggal mulai usaha"]


def imported_start(path, admin_user) -> tuple[int | None, int | None]:
    job = services.import_file(path=path, actor=admin_user)
    assert (job.created, job.rejected, job.warned) == (1, 0, 0), services.read_plan(job)
    sme = Sme.objects.get()
    return sme.start_year, sme.start_month


def row(start) -> list:
    return ["Keripik Bu Siti", "Siti Rahayu", "Cikarang Utara", start]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (dt.date(2015, 8, 17), (2015, 8)),  # a date cell
        (dt.datetime(2015, 8, 17), (2015, 8)),
        (42233, (2015, 8)),  # a number cell holding the Excel serial of 17 August 2015
        ("17/08/2015", (2015, 8)),  # dd/mm/yyyy typed as text
        (2015, (2015, None)),  # a year
        ("2015", (2015, None)),
        ("Agustus 2015", (2015, 8)),
    ],
)
def test_each_form_of_start_in_an_xlsx_gives_the_year_and_month(tmp_path, admin_user, cell, expected):
    path = write_xlsx(tmp_path / "umkm.xlsx", HEADERS, [row(cell)])
    assert imported_start(path, admin_user) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("17/08/2015", (2015, 8)), ("2015", (2015, None)), ("42233", (2015, 8))]
)
def test_each_form_of_start_in_a_csv_gives_the_year_and_month(tmp_path, admin_user, text, expected):
    path = write_csv(tmp_path / "umkm.csv", HEADERS, [row(text)])
    assert imported_start(path, admin_user) == expected


def test_a_start_month_column_wins_over_the_month_of_a_date(tmp_path, admin_user):
    headers = [*HEADERS, "Bulan Mulai"]
    path = write_xlsx(tmp_path / "umkm.xlsx", headers, [[*row(dt.date(2015, 8, 17)), 3]])
    assert imported_start(path, admin_user) == (2015, 3)


def test_the_template_year_column_takes_a_date_too(template_file, admin_user):
    path = template_file([template_row(1, **{"Tahun Mulai": "17/08/2015"})])
    assert imported_start(path, admin_user) == (2015, 8)


def test_a_start_that_is_no_date_leaves_the_start_empty_with_a_warning(tmp_path, admin_user):
    path = write_xlsx(tmp_path / "umkm.xlsx", HEADERS, [row("sudah lama")])
    job = services.import_file(path=path, actor=admin_user)
    assert (job.created, job.warned) == (1, 1)
    assert Sme.objects.get().start_year is None
