"""The catalogue's starting categories; officers rename, add and reorder them in the back office."""

from django.db import migrations

CATEGORIES = [
    ("makanan-ringan", "Makanan ringan", "Snacks"),
    ("makanan-olahan", "Makanan olahan", "Processed food"),
    ("kue-dan-roti", "Kue dan roti", "Cakes and bakery"),
    ("minuman", "Minuman", "Beverages"),
    ("batik-dan-kain", "Batik dan kain", "Batik and textiles"),
    ("busana-dan-aksesori", "Busana dan aksesori", "Fashion and accessories"),
    ("kerajinan-tangan", "Kerajinan tangan", "Handicrafts"),
    ("mebel-dan-dekorasi", "Mebel dan dekorasi rumah", "Furniture and home decor"),
    ("kosmetik-dan-perawatan", "Kosmetik dan perawatan", "Cosmetics and personal care"),
    ("hasil-tani-dan-ikan", "Hasil tani dan perikanan", "Farm and fishery produce"),
    ("lainnya", "Lainnya", "Other"),
]


def add(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    for position, (slug, name_id, name_en) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            slug=slug, defaults={"name_id": name_id, "name_en": name_en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_categories_and_products")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
