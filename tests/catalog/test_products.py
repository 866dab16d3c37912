"""The product model every selling area builds on: who may see it, and how it is created."""

import pytest
from django.db import IntegrityError

from sentra.catalog.models import Category, Product
from sentra.catalog.services import create_product
from sentra.core.models import AuditEntry
from sentra.registry.models import Sme
from tests.registry.factories import SmeFactory

from .factories import ProductFactory


@pytest.mark.django_db
def test_only_curated_products_of_verified_smes_still_in_the_registry_are_public():
    shown = ProductFactory()
    ProductFactory(draft=True)
    ProductFactory(sme=SmeFactory(submitted=True))
    merged = ProductFactory()
    Sme.objects.filter(pk=merged.sme_id).update(merged_into=shown.sme)
    assert list(Product.objects.public()) == [shown]


@pytest.mark.django_db
def test_a_new_product_gets_a_code_a_slug_unique_in_its_sme_and_an_audit_entry(officer):
    sme = SmeFactory()
    category = Category.objects.get(slug="makanan-ringan")
    first = create_product(actor=officer, sme=sme, name_id="Keripik Tempe", category=category, price=15000)
    second = create_product(actor=officer, sme=sme, name_id="Keripik Tempe", category=category, price=17000)
    assert first.code == f"P{first.pk:06d}" and first.status == Product.Status.DRAFT
    assert (first.slug, second.slug) == ("keripik-tempe", "keripik-tempe-2")
    entry = AuditEntry.objects.get(verb="catalog.product.created", object_id=str(first.pk))
    assert entry.actor == officer and entry.changes["price"] == [None, 15000]


@pytest.mark.django_db
def test_a_price_must_be_a_positive_whole_number_of_rupiah():
    with pytest.raises(IntegrityError):
        ProductFactory(price=0)


@pytest.mark.django_db
def test_the_catalogue_starts_with_categories_in_both_languages():
    names = {c.slug: (c.name_id, c.name_en) for c in Category.objects.all()}
    assert names["batik-dan-kain"] == ("Batik dan kain", "Batik and textiles")
    assert len(names) >= 10
