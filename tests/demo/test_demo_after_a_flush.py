"""The demo does not depend on the rows data migrations add, which a transactional test's flush removes."""

import pytest
from django.core.management import call_command

from sentra.catalog.categories import DEFAULT_CATEGORIES
from sentra.catalog.models import Category, Product


@pytest.mark.django_db
def test_the_demo_loads_its_products_when_the_categories_were_emptied():
    Category.objects.all().delete()
    call_command("demo", scale=30, verbosity=0)
    assert set(Category.objects.values_list("slug", flat=True)) == {
        slug for slug, *_names in DEFAULT_CATEGORIES
    }
    assert Product.objects.exists()


@pytest.mark.django_db
def test_a_renamed_category_is_left_as_the_officers_named_it():
    Category.objects.filter(slug="lainnya").update(name_id="Serba-serbi")
    call_command("demo", scale=30, verbosity=0)
    assert Category.objects.get(slug="lainnya").name_id == "Serba-serbi"
