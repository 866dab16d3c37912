import pytest

from tests.catalog.factories import ProductFactory
from tests.registry.factories import SmeFactory

from .factories import OrganisationFactory


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def organisation(buyer):
    return OrganisationFactory(name="Dinas Pendidikan", members=[buyer])


@pytest.fixture
def seller(sme_owner, kecamatan):
    """A verified SME in the scoped officer's kecamatan, owned by the sme_owner persona."""
    sme = SmeFactory(kecamatan=kecamatan["cikarang_utara"], accounts=[sme_owner], email="")
    sme_owner.email = "dewi@example.test"
    sme_owner.save()
    return sme


@pytest.fixture
def products(seller):
    return [ProductFactory(sme=seller, price=25_000), ProductFactory(sme=seller, price=100_000)]


@pytest.fixture
def order(buyer, organisation, seller, products):
    from sentra.bebeli import services

    return services.place_order(
        user=buyer,
        organisation=organisation,
        sme=seller,
        lines=[services.CartLine(products[0], 4), services.CartLine(products[1], 2)],
        po_number="PO/2024/001",
        delivery_address="Jl. Uji No. 1",
        delivery_due=None,
    )
