"""The key registry journey: an officer imports a spreadsheet, watches it finish, and finds an SME."""

import threading

import openpyxl
import pytest
from django.db import connections
from django_tasks_db.management.commands.db_worker import Worker

from .conftest import serious_violations

HEADERS = [
    "Nama Usaha",
    "Nama Pemilik",
    "NIK",
    "No. HP/WA",
    "Kecamatan",
    "Desa/Kelurahan",
    "Modal Usaha",
    "NIB",
]
ROWS = [
    ["Keripik Tempe Mbak Yuni", "Yuni Astuti", "3216094507880003", "0812-3456-7001", "Kec. Cikarang Utara",
     "Karangasih", "Rp 15.000.000", "9120301234567"],
    ["Batik Tulis Sekar Jagad", "Endang Sulastri", "3216064811750002", "+62 813 2222 3333", "TAMBUN SELATAN",
     "Mekarsari", "25 jt", "9120301234568"],
    ["Bengkel Las Pak Darto", "Sudarto", "32160912", "0812", "Cikarang Utara", "Karangasih", "abc", ""],
]  # fmt: skip


@pytest.fixture
def spreadsheet(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in ROWS:
        sheet.append(row)
    path = tmp_path / "umkm_cikarang.xlsx"
    book.save(path)
    return path


def run_worker_once():
    """django-tasks-db's own worker loop, for exactly one task, in a thread of this test.

    (The `db_worker` command would install signal handlers, which only the main thread may do.)
    """
    worker = Worker(
        queue_names=["default"],
        interval=0.2,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id="browser-test",
        excluded_queue_names=[],
    )
    try:
        worker.run()
    finally:
        connections.close_all()


def test_an_officer_imports_a_spreadsheet_and_finds_an_imported_sme(
    transactional_db, regency_officer, sign_in, spreadsheet, live_server
):
    page = sign_in(regency_officer.username, "en")
    page.goto(live_server.url + "/imports/")
    page.locator("input[type=file]").set_input_files(str(spreadsheet))
    page.locator("main form[enctype] button[type=submit]").click()

    page.wait_for_url("**/columns/")
    page.locator("main form button[type=submit]").last.click()

    page.wait_for_url("**/check/**")
    assert "Reject" in page.content() or "reject" in page.content()
    assert serious_violations(page) == []
    worker = threading.Thread(target=run_worker_once, daemon=True)
    worker.start()
    page.locator("form[action$='/commit/'] button[type=submit]").click()

    progress = page.get_by_role("progressbar")
    progress.wait_for()
    try:
        page.get_by_role("heading", name="Done").wait_for(timeout=60_000)
    except Exception:
        print("PAGE>>", page.locator("main").inner_text())
        raise
    assert progress.get_attribute("aria-valuenow") == "100"
    worker.join(timeout=30)

    page.goto(live_server.url + "/registry/smes/")
    page.locator("input[name=q]").fill("keripik tempe")
    page.locator("input[name=q]").press("Enter")
    result = page.get_by_role("link", name="Keripik Tempe Mbak Yuni")
    result.wait_for()
    assert page.get_by_role("link", name="Bengkel Las Pak Darto").count() == 0
