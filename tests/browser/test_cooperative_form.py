"""The cooperative form's manager rows: added and removed in the page, checked by the server as before."""

from sentra.registry.models import Cooperative

from .conftest import serious_violations


def test_manager_rows_are_added_and_removed_and_the_server_keeps_what_is_left(
    transactional_db, personas, sign_in, live_server
):
    page = sign_in(personas["officer"].username, "en")
    page.goto(live_server.url + "/registry/cooperatives/new/")
    page.locator("#id_name").fill("Koperasi Wanita Mandiri")
    page.locator("#id_kind").select_option("multipurpose")
    page.locator("#id_kecamatan").select_option("32.16.09")
    rows = page.locator("[data-formset-row]")
    assert rows.count() == 2  # the formset's own empty rows
    add = page.get_by_role("button", name="Add a manager")
    add.click()
    add.click()
    assert rows.count() == 4
    page.locator("#id_managers-0-name").fill("Euis Suryani")
    page.locator("#id_managers-0-position").fill("Ketua")
    page.locator("#id_managers-2-name").fill("Salah Ketik")
    page.locator("#id_managers-2-position").fill("Sekretaris")
    page.locator("#id_managers-3-name").fill("Asep Permana")
    page.locator("#id_managers-3-position").fill("Bendahara")
    assert serious_violations(page) == []
    rows.nth(2).get_by_role("button", name="Remove this row").click()
    assert rows.count() == 3
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    cooperative = Cooperative.objects.get(name="Koperasi Wanita Mandiri")
    assert sorted(cooperative.managers.values_list("name", "position")) == [
        ("Asep Permana", "Bendahara"),
        ("Euis Suryani", "Ketua"),
    ]


def test_an_added_row_with_a_name_but_no_position_is_refused_by_the_server(
    transactional_db, personas, sign_in, live_server
):
    page = sign_in(personas["officer"].username, "en")
    page.goto(live_server.url + "/registry/cooperatives/new/")
    page.locator("#id_name").fill("Koperasi Tani")
    page.locator("#id_kind").select_option("producer")
    page.locator("#id_kecamatan").select_option("32.16.09")
    page.get_by_role("button", name="Add a manager").click()
    page.locator("#id_managers-2-name").fill("Ujang")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "nothing has been saved" in page.content()
    assert not Cooperative.objects.filter(name="Koperasi Tani").exists()
