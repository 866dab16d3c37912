"""The catalogue's demo data: products in both languages, the demo owner's inbox, events with sales."""

import pytest
from django.core.management import call_command

from sentra.accounts.models import User
from sentra.catalog.models import EventSale, Inquiry, Product, PromotionEvent, SearchWord, Storefront
from sentra.sales import channels as sales


@pytest.fixture
def demo(demo_data, db):
    """The demo data, loaded once for this module (conftest.demo_data)."""


def counts():
    return [m.objects.count() for m in (Product, Storefront, Inquiry, PromotionEvent, EventSale, SearchWord)]


def test_the_demo_has_curated_products_in_both_languages_with_photos(demo):
    public = Product.objects.public()
    assert public.count() > 20 and public.exclude(name_en="").count() == public.count()
    assert Product.objects.filter(status=Product.Status.PENDING).exists()
    assert Product.objects.filter(photos__isnull=False).exists()
    assert SearchWord.objects.filter(word="keripik").exists() or SearchWord.objects.count() > 20


def test_the_demo_owner_has_products_and_inquiries_to_answer(demo):
    owner = User.objects.get(username="pemilik")
    assert Product.objects.for_user(owner).filter(status=Product.Status.APPROVED).exists()
    assert Inquiry.objects.filter(sme__accounts=owner, status=Inquiry.Status.OPEN).exists()


def test_the_demo_events_report_their_sales_through_the_sales_channel(demo):
    assert PromotionEvent.objects.filter(starts_on__year=2023).exists()
    assert PromotionEvent.objects.filter(country="JP").exists()
    total = sales.grand_total(where=sales.SalesFilter(channels=["event"]))
    assert total.count == EventSale.objects.count() > 0


def test_loading_the_demo_again_adds_no_catalogue_data(demo):
    before = counts()
    call_command("demo", scale=60, verbosity=0)
    assert counts() == before
