"""Perda factories.

ObligationFactory(partner=mall)                      # 30% of floor space, quarterly, from 1 Jan 2025
ObligationFactory(basis=Basis.PROCUREMENT, period=PeriodKind.YEARLY)
submit(obligation, actor, dt.date(2025, 1, 1), 1000, 300)   # through the service, with a PNG as evidence
"""

import datetime as dt
from decimal import Decimal

import factory

from sentra.partners.models import Partner
from sentra.perda import services
from sentra.perda.compliance import PeriodKind
from sentra.perda.models import Basis, Category, Obligation
from tests.partners.factories import PartnerFactory
from tests.partners.helpers import png_upload


class ObligationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Obligation

    partner = factory.SubFactory(PartnerFactory, kind=Partner.Kind.RETAIL)
    category = Category.SHOPPING_CENTRE
    percentage = Decimal(30)
    basis = Basis.SPACE
    period = PeriodKind.QUARTERLY
    starts_on = dt.date(2025, 1, 1)
    grace_days = 30


def submit(obligation, actor, period_start, total, allocated, *, today=dt.date(2026, 6, 1), **extra):
    return services.submit_report(
        obligation=obligation,
        actor=actor,
        period_start=period_start,
        total=Decimal(str(total)),
        allocated=Decimal(str(allocated)),
        evidence=png_upload(),
        evidence_kind="photo",
        today=today,
        **extra,
    )
