"""Product cards, as every list of the public site shows them (home, catalogue, search, storefront).

A card is drawn once per worker and kept in the process's memory (the "cards" cache) under the
stamps of the page cache that its content follows (page_cache.py): its SME's storefront scope,
renewed by every change of the SME, its permits (badges), its products, their photos and its
storefront; and the global stamp (category names). The key also holds the language and the day
(a badge shows only while its permit is valid). So when one product's edit renews every list
page, a list page rendered again draws that product's card again and takes the 23 others as kept:
it reads its page's ids and the cards' SMEs, not 24 products with five joined rows each.
"""

from django.core.cache import caches
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from sentra.core.templatetags.sentra import format_rupiah

from . import page_cache, queries

_CARD = (
    '<article class="card h-100 product-card">\n  {}\n  <div class="card-body">\n'
    '    <h3 class="h6 card-title mb-1"><a class="stretched-link" href="{}">{}</a></h3>\n'
    '    <p class="mb-1 fw-semibold">{} <span class="fw-normal small text-body-secondary">/ {}</span></p>\n'
    '    <p class="small text-body-secondary mb-1">{}{}</p>\n'
    "    {}{}\n  </div>\n</article>"
)


def draw(product) -> SafeString:
    """A product's card from `queries.decorate`; everything shown is escaped by format_html.

    Drawn in Python rather than with an included template: the template's lookups, filters and
    escaping cost ~0.4 ms a card, a third of rendering a page of 24 (bench/catalog_bench.py).
    """
    sme = product.sme
    if product.thumbnail_url:
        image = format_html(
            '<img src="{}" class="card-img-top product-thumb" alt="" loading="lazy" width="480" height="360">',
            product.thumbnail_url,
        )
    else:
        image = format_html(
            '<div class="card-img-top product-thumb product-thumb-empty" aria-hidden="true">{}</div>',
            product.category.name[:1],
        )
    where = format_html(" · {}", sme.kecamatan.name) if sme.kecamatan_id else ""
    badges = format_html_join(
        "", '<span class="badge badge-cert me-1">{}</span>', ((label,) for _code, label in product.badges)
    )
    export = (
        format_html('<span class="badge text-bg-info">{}</span>', gettext("Export-ready"))
        if product.export_ready
        else ""
    )
    return format_html(
        _CARD, image, product.url, product.name, format_rupiah(product.price), product.get_unit_display(),
        sme.brand or sme.name, where, badges, export,
    )  # fmt: skip


def _key(product_id: int, shop_slug: str, everything: str, today: str) -> str:
    scope = page_cache.storefront_scope(shop_slug)
    token = page_cache.token_of(page_cache.stamp_of(scope))
    return f"card:{translation.get_language()}:{today}:{everything}:{scope}:{token}:{product_id}"


def _public(ids):
    # Built only when read: building the public products' query (three joins) costs more than a page
    # of kept cards.
    return queries.public_products().filter(pk__in=ids)


def with_shops(product_ids) -> list[tuple[int, str]]:
    """[(id, storefront slug), …] of the public ones of `product_ids`, in their order: what a list
    keeps (page_cache.kept) to draw its cards without reading the products again."""
    ids = list(product_ids)
    shops = dict(_public(ids).values_list("pk", "sme__storefront__slug"))
    return [(pk, shops[pk]) for pk in ids if pk in shops]


def listed_cards(shown) -> list[SafeString]:
    """The cards of a kept list's [(id, storefront slug), …] (`with_shops`)."""
    return cards([pk for pk, _shop in shown], shops=dict(shown))


def cards(
    product_ids, *, shop_slug: str | None = None, shops: dict | None = None, badges: dict | None = None
) -> list[SafeString]:
    """The cards of the public products `product_ids` (read from `queries.public_products()`), in that order.

    `shop_slug`: all of them are this storefront's (its own pages), `shops`: {id: storefront slug}
    (`with_shops`, kept with a list's results); either saves reading their storefronts. A product
    no longer public is left out when its card has to be drawn. `badges`: the SME's badges when the
    caller has read them (`queries.decorate`).
    """
    ids = list(dict.fromkeys(product_ids))
    if not ids:
        return []
    if shop_slug is not None:
        shops = dict.fromkeys(ids, shop_slug)
    elif shops is None:
        shops = dict(_public(ids).values_list("pk", "sme__storefront__slug"))
    everything = page_cache.token_of(page_cache.generation())
    today = queries.today().isoformat()
    keys = {pk: _key(pk, shops[pk], everything, today) for pk in ids if pk in shops}
    kept = caches["cards"].get_many(keys.values())
    missing = [pk for pk, key in keys.items() if key not in kept]
    if missing:
        drawn = {}
        for product in queries.decorate(_public(missing).only(*queries.CARD_COLUMNS), badges=badges):
            drawn[keys[product.pk]] = draw(product)
        caches["cards"].set_many(drawn, page_cache.PAGE_SECONDS)
        kept.update(drawn)
    return [kept[keys[pk]] for pk in ids if pk in keys and keys[pk] in kept]
