import pytest
from django.conf import settings

from sentra.partners.models import Partner
from tests.partners.factories import PartnerFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def en_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def mall(partner):
    """Living Plaza Jababeka, for which the `partner` persona signs in."""
    return PartnerFactory(name="Living Plaza Jababeka", kind=Partner.Kind.RETAIL, users=[partner])


@pytest.fixture
def other_mall(db):
    return PartnerFactory(name="Aeon Mall Deltamas", kind=Partner.Kind.RETAIL)


@pytest.fixture(autouse=True)
def english():
    """Service errors are asserted on the English source strings."""
    from django.utils import translation

    with translation.override("en"):
        yield
