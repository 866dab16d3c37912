"""The catalogue's starting categories (sentra/catalog/categories.py)."""

from django.db import migrations

from sentra.catalog.categories import add_default_categories


def add(apps, schema_editor):
    add_default_categories(apps.get_model("catalog", "Category"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_categories_and_products")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
