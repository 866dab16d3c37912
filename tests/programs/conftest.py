"""Fixtures for the programme tests (factories live in factories.py)."""

import pytest
from django.conf import settings

from tests.registry.factories import SmeFactory

from .factories import ProgrammeFactory


@pytest.fixture
def en_client(client):
    """Tests assert on the English source strings."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def programme(db):
    return ProgrammeFactory(quota=2)


@pytest.fixture
def cikarang_smes(kecamatan):
    return [SmeFactory(kecamatan=kecamatan["cikarang_utara"]) for _ in range(4)]


@pytest.fixture(autouse=True)
def english():
    """Services' messages are asserted on in English, the source language."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def tambun_officer(kecamatan):
    """An officer scoped to Tambun Selatan."""
    from conftest import make_user
    from sentra.accounts.models import Role

    user = make_user("kiki_tambun", Role.OFFICER)
    user.kecamatan.add(kecamatan["tambun_selatan"])
    return user
