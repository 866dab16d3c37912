"""factory_boy factories and helpers for export records.

BuyerFactory(country="JP")                        # a foreign buyer in Japan
shipped_order(product=p, on=date(2024, 5, 2))     # a PO of one product, shipped that day, via the services
"""

import datetime as dt
from decimal import Decimal

import factory

from sentra.catalog.models import Category
from sentra.exports import services
from sentra.exports.models import BuyerContact, ForeignBuyer
from tests.catalog.factories import ProductFactory


class BuyerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForeignBuyer

    name = factory.Sequence(lambda n: f"Buyer Trading Co. {n}")
    country = "JP"
    city = "Osaka"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuyerContact

    buyer = factory.SubFactory(BuyerFactory)
    name = "Haruto Sato"
    position = "Purchasing manager"
    email = "sato@example.jp"
    phone = "+81 6 1234 5678"


def food_category() -> Category:
    return Category.objects.get(slug="makanan-ringan")


def craft_category() -> Category:
    return Category.objects.get(slug="kerajinan-tangan")


def export_product(**kwargs):
    kwargs.setdefault("export_ready", True)
    return ProductFactory(**kwargs)


_numbers = iter(range(1, 10**6))


def ordered(*, actor=None, product=None, products=(), buyer=None, on=dt.date(2024, 3, 1), currency="USD",
            rate=Decimal("15500"), quantity=100, unit_price_minor=250):  # fmt: skip
    """A purchase order recorded through the service (a new deal)."""
    items = list(products) or [product or export_product()]
    buyer = buyer or BuyerFactory()
    return services.record_purchase_order(
        actor=actor,
        number=f"PO-{next(_numbers):05d}",
        ordered_on=on,
        currency=currency,
        rate=rate,
        incoterm="FOB",
        payment_terms="advance",
        lines=[services.LineInput(p, quantity, unit_price_minor) for p in items],
        sme=items[0].sme,
        buyer=buyer,
    )


def shipped_order(
    *, on: dt.date, ordered_on: dt.date | None = None, actor=None, peb="PEB-001", country="", **kwargs
):
    order = ordered(actor=actor, on=ordered_on or on - dt.timedelta(days=30), **kwargs)
    services.record_shipment(
        actor=actor,
        deal=order.deal,
        shipped_on=on,
        port="Tanjung Priok",
        peb_number=peb,
        destination_country=country,
    )
    order.refresh_from_db()
    return order
