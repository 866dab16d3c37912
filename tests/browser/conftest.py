"""Browser tests drive Debian's Chromium (/usr/bin/chromium) through Playwright — never a downloaded browser."""

import os
from pathlib import Path

import openpyxl
import pytest
from django.db.backends.signals import connection_created

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses that without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _readers_do_not_wait_for_writers(sender, connection, **kwargs):
    """Django's SQLite test database is in memory with a shared cache, where a reader of a table that
    another connection is writing fails at once with "database table is locked" (no busy timeout
    applies). The live server and a task worker thread of a test are two such connections; the real
    database is a WAL file where readers never wait. read_uncommitted gives the test database that."""
    if connection.vendor == "sqlite" and "mode=memory" in str(connection.settings_dict["NAME"]):
        connection.cursor().execute("PRAGMA read_uncommitted = 1")


connection_created.connect(_readers_do_not_wait_for_writers)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(
                    pytest.mark.skip(reason="Debian's chromium is not installed at /usr/bin/chromium")
                )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_FLAGS}


@pytest.fixture
def sign_in(live_server, page):
    from conftest import PASSWORD

    def _sign_in(username: str, language: str = "id"):
        page.goto(live_server.url + "/accounts/login/")
        if language != "id":
            page.locator(f"button[name=language][value={language}]").click()
            page.wait_for_load_state()
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_load_state()
        return page

    return _sign_in


def serious_violations(page) -> list[str]:
    """axe-core (bundled in axe-playwright-python) findings of serious or critical impact."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# A small spreadsheet as an officer keeps one, shared by the import journeys: messy but valid rows
# and one invalid row.
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


def upload_and_map(page, live_server, spreadsheet) -> None:
    """Upload the spreadsheet on the imports page and accept the columns as matched."""
    page.goto(live_server.url + "/imports/")
    page.locator("input[type=file]").set_input_files(str(spreadsheet))
    page.locator("main form[enctype] button[type=submit]").click()
    page.wait_for_url("**/columns/")
    page.locator("main form button[type=submit]").last.click()
