"""Factories for the outlets.

OutletFactory()                               # an open consignment outlet in Cikarang Utara, 20% commission
OutletFactory(agreement=Outlet.Agreement.REVENUE_SHARE)   # a cooperation outlet
stock(outlet, product, 5, retail=20000)       # a stock-in note of 5 units through the service
"""

import factory

from sentra.outlets import services
from sentra.outlets.models import Outlet
from sentra.regions.models import Region


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet

    code = factory.Sequence(lambda n: f"G{n:03d}")
    name = factory.Sequence(lambda n: f"Gerai Uji {n}")
    kind = Outlet.Kind.MALL_GALLERY
    address = "Jl. Raya Cikarang No. 1"
    kecamatan = factory.LazyFunction(lambda: Region.objects.get(code="32.16.09"))
    rate_bp = 2000


def stock(outlet, product, quantity, *, retail=20000, consignment=None, actor=None, expires_on=None):
    return services.receive_stock(
        outlet=outlet,
        sme=product.sme,
        lines=[
            services.StockInLine(
                product=product,
                quantity=quantity,
                consignment_price=consignment or retail * 8 // 10,
                retail_price=retail,
                expires_on=expires_on,
            )
        ],
        actor=actor,
    )
