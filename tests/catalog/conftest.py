import pytest


@pytest.fixture(autouse=True)
def no_cached_pages(settings, tmp_path):
    """Pages cached by an earlier test (or another test run) belong to other data: a cache and stamp of its own."""
    from django.core.cache import caches

    settings.DATA_DIR = tmp_path
    settings.CACHES = {
        **settings.CACHES,
        "public_pages": {**settings.CACHES["public_pages"], "LOCATION": str(tmp_path / "page-cache")},
        "results": {**settings.CACHES["results"], "LOCATION": str(tmp_path / "results-cache")},
    }
    caches["public_pages"].clear()
    caches["results"].clear()
    # The common words are read once per process every ten minutes (catalog.search.common_words), not
    # per page: as in a running server they are at hand, and none of a test's few products has one
    # (a test of them deletes this to read its own data).
    caches["default"].set("catalog:common-words", frozenset(), None)
    yield
    caches["default"].set("catalog:common-words", frozenset(), None)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded photos go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def owned_sme(sme_owner, kecamatan):
    from tests.registry.factories import SmeFactory

    sme = SmeFactory(kecamatan=kecamatan["cikarang_utara"])
    sme.accounts.add(sme_owner)
    return sme


@pytest.fixture
def category(db):
    from sentra.catalog.models import Category

    return Category.objects.get(slug="makanan-ringan")
