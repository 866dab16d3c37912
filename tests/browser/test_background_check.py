"""A large file's check runs in the task worker: the officer watches it and lands on the result."""

import threading

from .conftest import serious_violations, upload_and_map
from .test_import import run_worker_once


def test_an_officer_waits_for_a_background_check_and_is_taken_to_its_result(
    transactional_db, regency_officer, sign_in, spreadsheet, live_server, settings
):
    settings.SENTRA_IMPORT_BACKGROUND_CHECK_MB = 0
    page = sign_in(regency_officer.username, "en")
    upload_and_map(page, live_server, spreadsheet)

    # No worker runs yet: the job page waits, polling, with a named progress bar.
    progress = page.get_by_role("progressbar", name="Check progress")
    progress.wait_for()
    assert "Starting the check…" in page.locator("#job-progress").inner_text()
    assert page.get_by_role("link", name="Show the result of the check").count() == 1
    assert serious_violations(page) == []

    worker = threading.Thread(target=run_worker_once, daemon=True)
    worker.start()
    page.wait_for_url("**/check/", timeout=60_000)
    worker.join(timeout=30)
    page.get_by_role("heading", name="Check the rows").wait_for()
    assert "A NIK has 16 digits" in page.content()
    assert page.locator("form[action$='/commit/'] button[type=submit]").is_enabled()
