"""The key registry journey: an officer imports a spreadsheet, watches it finish, and finds an SME."""

import threading

from django.db import connections
from django_tasks_db.management.commands.db_worker import Worker

from .conftest import serious_violations, upload_and_map


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
    upload_and_map(page, live_server, spreadsheet)

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


def test_an_officer_sees_a_bad_phone_as_a_warning_and_still_imports_the_business(
    transactional_db, regency_officer, sign_in, tmp_path, live_server
):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Nama Usaha", "Nama Pemilik", "No. HP/WA", "Email", "Kecamatan"])
    book.active.append(["Kopi Kenangan Bu Ratna", "Ratna Dewi", "0861-2345-678", "ratna@", "Cikarang Utara"])
    book.active.append(["Bengkel Las Pak Darto", "", "0812-3456-7002", "", "Cikarang Utara"])
    path = tmp_path / "umkm_warnings.xlsx"
    book.save(path)
    page = sign_in(regency_officer.username, "en")
    upload_and_map(page, live_server, path)

    page.wait_for_url("**/check/**")
    summary = page.locator("#summary-title").locator("..")
    assert "imported with warnings" in summary.inner_text()
    row = page.locator("#plan-table tbody tr").first
    assert "with warnings" in row.inner_text()
    assert "“0861-•••••678”: This prefix is not a subscriber number." in row.inner_text()
    assert "“ratna@”" in row.inner_text()
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    assert serious_violations(page) == []
    page.locator("select[name=only]").select_option("w")
    page.get_by_text("Rows 1–1 of 1").wait_for()
    assert "Bengkel Las" not in page.locator("#plan-table").inner_text()

    worker = threading.Thread(target=run_worker_once, daemon=True)
    worker.start()
    page.locator("form[action$='/commit/'] button[type=submit]").click()
    page.get_by_role("heading", name="Done").wait_for(timeout=60_000)
    worker.join(timeout=30)
    assert "Imported with warnings\n1" in page.locator("main dl").inner_text()
    assert serious_violations(page) == []

    from sentra.registry.models import Sme

    sme = Sme.objects.get()
    assert (sme.name, sme.phone, sme.email) == ("Kopi Kenangan Bu Ratna", "", "")
