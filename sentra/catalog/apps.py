from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def event_sale_lines():
    """Event sales in the shape of sentra.sales: each report an SME made at an event, by its date."""
    from django.db.models import F

    from .models import EventSale

    return EventSale.objects.annotate(
        sale_sme_id=F("participant__sme_id"),
        sale_on=F("sold_on"),
        sale_amount=F("amount"),
        sale_verified=F("verified"),
    )


def _event_sale_url(pk: int) -> str:
    from django.urls import reverse

    from .models import EventSale

    sale = EventSale.objects.select_related("participant__event").get(pk=pk)
    return reverse("catalog_officer:event", args=[sale.participant.event.slug])


def _sme_saved(sender, instance, created, raw=False, **kwargs):
    """An SME's name, brand or kecamatan is part of its products' search words."""
    if created or raw:
        return
    from .models import Product
    from .search import refresh_search_text

    refresh_search_text(
        Product.objects.filter(sme=instance).select_related("sme", "sme__kecamatan", "category")
    )


class CatalogConfig(AppConfig):
    name = "sentra.catalog"
    label = "catalog"
    verbose_name = _("Catalogue and promotion")

    def ready(self):
        from sentra.registry.models import Permit, Sme
        from sentra.sales import channels as sales

        from .search import ensure_search_index

        sales.register(
            sales.Channel("event", _("Promotion events"), event_sale_lines, record_url=_event_sale_url)
        )
        from sentra.accounts.models import Role
        from sentra.core import reminders as core_reminders

        from .reminders import cancelled_events

        core_reminders.register(
            core_reminders.ReminderSource(
                "catalog.events_cancelled", _("Cancelled events"), cancelled_events, (Role.SME_OWNER,)
            )
        )
        post_migrate.connect(ensure_search_index, sender=self)
        post_save.connect(_sme_saved, sender=Sme, dispatch_uid="catalog_sme_saved")
        from django.db.models.signals import post_delete

        from . import models
        from .page_cache import public_pages_changed

        # Permit: a card's badges (halal, BPOM…) are read from the SME's permits.
        for model in (Sme, Permit, models.Product, models.ProductPhoto, models.Storefront, models.PromotionEvent,
                      models.EventParticipant, models.Category):  # fmt: skip
            post_save.connect(
                public_pages_changed, sender=model, dispatch_uid=f"catalog_pages_{model.__name__}"
            )
            post_delete.connect(
                public_pages_changed, sender=model, dispatch_uid=f"catalog_pages_del_{model.__name__}"
            )
