import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from conftest import CANARY_PHONE
from sentra.accounts.models import Role, User
from sentra.core.audit import history_for

GOOD = {
    "name": "Sari  Wulandari",
    "phone": "0812-3456-7890",
    "email": "",
    "password1": "Keripik-Sari-2026",
    "password2": "Keripik-Sari-2026",
}


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def sign_up(client, **changes):
    return client.post(reverse("signup"), {**GOOD, **changes})


@pytest.mark.django_db
def test_the_sign_up_page_opens_for_visitors(client):
    response = client.get(reverse("signup"))
    assert response.status_code == 200
    assert 'for="id_phone"' in response.content.decode()


@pytest.mark.django_db
def test_an_owner_signs_up_with_a_phone_and_lands_on_their_businesses(client):
    response = sign_up(client)
    assert response.status_code == 302
    assert response.url == reverse("owner:my_smes")
    user = User.objects.get(phone="+6281234567890")
    assert user.role == Role.SME_OWNER
    assert user.get_full_name() == "Sari Wulandari"
    assert client.get(reverse("owner:my_smes")).status_code == 200
    assert history_for(user).filter(verb="accounts.user.signed_up").exists()


@pytest.mark.django_db
def test_an_owner_signs_up_with_only_an_email_and_can_sign_in_with_it(client):
    sign_up(client, phone="", email="Sari@Example.id")
    client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": "sari@example.id", "password": GOOD["password1"]})
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_new_owner_can_sign_in_with_the_phone_typed_another_way(client):
    sign_up(client)
    client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": "+62 812 3456 7890", "password": GOOD["password1"]})
    assert response.status_code == 302


@pytest.mark.django_db
def test_sign_up_needs_a_phone_or_an_email(client):
    response = sign_up(client, phone="", email="")
    assert response.status_code == 200
    assert "Give a phone number or an email address" in response.content.decode()
    assert not User.objects.exists()


def test_a_phone_already_used_is_refused_whatever_its_spelling(client, sme_owner):
    # The persona holds the canary phone +6281299990000.
    response = sign_up(client, phone="0812 9999 0000")
    assert "An account with this phone number already exists" in response.content.decode()
    assert User.objects.filter(phone=CANARY_PHONE).count() == 1


def test_an_email_already_used_is_refused_whatever_its_case(client, sme_owner):
    sme_owner.email = "dewi@example.id"
    sme_owner.save()
    response = sign_up(client, phone="", email="DEWI@example.ID")
    assert "An account with this email already exists" in response.content.decode()


def test_an_email_equal_to_someones_user_name_is_refused(client, db):
    User.objects.create_user(username="ani@bekasikab.go.id", password="x", role=Role.OFFICER)
    response = sign_up(client, phone="", email="ani@bekasikab.go.id")
    assert "An account with this email already exists" in response.content.decode()


@pytest.mark.django_db
def test_a_bad_phone_number_is_explained_next_to_the_field(client):
    response = sign_up(client, phone="12345")
    html = response.content.decode()
    assert 'id="id_phone_error"' in html
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password1", "password2", "message"),
    [
        ("short", "short", "too short"),
        ("12345678901", "12345678901", "entirely numeric"),
        ("Keripik-Sari-2026", "Keripik-Sari-2027", "The two passwords differ"),
    ],
)
def test_weak_or_mismatched_passwords_are_refused(client, password1, password2, message):
    response = sign_up(client, password1=password1, password2=password2)
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_a_signed_in_user_is_sent_home_from_the_sign_up_page(client, officer):
    client.force_login(officer)
    response = client.get(reverse("signup"))
    assert response.status_code == 302
    assert response.url == reverse("home")


@pytest.mark.django_db
def test_sign_up_never_creates_staff_or_dinas_accounts(client):
    sign_up(client, role=Role.ADMIN, is_staff="on")
    user = User.objects.get()
    assert user.role == Role.SME_OWNER
    assert not user.is_staff and not user.is_superuser
