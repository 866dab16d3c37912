import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_pages_open_in_indonesian_by_default_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="id">' in response.content.decode()
    assert "Masuk" in response.content.decode()


@pytest.mark.django_db
def test_the_switcher_changes_the_language_and_it_sticks(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("login"))
    assert '<html lang="en">' in response.content.decode()
    assert "Sign in to Sentra UMKM" in response.content.decode()
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert '<html lang="id">' in client.get(reverse("login")).content.decode()


def test_form_errors_appear_next_to_the_field_in_the_users_language(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("password_change"), {"old_password": "", "new_password1": "", "new_password2": ""}
    )
    html = response.content.decode()
    assert 'id="id_old_password_error"' in html
    assert "Bidang ini tidak boleh kosong" in html
