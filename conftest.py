"""Persona fixtures shared by every test: one user per role, plus an outsider."""

import pytest

from sentra.accounts.models import Role, User
from sentra.regions.models import Region

PASSWORD = "persona-pass-2026"
# Canary personal data: recognisable fakes that must never show up on public pages, exports or logs.
CANARY_NIK = "3216014407900012"
CANARY_PHONE = "+6281299990000"


def pytest_configure(config):
    from django.conf import settings

    # Hashing a password properly takes half a second on purpose; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_process_cache():
    """What a worker keeps in its own memory (categories and kecamatan: catalog.page_cache.remembered;
    product cards: catalog.cards), and the lists' results the workers share (catalog.page_cache.kept),
    belong to the test that read them: the next test's rows may differ without any signal (a
    rolled-back test gives its ids again)."""
    from django.core.cache import caches

    caches["default"].clear()
    caches["cards"].clear()
    caches["results"].clear()


@pytest.fixture(scope="module")
def demo_data(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """`sentra demo` loaded once for a test module (at its DEMO_SCALE, 60 unless it says) and rolled
    back after its last test. Loading takes half a minute, and a module's tests only read it: each
    test runs inside, in the savepoint `db` gives it, so what one test changes the next never sees.
    A module's `demo` fixture is `demo_data` plus `db`."""
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    scale = getattr(request.module, "DEMO_SCALE", 60)
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("demo", scale=scale, verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def make_user(username: str, role: str, **extra) -> User:
    user = User(username=username, role=role, first_name=username.title(), **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def kecamatan(db):
    """Two kecamatan of Kabupaten Bekasi: the officer's own and another."""
    return {
        "cikarang_utara": Region.objects.get(code="32.16.09"),
        "tambun_selatan": Region.objects.get(code="32.16.06"),
    }


@pytest.fixture
def admin_user(db):
    return make_user("ani_admin", Role.ADMIN)


@pytest.fixture
def officer(db, kecamatan):
    user = make_user("budi_officer", Role.OFFICER)
    user.kecamatan.add(kecamatan["cikarang_utara"])
    return user


@pytest.fixture
def regency_officer(db):
    return make_user("citra_officer", Role.OFFICER)


@pytest.fixture
def sme_owner(db):
    return make_user("dewi_owner", Role.SME_OWNER, phone=CANARY_PHONE)


@pytest.fixture
def cashier(db):
    return make_user("eko_cashier", Role.CASHIER)


@pytest.fixture
def partner(db):
    return make_user("fajar_partner", Role.PARTNER, organisation="Bank BJB Cikarang")


@pytest.fixture
def buyer(db):
    return make_user("gita_buyer", Role.BUYER, organisation="Dinas Pendidikan")


@pytest.fixture
def outsider(db):
    """Signed in, but with no role: must get 403 or 404 everywhere that is not their own."""
    return make_user("hadi_outsider", "")


@pytest.fixture
def personas(admin_user, officer, sme_owner, cashier, partner, buyer, outsider):
    return {
        Role.ADMIN: admin_user,
        Role.OFFICER: officer,
        Role.SME_OWNER: sme_owner,
        Role.CASHIER: cashier,
        Role.PARTNER: partner,
        Role.BUYER: buyer,
        "outsider": outsider,
    }
