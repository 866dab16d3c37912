"""The Bebeli demo data adds up to the reported totals, from individual purchases, and loads once."""

import datetime as dt

import pytest
from django.core.management import call_command

from sentra.bebeli import reports
from sentra.bebeli.models import BuyerOrganisation, Purchase
from sentra.sales import channels as sales


@pytest.fixture
def demo(demo_data, db):
    """The demo data, loaded once for this module (conftest.demo_data)."""


def test_the_demo_reproduces_the_reported_yearly_totals(demo):
    by_year = {int(r.label): r.amount for r in reports.build(year=2024).years}
    assert by_year[2023] == 90_000_000_000
    assert by_year[2024] > 100_000_000_000
    assert Purchase.objects.verified().filter(paid_on__year=2023).count() > 1000
    # The sales channel reads the same ledger: verified Bebeli sales of 2023.
    year = (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    where = sales.SalesFilter(channels=["bebeli"], verified_only=True, start=year[0], end=year[1])
    assert sales.grand_total(where=where).amount == 90_000_000_000


def test_pembeli_orders_for_a_demo_opd_and_has_orders_under_way(demo):
    from sentra.accounts.models import User

    org = User.objects.get(username="pembeli").buyer_organisations.get()
    assert org.kind == BuyerOrganisation.Kind.DINAS
    statuses = set(org.purchases.filter(source=Purchase.Source.ORDER).values_list("status", flat=True))
    assert statuses == {"ordered", "accepted", "delivered", "received", "paid"}
    assert Purchase.objects.completed().filter(verified_at__isnull=True).exists()


def test_loading_the_demo_twice_adds_nothing(demo):
    before = Purchase.objects.count()
    call_command("demo", scale=60, verbosity=0)
    assert Purchase.objects.count() == before
