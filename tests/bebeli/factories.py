"""Bebeli factories and helpers.

OrganisationFactory(members=[user])        # a dinas with that buyer user
paid_purchase(organisation=o, sme=s, total=..., paid_on=date, verified=True)   # straight to the ledger
"""

import datetime as dt

import factory

from sentra.bebeli.models import BuyerOrganisation, Purchase, PurchaseLine
from sentra.regions.models import Region


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuyerOrganisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    kind = BuyerOrganisation.Kind.DINAS
    regency = factory.LazyFunction(lambda: Region.objects.get(code="32.16"))
    address = "Jl. Uji No. 1, Cikarang Pusat"

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.members.add(*extracted)


def paid_purchase(*, organisation, sme, total=1_000_000, paid_on=dt.date(2024, 3, 10), received_on=None,
                  verified=True, invoice="", unit_price=None, catalogue_price=None):  # fmt: skip
    """A purchase already confirmed as paid (and verified): for the figures, not the steps."""
    from django.utils import timezone

    purchase = Purchase.objects.create(
        regency_id=organisation.regency_id,
        organisation=organisation,
        sme=sme,
        status=Purchase.Status.PAID,
        ordered_on=paid_on - dt.timedelta(days=20),
        delivered_on=received_on or paid_on - dt.timedelta(days=10),
        received_on=received_on or paid_on - dt.timedelta(days=10),
        paid_on=paid_on,
        payment_confirmed_at=timezone.now(),
        invoice_number=invoice,
        total=total,
        verified_at=timezone.now() if verified else None,
    )
    PurchaseLine.objects.create(
        purchase=purchase,
        description="Barang uji",
        quantity=1,
        unit_price=unit_price or total,
        catalogue_price=catalogue_price,
    )
    if verified:
        from django.db import transaction

        from sentra.bebeli import summaries

        # The services count a purchase inside the transaction that verifies it; so does this factory
        # (PostgreSQL refuses the summary's row lock outside one, in tests on transactional_db).
        with transaction.atomic():
            summaries.count_in(purchase)
    return purchase
