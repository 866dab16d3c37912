import pytest

from sentra.accounts.models import Role

from .conftest import serious_violations

HOME_HEADING = {"id": "Selamat datang", "en": "Welcome"}


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("role", list(Role.values))
def test_each_role_signs_in_and_sees_its_home_page(transactional_db, personas, sign_in, role, language):
    page = sign_in(personas[role].username, language)
    heading = page.locator("main h1").first.inner_text()
    assert heading.startswith(HOME_HEADING[language])
    assert personas[role].first_name in heading
    assert page.locator("html").get_attribute("lang") == language
    assert serious_violations(page) == []


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_login_page_is_accessible(transactional_db, live_server, page, language):
    page.goto(live_server.url + "/accounts/login/")
    if language == "en":
        page.locator("button[name=language][value=en]").click()
        page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language
    assert serious_violations(page) == []


def test_a_wrong_password_shows_the_error_on_the_page(transactional_db, live_server, page, officer):
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=username]").fill(officer.username)
    page.locator("input[name=password]").fill("not-the-password")
    page.locator("main button[type=submit]").click()
    assert page.locator(".alert-danger").inner_text().strip() != ""
    assert "/accounts/login/" in page.url


def test_the_menu_works_on_a_phone(transactional_db, personas, sign_in, page):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(personas[Role.OFFICER].username)
    menu_link = page.get_by_role("link", name="Registri UMKM")
    assert not menu_link.is_visible()
    page.locator(".navbar-toggler").click()
    page.get_by_role("button", name="Registri", exact=True).click()
    menu_link.wait_for(state="visible")
    menu_link.click()
    page.wait_for_url("**/registry/smes/**")


@pytest.mark.parametrize("width", [1024, 1280])
def test_the_dinas_menu_fits_one_line_on_a_laptop_and_opens_its_groups(
    transactional_db, personas, sign_in, page, width
):
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(personas[Role.ADMIN].username)
    bar = page.locator("nav.sentra-navbar").bounding_box()
    assert bar["height"] < 80  # one line; a wrapped bar puts the sign-out button on the page's white
    page.get_by_role("button", name="Pasar", exact=True).click()
    page.get_by_role("link", name="Ekspor", exact=True).click()
    page.wait_for_url("**/exports/**")
    assert serious_violations(page) == []
