"""An officer imports purchases kept in an earlier application through the shared import pages."""

import openpyxl

from tests.bebeli.factories import OrganisationFactory
from tests.registry.factories import SmeFactory

from .conftest import serious_violations

PHONE = {"width": 390, "height": 844}


def test_an_officer_checks_a_bebeli_ledger_on_desktop_and_phone(
    transactional_db, regency_officer, sign_in, live_server, tmp_path
):
    OrganisationFactory(name="Dinas Pendidikan")
    SmeFactory(nib="9120000000101", name="Keripik Bu Siti")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Nama OPD", "NIB", "Tanggal", "No. Faktur", "Nilai"])
    sheet.append(["Dinas Pendidikan", "9120000000101", "15/03/2024", "INV/1", "2500000"])
    sheet.append(["Dinas Pendidikan", "9129999999999", "16/03/2024", "INV/2", "1000000"])
    path = tmp_path / "bebeli-lama.xlsx"
    book.save(path)

    page = sign_in(regency_officer.username, "en")
    page.goto(live_server.url + "/imports/")
    assert serious_violations(page) == []
    page.set_viewport_size(PHONE)
    assert serious_violations(page) == []
    page.get_by_label("Bebeli purchases made outside Sentra").check()
    page.locator("input[type=file]").set_input_files(str(path))
    page.locator("main form[enctype] button[type=submit]").click()
    page.wait_for_url("**/columns/")
    assert serious_violations(page) == []
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/check/**")
    assert "No SME with NIB 9129999999999 is in the registry." in page.content()
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})
    assert serious_violations(page) == []
