"""Searching the public catalogue: what a product is found by, its ranking, and "did you mean".

The mechanism is the project's one search, `sentra.core.search` (Snowball stems stored beside the
written words; FTS5 on SQLite, a GIN tsvector on PostgreSQL). A product is found by its names and
descriptions in both languages (each word stemmed in Indonesian and in English, so "keripiknya"
finds "keripik", "membatik" finds "batik" and "chips" finds "chip"), its category, its SME and the
SME's kecamatan. Results are ranked by the databases' own relevance (bm25 / ts_rank).

Public visibility is not part of the index: search results are filtered with
`Product.objects.public()` like every other public list, so a product leaves the results the moment
its SME stops being verified, whichever registry service (or bulk update) changed the SME.

"Did you mean" draws on `SearchWord`, the words of curated products as written, with how many
products hold each; the product services keep it current and `rebuild_vocabulary` recomputes it.
"""

from collections import Counter
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import F, QuerySet

from sentra.core import search as core_search
from sentra.core.bulk import values_by_pk
from sentra.core.search import ENGLISH, INDONESIAN, FullTextIndex, words

from .models import Product, SearchWord

MAX_WORD_LENGTH = 40
# Ranking weighs this many matches at most: the newest ones. Below it the ranking and the count are
# exact; a word in thousands of products ("keripik", "k") is ranked among its newest matches, which
# keeps a results page at a fixed cost whatever the word (bench/catalog_bench.py).
RANK_WINDOW = 1000
COMMON_WORD_PRODUCTS = RANK_WINDOW
COMMON_WORDS_SECONDS = 600


def common_words() -> frozenset[str]:
    """Words in at least COMMON_WORD_PRODUCTS (the ranking window) published products: as the last word of a query they are
    matched whole, not as a prefix (core.search.FullTextIndex.common_words). Their own matches fill
    the ranking window already; the words that merely start with them would cost the merge of every
    one's postings. Read from the vocabulary at most every ten minutes per process.
    """
    found = cache.get("catalog:common-words")
    if found is None:
        found = frozenset(
            SearchWord.objects.filter(products__gte=COMMON_WORD_PRODUCTS).values_list("word", flat=True)
        )
        cache.set("catalog:common-words", found, COMMON_WORDS_SECONDS)
    return found


# FTS5 table catalog_product_fts on SQLite, generated column search_vector on PostgreSQL (0004).
PRODUCT_INDEX = FullTextIndex(
    table="catalog_product", languages=(INDONESIAN, ENGLISH), common_words=common_words
)


def _texts(product: Product) -> list[str]:
    sme = product.sme
    kecamatan = sme.kecamatan.name if sme.kecamatan_id else ""
    category = product.category
    return [
        product.name_id,
        product.name_en,
        product.description_id,
        product.description_en,
        category.name_id,
        category.name_en,
        sme.name,
        sme.brand,
        kecamatan,
    ]


def search_text_for(product: Product) -> str:
    """The product's words; its names (the first two texts) count double in the ranking."""
    texts = _texts(product)
    return PRODUCT_INDEX.text(*texts[2:], boosted=texts[:2])


def refresh_search_text(products: Iterable[Product]) -> int:
    """Recompute the words of products whose SME, category or text changed; returns how many changed."""
    changed = []
    for product in products:
        text = search_text_for(product)
        if text != product.search_text:
            product.search_text = text
            changed.append(product)
    Product.objects.bulk_update(changed, ["search_text"], batch_size=1000)
    return len(changed)


def search_products(products: QuerySet, query: str) -> QuerySet:
    """`products` matching `query`, best first (newest curated first among equals)."""
    if not words(query):
        return products.order_by("-curated_at", "-id")
    return PRODUCT_INDEX.ranked(products, query).order_by("-search_rank", "-curated_at", "-id")


