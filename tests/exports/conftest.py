import datetime as dt

import pytest

from tests.registry.factories import SmeFactory

from .factories import BuyerFactory, export_product, shipped_order


@pytest.fixture
def cikarang_sme(kecamatan, sme_owner):
    """An SME in the scoped officer's kecamatan, owned by the sme_owner persona."""
    return SmeFactory(kecamatan=kecamatan["cikarang_utara"], accounts=[sme_owner])


@pytest.fixture
def tambun_sme(kecamatan):
    return SmeFactory(kecamatan=kecamatan["tambun_selatan"])


@pytest.fixture
def shipped(cikarang_sme):
    """A paid-up order of a Japanese buyer, shipped in May 2024, for the Cikarang SME."""
    return shipped_order(
        product=export_product(sme=cikarang_sme), buyer=BuyerFactory(country="JP"), on=dt.date(2024, 5, 2)
    )
