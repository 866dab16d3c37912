import pytest

from sentra.outlets import services
from tests.catalog.factories import ProductFactory
from tests.registry.factories import SmeFactory

from .factories import OutletFactory


@pytest.fixture
def outlet(db, cashier):
    outlet = OutletFactory()
    services.assign_cashier(outlet=outlet, user=cashier, actor=None)
    return outlet


@pytest.fixture
def other_outlet(db):
    return OutletFactory()


@pytest.fixture
def products(db, kecamatan):
    from sentra.catalog.models import Category

    # A transactional test (the races) empties the tables the catalogue's data migration filled.
    Category.objects.get_or_create(
        slug="makanan-ringan", defaults={"name_id": "Makanan ringan", "name_en": "Snacks"}
    )
    sme = SmeFactory(kecamatan=kecamatan["cikarang_utara"])
    return [ProductFactory(sme=sme, barcode=f"89912340000{i}") for i in range(3)]


@pytest.fixture(autouse=True)
def in_english():
    """Messages are asserted in English (the source language); the pages' Indonesian is tested in browser."""
    from django.utils import translation

    with translation.override("en"):
        yield
