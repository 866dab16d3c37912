"""The Bebeli sales channel, as `sentra.sales` reads it.

bebeli    one line per purchase the SME confirmed as paid (ordered in Sentra, recorded by the buyer
          afterwards or imported), dated the day of payment; verified once an officer has verified it.
"""

from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sentra.sales import channels as sales


def bebeli_lines():
    from .models import Purchase

    return Purchase.objects.completed().annotate(
        sale_sme_id=F("sme_id"),
        sale_on=F("paid_on"),
        sale_amount=F("total"),
        sale_verified=ExpressionWrapper(Q(verified_at__isnull=False), output_field=BooleanField()),
    )


def _purchase_url(pk: int) -> str:
    return reverse("bebeli:purchase_record", args=[pk])


def register_channels() -> None:
    sales.register(sales.Channel("bebeli", _("Bebeli"), bebeli_lines, record_url=_purchase_url))
