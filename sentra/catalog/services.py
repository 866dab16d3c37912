"""Changes to products: each a plain function in one transaction, with its audit entry."""

from django.db import transaction
from django.utils.text import slugify

from sentra.core.audit import log_action, snapshot
from sentra.core.models import AuditEntry
from sentra.registry.models import Sme

from .models import Category, Product


def code_for(pk: int) -> str:
    return f"P{pk:06d}"


def unique_slug(*, sme: Sme, name: str, exclude_pk: int | None = None) -> str:
    """A readable slug, unique within the SME: "keripik-tempe", then "keripik-tempe-2"."""
    base = slugify(name)[:100] or "produk"
    taken = set(
        Product.objects.filter(sme=sme, slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_product(
    *,
    actor,
    sme: Sme,
    name_id: str,
    category: Category,
    price: int,
    **fields,
) -> Product:
    """A new product of `sme`, as a draft unless `status` says otherwise (demo data, tests)."""
    product = Product(
        sme=sme, regency_id=sme.regency_id, name_id=name_id, category=category, price=price, **fields
    )
    product.slug = product.slug or unique_slug(sme=sme, name=name_id)
    product.full_clean(exclude=["code", "search_text"])
    product.save()
    product.code = code_for(product.pk)
    Product.objects.filter(pk=product.pk).update(code=product.code)
    log_action(
        actor=actor,
        verb="catalog.product.created",
        obj=product,
        action=AuditEntry.Action.CREATE,
        changes={k: [None, v] for k, v in snapshot(product).items() if v not in (None, "", False)},
    )
    return product
