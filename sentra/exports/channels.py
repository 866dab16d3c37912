"""The export and domestic sales channels, as `sentra.sales` reads them.

export    one line per shipment: the Rupiah value of its purchase order (the rate entered with the
          PO, rounded half up to the Rupiah) on the shipment date. An export counts as a sale when
          it leaves the country, not when it is ordered or paid: an order never shipped sold
          nothing. Verified once the shipment carries its PEB (customs export declaration) number.
domestic  one line per sale to another region of Indonesia (the shops in Bali), verified once an
          officer has seen its invoice or transfer.
"""

from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sentra.sales import channels as sales


def export_lines():
    from .models import Shipment

    return Shipment.objects.annotate(
        sale_sme_id=F("order__deal__sme_id"),
        sale_on=F("shipped_on"),
        sale_amount=F("order__value_idr"),
        sale_verified=ExpressionWrapper(~Q(peb_number=""), output_field=BooleanField()),
    )


def domestic_lines():
    from .models import DomesticSale

    return DomesticSale.objects.annotate(
        sale_sme_id=F("sme_id"), sale_on=F("sold_on"), sale_amount=F("amount"), sale_verified=F("verified")
    )


def _shipment_url(pk: int) -> str:
    return reverse("exports:shipment_record", args=[pk])


def _domestic_url(pk: int) -> str:
    return reverse("exports:domestic_record", args=[pk])


def register_channels() -> None:
    sales.register(sales.Channel("export", _("Exports"), export_lines, record_url=_shipment_url))
    sales.register(
        sales.Channel("domestic", _("Sales to other regions"), domestic_lines, record_url=_domestic_url)
    )
