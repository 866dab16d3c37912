"""Exports of the filtered registry list, read back as a user's spreadsheet program would read them."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from conftest import CANARY_NIK, CANARY_PHONE
from sentra.core.models import AccessLog
from sentra.registry.exports import COLUMNS, PERSONAL_COLUMNS, csv_cell

from .factories import OwnerFactory, PermitFactory, SmeFactory

CSV = reverse("registry:sme_export_csv")
XLSX = reverse("registry:sme_export_xlsx")
SIDT = reverse("registry:sme_export_sidt")


def read_csv(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def read_xlsx(response) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def smes(kecamatan):
    owner = OwnerFactory(name="Siti Rahayu", nik=CANARY_NIK, phone=CANARY_PHONE, female=True)
    keripik = SmeFactory(
        name="Keripik Singkong Bu Siti",
        brand="",
        products="keripik singkong",
        owner=owner,
        kecamatan=kecamatan["cikarang_utara"],
        capital=250_000_000,
        nib="9120301234567",
        npwp="",
        phone=CANARY_PHONE,
    )
    PermitFactory(sme=keripik, number="ID32160000012345", expires_on=dt.date(2027, 3, 31))
    SmeFactory(
        name="Mebel Jati Tambun",
        brand="",
        products="lemari, meja makan",
        kecamatan=kecamatan["tambun_selatan"],
        submitted=True,
    )
    return keripik


def test_the_csv_holds_the_filtered_rows_without_personal_data(en_client, regency_officer, smes):
    en_client.force_login(regency_officer)
    response = en_client.get(CSV, {"kecamatan": "32.16.09"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    rows = read_csv(response)
    assert [r["Business name"] for r in rows] == ["Keripik Singkong Bu Siti"]
    row = rows[0]
    assert row["Owner name"] == "Siti Rahayu"
    assert row["Kecamatan"] == "Cikarang Utara"
    assert row["NIB"] == "9120301234567"
    assert row["Capital (Rp)"] == "250000000"
    assert row["Halal certificate"] == "ID32160000012345"
    assert row["Halal valid until"] == "2027-03-31"
    assert row["Status"] == "Verified"
    assert "Owner NIK" not in row
    assert CANARY_NIK not in str(rows) and CANARY_PHONE not in str(rows)
    assert not AccessLog.objects.exists()


def test_the_xlsx_keeps_identifiers_as_text_and_money_as_numbers(en_client, regency_officer, smes):
    en_client.force_login(regency_officer)
    response = en_client.get(XLSX, {"q": "keripik"})

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = read_xlsx(response)
    assert len(rows) == 1
    row = rows[0]
    assert row["NIB"] == "9120301234567"
    assert row["Capital (Rp)"] == 250_000_000
    assert row["Halal valid until"] == dt.datetime(2027, 3, 31)
    assert row["Updated"].date() == timezone.localdate()
    with translation.override("en"):
        assert set(row) == {column.header() for column in COLUMNS}


def test_personal_columns_come_only_on_request_and_the_export_is_logged(en_client, regency_officer, smes):
    en_client.force_login(regency_officer)
    rows = read_xlsx(en_client.get(XLSX, {"personal": "1"}))

    keripik = next(r for r in rows if r["Business name"] == "Keripik Singkong Bu Siti")
    assert keripik["Owner NIK"] == CANARY_NIK
    assert keripik["Owner phone"] == CANARY_PHONE
    with translation.override("en"):
        assert set(keripik) == {c.header() for c in COLUMNS + PERSONAL_COLUMNS}
    log = AccessLog.objects.get()
    assert (log.user, log.kind, log.row_count) == (regency_officer, "export", 2)
    assert "owner.nik" in log.fields


def test_a_personal_csv_export_is_logged_with_its_row_count_before_it_streams(en_client, officer, smes):
    en_client.force_login(officer)
    response = en_client.get(CSV, {"personal": "1", "q": CANARY_NIK})
    assert AccessLog.objects.get().row_count == 1
    # The NIK typed as a search stays out of the log.
    assert CANARY_NIK not in AccessLog.objects.get().detail
    assert read_csv(response)[0]["Owner NIK"] == CANARY_NIK


def test_a_scoped_officer_exports_only_their_kecamatan(en_client, officer, smes):
    en_client.force_login(officer)
    rows = read_csv(en_client.get(CSV))
    assert [r["Business name"] for r in rows] == ["Keripik Singkong Bu Siti"]


@pytest.mark.parametrize("url", [XLSX, SIDT])
@pytest.mark.parametrize("role", ["sme_owner", "cashier", "partner", "buyer", "outsider"])
def test_exports_are_closed_outside_the_dinas(client, personas, smes, role, url):
    client.force_login(personas[role])
    assert client.get(url, {"personal": "1"}).status_code == 403
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("url", [CSV, SIDT])
def test_an_export_with_a_bad_filter_is_refused_not_widened(en_client, regency_officer, smes, url):
    en_client.force_login(regency_officer)
    response = en_client.get(url, {"status": "bogus", "personal": "1"}, follow=True)
    html = response.content.decode()
    assert "The export was not made: correct the filters marked below." in html
    assert 'id="id_status_error"' in html
    assert not AccessLog.objects.exists()


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_defused(en_client, admin_user, kecamatan):
    SmeFactory(name='=HYPERLINK("http://evil.example","klik")', kecamatan=kecamatan["cikarang_utara"])
    en_client.force_login(admin_user)

    csv_rows = read_csv(en_client.get(CSV))
    xlsx_rows = read_xlsx(en_client.get(XLSX))

    assert csv_rows[0]["Business name"].startswith("'=")
    assert xlsx_rows[0]["Business name"] == '=HYPERLINK("http://evil.example","klik")'
    assert csv_cell("+6281299990000") == "+6281299990000"
    assert csv_cell("-12") == "-12"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"


def test_a_csv_export_speaks_the_users_language(client, regency_officer, smes):
    client.force_login(regency_officer)
    with translation.override("id"):
        header = COLUMNS[1].header()
    assert header in read_csv(client.get(CSV))[0]


@pytest.mark.parametrize("url", [CSV, XLSX, SIDT])
def test_the_number_of_queries_does_not_grow_with_the_rows(client, admin_user, kecamatan, url):
    client.force_login(admin_user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get(url, {"personal": "1"}).streaming_content)
        return len(captured)

    for _ in range(3):
        PermitFactory(sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"]))
    with_three = queries()
    for _ in range(27):
        PermitFactory(sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"]))
    # session, user, the row count for the access log, the log entry (and its content type),
    # the SMEs with owner, regions and forum, their permits: per 2,000 rows, not per row.
    assert queries() == with_three
