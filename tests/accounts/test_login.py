import pytest
from django.core import mail
from django.urls import reverse

from conftest import PASSWORD


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_user_signs_in_and_lands_on_their_home_page(client, officer):
    response = sign_in(client, "budi_officer")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert "Budi_Officer" in client.get(reverse("home")).content.decode()


def test_a_user_can_sign_in_with_email_or_phone(client, sme_owner):
    sme_owner.email = "dewi@example.id"
    sme_owner.save()
    assert sign_in(client, "DEWI@example.id").status_code == 302
    client.post(reverse("logout"))
    # The phone is stored as +62…; people type it as 08…
    assert sign_in(client, "0812-9999-0000").status_code == 302


def test_a_wrong_password_is_refused_with_a_translated_message(client, officer):
    response = sign_in(client, "budi_officer", "wrong-password")
    assert response.status_code == 200
    assert "tidak cocok" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_sign_ins_are_throttled(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "budi_officer", "wrong-password")
    # Even the right password is refused while the lock holds.
    response = sign_in(client, "budi_officer")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_signing_out_needs_a_post_and_ends_the_session(client, officer):
    client.force_login(officer)
    client.post(reverse("logout"))
    assert client.get(reverse("registry:sme_list")).status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(client, officer):
    officer.email = "budi@bekasikab.go.id"
    officer.save()
    client.post(reverse("password_reset"), {"email": "budi@bekasikab.go.id"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Cikarang-baru-2026", "new_password2": "Cikarang-baru-2026"},
    )
    assert response.status_code == 302
    client.logout()
    assert sign_in(client, "budi_officer", "Cikarang-baru-2026").status_code == 302


@pytest.mark.django_db
def test_no_demo_login_works_when_demo_data_is_not_loaded(client):
    for username in ("admin", "petugas", "kasir", "pemilik", "mitra", "pembeli"):
        response = sign_in(client, username, "sentra-demo")
        assert response.status_code == 200, username
