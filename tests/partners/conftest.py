"""Fixtures of the partnership tests: uploads in a temporary folder, a bank with its partner user."""

import pytest
from django.conf import settings

from sentra.partners.models import Partner

from .factories import PartnerFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def en_client(client):
    """Tests assert on the English source strings."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def bank(partner):
    """Bank BJB, for which the `partner` persona signs in."""
    return PartnerFactory(name="Bank BJB Cabang Cikarang", kind=Partner.Kind.BANK, users=[partner])
