"""factory_boy factories for the catalogue.

ProductFactory()                     # a published product of a verified SME, in a default category
ProductFactory(sme=sme, price=25000) # of that SME
ProductFactory(draft=True)           # not yet curated
"""

import factory

from sentra.catalog.models import Category, Product, Storefront
from tests.registry.factories import SmeFactory

NAMES = [
    ("Keripik Tempe Original", "Original Tempeh Chips", 15000, Product.Unit.PACK),
    ("Sambal Bawang Botol", "Shallot Chili Sauce", 25000, Product.Unit.BOTTLE),
    ("Batik Tulis Motif Bekasi", "Hand-drawn Bekasi Batik", 350000, Product.Unit.PIECE),
    ("Dodol Betawi", "Betawi Dodol Sweets", 30000, Product.Unit.BOX),
    ("Tas Anyaman Pandan", "Woven Pandan Bag", 85000, Product.Unit.PIECE),
]


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    class Params:
        draft = factory.Trait(status=Product.Status.DRAFT)
        pending = factory.Trait(status=Product.Status.PENDING)

    sme = factory.SubFactory(SmeFactory)
    regency_id = factory.SelfAttribute("sme.regency_id")
    category = factory.LazyFunction(lambda: Category.objects.order_by("position").first())
    name_id = factory.Sequence(lambda n: f"{NAMES[n % len(NAMES)][0]} {n}")
    name_en = factory.Sequence(lambda n: f"{NAMES[n % len(NAMES)][1]} {n}")
    slug = factory.Sequence(lambda n: f"produk-{n}")
    code = factory.Sequence(lambda n: f"T{n:06d}")
    price = factory.Sequence(lambda n: NAMES[n % len(NAMES)][2])
    unit = factory.Sequence(lambda n: NAMES[n % len(NAMES)][3])
    status = Product.Status.APPROVED

    @factory.post_generation
    def indexed(obj, create, extracted, **kwargs):
        """Searchable and reachable like a product made by the services: its words, its SME's storefront."""
        if not create:
            return
        from sentra.catalog import search, services

        services.ensure_storefront(obj.sme)
        Product.objects.filter(pk=obj.pk).update(search_text=search.search_text_for(obj))
        obj.search_text = search.search_text_for(obj)
        search.adjust_vocabulary(removed=search.Counter(), added=search.product_vocabulary(obj))


class StorefrontFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Storefront
        django_get_or_create = ("sme",)

    sme = factory.SubFactory(SmeFactory)
    slug = factory.Sequence(lambda n: f"umkm-{n}")
