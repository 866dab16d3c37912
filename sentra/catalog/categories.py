"""The catalogue's starting categories; officers rename, add and reorder them in the back office.

Migration 0002 adds them to a new installation. `add_default_categories` is also what the demo calls
before it files products under them: a test that empties every table (a transactional or browser
test) takes the migration's rows with it, and the demo must not depend on the order tests run in.
"""

DEFAULT_CATEGORIES = [
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


def add_default_categories(category_model) -> int:
    """Add the starting categories that are missing (a renamed one is left as it is); how many were added.

    Takes the model class, so that the migration can pass its historical model.
    """
    added = 0
    for position, (slug, name_id, name_en) in enumerate(DEFAULT_CATEGORIES, start=1):
        _category, created = category_model.objects.get_or_create(
            slug=slug, defaults={"name_id": name_id, "name_en": name_en, "position": position}
        )
        added += created
    return added
