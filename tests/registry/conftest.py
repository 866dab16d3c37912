"""Fixtures for the officer-facing registry tests (factories live in factories.py)."""

import pytest
from django.conf import settings

from conftest import make_user
from sentra.accounts.models import Role

from .factories import SmeFactory


@pytest.fixture
def en_client(client):
    """Tests assert on the English source strings; the Indonesian catalogue is filled in at the end."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def tambun_officer(kecamatan):
    """An officer scoped to Tambun Selatan: everything in Cikarang Utara is out of their scope."""
    user = make_user("kiki_tambun", Role.OFFICER)
    user.kecamatan.add(kecamatan["tambun_selatan"])
    return user


@pytest.fixture
def cikarang_sme(kecamatan):
    """A verified SME in Cikarang Utara, the scoped officer's kecamatan."""
    return SmeFactory(kecamatan=kecamatan["cikarang_utara"])


@pytest.fixture
def tambun_sme(kecamatan):
    """A verified SME in Tambun Selatan, outside the scoped officer's kecamatan."""
    return SmeFactory(kecamatan=kecamatan["tambun_selatan"])