def search_matches(products: QuerySet, query: str, *, narrowed: bool = False) -> tuple[list[tuple], bool]:
    """`products` matching `query` as (id, rank, curated_at, storefront slug), newest first, and
    whether there are more.

    The full-text index gives the newest RANK_WINDOW matches with their rank; the database joins
    them to `products` (the public ones, narrowed by the catalogue's filters) in one query. When the
    window is full and the filters are `narrowed` (a category, a price…), the matches they keep may
    lie beyond it: those are then read from the table instead, newest first, unranked (rank 0).
    The matches hold no price: a price changes more often than what a search finds, and a list sorted
    by price reads the prices of its matches afresh (order_matches), so the ranking, the dearest part
    on PostgreSQL, is kept across price edits (public_views.catalogue).
    """
    if not words(query):
        return [], False
    connection = connections[products.db]
    window, window_params = PRODUCT_INDEX.window_sql(query, RANK_WINDOW, using=products.db)
    inner, inner_params = (
        products.order_by()
        .values("id", "curated_at", "sme__storefront__slug")
        .query.get_compiler(connection=connection)
        .as_sql()
    )
    # The window is a CTE read twice (its size, its rows): both databases compute it once.
    sql = (
        f"WITH w AS ({window}) SELECT p.*, w.rank, (SELECT COUNT(*) FROM w) FROM w "
        f"INNER JOIN ({inner}) AS p ON p.id = w.id ORDER BY p.id DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*window_params, *inner_params])
        rows = cursor.fetchall()
    more = bool(rows) and rows[0][4] == RANK_WINDOW
    if not rows:
        # Nothing public among the window: is the window itself full?
        more = len(PRODUCT_INDEX.candidates(query, RANK_WINDOW, using=products.db)) == RANK_WINDOW
    # curated_at as the database gives it (a datetime, or text on SQLite): only compared with its like.
    matches = [(pk, float(rank), when, shop) for pk, when, shop, rank, _size in rows]
    if more and narrowed:
        found = products.filter(PRODUCT_INDEX.match(query, for_count=True)).order_by("-curated_at", "-id")
        found = list(found.values_list("pk", "curated_at", "sme__storefront__slug")[: RANK_WINDOW + 1])
        more = len(found) > RANK_WINDOW
        matches = [(pk, 0.0, when, shop) for pk, when, shop in found[:RANK_WINDOW]]
    return matches, more


def order_matches(matches: list[tuple], sort: str = "relevance", *, using: str = "default") -> list[tuple]:
    """`matches` (search_matches) in the page's order; by price, with the prices as they are now."""
    if sort in ("price", "-price"):
        prices = values_by_pk(Product, (m[0] for m in matches), "price", using=using)
        matches = [m for m in matches if m[0] in prices]
        return sorted(matches, key=lambda m: (prices[m[0]], m[0]), reverse=sort == "-price")
    if sort == "newest":
        # Curated ones first, newest first; the same order as queries.ordered's "newest".
        return sorted(matches, key=lambda m: (m[2] is not None, m[2], m[0]), reverse=True)
    return sorted(matches, key=lambda m: (m[1], m[0]), reverse=True)


def search_ids(
    products: QuerySet, query: str, *, sort: str = "relevance", narrowed: bool = False
) -> tuple[list[int], bool]:
    """The ids of `products` matching `query` in the page's order, and whether there are more."""
    matches, more = search_matches(products, query, narrowed=narrowed)
    return [m[0] for m in order_matches(matches, sort, using=products.db)], more


def matching(products: QuerySet, query: str, *, for_count: bool = False) -> QuerySet:
    """`products` matching `query`, unranked: for counts and facets."""
    if not words(query):
        return products
    return products.filter(PRODUCT_INDEX.match(query, for_count=for_count))


# --- did you mean ------------------------------------------------------------------------------


def vocabulary_words(product: Product) -> Counter:
    """The words of a product a visitor may misspell: as written, at least three letters, no digits."""
    found = set()
    for text in _texts(product):
        for word in words(text):
            if (
                len(word) >= core_search.MIN_SUGGESTED_LENGTH
                and word.isalpha()
                and len(word) <= MAX_WORD_LENGTH
            ):
                found.add(word)
    return Counter(found)


def adjust_vocabulary(*, removed: Counter, added: Counter) -> None:
    """Count a product's words out of the vocabulary and its new ones in (a rename, a curation)."""
    delta = Counter(added)
    delta.subtract(removed)
    up = [w for w, n in delta.items() if n > 0]
    down = [w for w, n in delta.items() if n < 0]
    if not up and not down:
        return
    with transaction.atomic():
        if up:
            SearchWord.objects.bulk_create(
                [SearchWord(word=w, length=len(w), products=0) for w in up], ignore_conflicts=True
            )
            SearchWord.objects.filter(word__in=up).update(products=F("products") + 1)
        if down:
            SearchWord.objects.filter(word__in=down, products__gt=0).update(products=F("products") - 1)


def product_vocabulary(product: Product) -> Counter:
    """The words this product gives the vocabulary: only a published product's count."""
    return vocabulary_words(product) if product.status == Product.Status.APPROVED else Counter()


def rebuild_vocabulary(batch_size: int = 5000) -> int:
    """Count every published product's words again (after a bulk load); returns the number of words."""
    counts: Counter = Counter()
    products = (
        Product.objects.filter(status=Product.Status.APPROVED)
        .select_related("sme", "sme__kecamatan", "category")
        .only(
            "name_id", "name_en", "description_id", "description_en", "category__name_id",
            "category__name_en", "sme__name", "sme__brand", "sme__kecamatan__name", "status",
        )
    )  # fmt: skip
    for product in products.iterator(chunk_size=batch_size):
        counts.update(vocabulary_words(product))
    with transaction.atomic():
        SearchWord.objects.all().delete()
        SearchWord.objects.bulk_create(
            [SearchWord(word=w, length=len(w), products=n) for w, n in counts.items()], batch_size=batch_size
        )
    return len(counts)


def _candidates(word: str) -> list[tuple[str, int]]:
    """Known words of about the same length that share its first letter or its last two."""
    n = len(word)
    near = SearchWord.objects.filter(length__gte=n - 2, length__lte=n + 2, products__gt=0)
    rows = near.filter(word__startswith=word[0]) | near.filter(word__endswith=word[-2:])
    return list(rows.values_list("word", "products")[:2000])


def did_you_mean(query: str) -> str | None:
    return core_search.suggest(query, _candidates)


def ensure_search_index(sender=None, using: str = "default", **kwargs) -> bool:
    """Recreate lost SQLite triggers of the product index after a migration rebuilt the table."""
    return PRODUCT_INDEX.ensure_sqlite_index(using)
