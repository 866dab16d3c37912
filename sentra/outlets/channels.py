"""The outlet sales channels, as `sentra.sales` reads them.

outlet              one line per sale line (a sale may hold several SMEs' goods): what the customer
                    paid for that SME's goods on the sale's day, less what customers brought back.
                    Voided sales sold nothing. Verified: the till recorded it.
cooperation_outlet  one line per period a partner reported for a cooperation outlet (no single SME),
                    dated on the period's last day; verified, since evidence is required to record it.
"""

from django.db.models import BooleanField, F, IntegerField, Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sentra.sales import channels as sales


def outlet_lines():
    from .models import Sale, SaleLine

    return SaleLine.objects.filter(sale__status=Sale.Status.COMPLETED).annotate(
        sale_sme_id=F("sme_id"),
        sale_on=F("sale__sold_on"),
        sale_amount=F("amount") - F("returned_amount"),
        sale_verified=Value(True, output_field=BooleanField()),
    )


def cooperation_lines():
    from .models import CooperationTurnover

    return CooperationTurnover.objects.annotate(
        sale_sme_id=Value(None, output_field=IntegerField()),
        sale_on=F("ends_on"),
        sale_amount=F("turnover"),
        sale_verified=Value(True, output_field=BooleanField()),
    )


def _sale_url(pk: int) -> str:
    from .models import SaleLine

    line = SaleLine.objects.select_related("sale__outlet").get(pk=pk)
    return reverse("pos:receipt", args=[line.sale.outlet.public_id, line.sale.public_id])


def _turnover_url(pk: int) -> str:
    from .models import CooperationTurnover

    report = CooperationTurnover.objects.select_related("outlet").get(pk=pk)
    return reverse("outlets:turnover", args=[report.outlet.public_id])


def register_channels() -> None:
    sales.register(sales.Channel("outlet", _("Outlets"), outlet_lines, record_url=_sale_url))
    sales.register(
        sales.Channel(
            "cooperation_outlet", _("Cooperation outlets"), cooperation_lines, record_url=_turnover_url
        )
    )
