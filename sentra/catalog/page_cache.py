"""A cache of the public pages as visitors without a session see them.

The catalogue's pages are the same for every anonymous visitor of an address, and they are most of
what the public site serves; rendering one costs a dozen queries and a template, serving it from
the cache (files under SENTRA_DATA_DIR/page-cache, shared by the workers) costs reading one file.
`PublicPageCacheMiddleware` sits right after WhiteNoise and answers a repeated anonymous GET of a
page marked `@cached_page` before the rest of the stack runs.

Freshness, by scope. Each cached page belongs to one scope, read from its address alone:

- ``sme-<storefront slug>``: the storefront /<lang>/umkm/<slug>/ and every page under it (its
  products' pages, which show the SME's name, status, badges and its other products);
- ``lists``: every other cached page (home, catalogue and search results, events).

Each scope has a stamp file in SENTRA_DATA_DIR/page-stamps, and there is one global stamp
(SENTRA_DATA_DIR/catalog-pages.stamp); a page's cache key holds the global stamp and its scope's
stamp, so writing a new token into a stamp makes every page of that scope stale for all gunicorn
workers on the machine at once. What a change renews (`scopes_changed_by`):

- a product, one of its photos: ``lists`` and its SME's storefront scope;
- an SME (status, merge, name…), one of its permits (the badges), its storefront: ``lists`` and the
  SME's storefront scope, under its current slug and every old slug (an old address must not go on
  answering with the page it had);
- a category, an event or an event's participant (shown on many pages): everything (global stamp).

So an edit of one product leaves the cached pages of the other 49,999 SMEs' storefronts and
products as they were. Stamps are written when the change is made and again once its transaction
commits (so that a page rendered in between, under the old stamp, is never served after the commit);
at commit the scopes are read again from the database (a storefront renamed in the transaction).
Writes that send no signals (bulk loads, queryset updates) are caught by the entries' lifetime,
PAGE_SECONDS.

What a list holds, apart from how its cards look. A list page is renewed by every change of a
product it may show, but most such changes (a price, the stock, a photo) move no product into or out
of a list, nor change its order. So a list's results (its count, its page's ids, a search's matches)
are `kept` under results scopes of their own, shared by the workers (the "results" cache), and a list
page rendered again after such a change reads only the cards that changed (catalog.cards):

- ``results``: every list; renewed by a product's new status, category, SME, export flag, curation
  date or featured flag, a new or deleted product, and any change of an SME, permit or storefront;
- ``results-price``: the lists sorted or narrowed by price; renewed by a price too;
- ``results-text``: search results; renewed by a product's words (names, descriptions) too.

A product's save compares its values with those it was read with (`Product.from_db`,
`results_changed_by`); one not read from the database renews every results scope.

Stale while revalidating, for the lists only, bounded. Every product edit renews the lists, and a
list page costs ~20 ms of a worker to render: right after a change, every visitor of a popular list
page would wait for a render. So each list page is also kept as its latest copy ("latest:" key,
with the stamps it was rendered under). When a list page's stamp has changed, the first request to
ask for it renders it (a "rendering:" marker, cache.add, held at most STALE_SECONDS), and the
others meanwhile get the latest copy (header "stale") — only if the first change of the lists
after that copy is at most STALE_SECONDS old (each stamp file keeps its recent tokens with when
each was written: `history`) and no global change came since. A list page is thus at most
STALE_SECONDS out of date, however many changes follow one another; past that it is rendered
before it is served. Storefront and product pages are never served stale: a product withdrawn, or an SME that
loses its status or a permit, shows on its own pages at the next request.

Signed-in users (a session cookie), messages waiting to be shown, anything but GET/HEAD and
addresses with query parameters the pages do not read (which would let anyone fill the cache with
copies of one page) go through uncached.
"""

import hashlib
import os
import re
import time
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.db import transaction
from django.db.models.signals import post_delete
from django.http import HttpResponse
from django.utils import timezone

PAGE_SECONDS = 300
# How long after a change a list page (home, catalogue, search, events) may still be answered with
# its copy from before the change, while one worker renders the new one.
STALE_SECONDS = 5
# How long a worker keeps what `remembered` computed (region names change without a stamp).
REMEMBER_SECONDS = 60
# A stamp file keeps at most this many of its earlier tokens (see `history`).
STAMP_HISTORY = 100
# Says whether a cacheable page came from the cache ("hit") or was rendered ("miss"); absent when the
# request could not be cached (signed in, unknown parameters…). The bench counts hits with it.
STATUS_HEADER = "X-Sentra-Page-Cache"
PREFIXES = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
# The query parameters of the public pages: the catalogue's filters and every list's page number.
KNOWN_PARAMETERS = frozenset(
    {"q", "category", "kecamatan", "certificate", "price", "export_ready", "sort", "page"}
)
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
LISTS = "lists"
EVERYTHING = "*"
# Which products a list holds and in which order, apart from how their cards look (`kept`): the lists
# of every kind; those sorted or narrowed by price; search results (the products' words).
RESULTS = "results"
RESULTS_PRICE = "results-price"
RESULTS_TEXT = "results-text"
ALL_RESULTS = frozenset({RESULTS, RESULTS_PRICE, RESULTS_TEXT})
# Part of what `kept` stores' keys: a release that changes the shape of what the views keep raises it,
# so that it never reads what the one before stored.
KEPT_FORMAT = 2  # 2: a search keeps its matches (search.search_matches)
# A product's columns that decide whether a list holds it, or where: any of them changed renews the
# results of every kind; its price those sorted or narrowed by price; its words the search results.
# A change of anything else (stock, unit, minimum order, a photo) changes its card only.
LISTED_FIELDS = ("status", "sme_id", "category_id", "export_ready", "curated_at", "featured")
PRICE_FIELDS = ("price",)
TEXT_FIELDS = ("search_text", "name_id", "name_en", "description_id", "description_en")


def stamp_path():
    return settings.DATA_DIR / "catalog-pages.stamp"


def scope_stamp_path(scope: str):
    return settings.DATA_DIR / "page-stamps" / scope


def _read(path) -> str:
    try:
        return path.read_text()
    except FileNotFoundError:
        return ""


def generation() -> str:
    """The global stamp: renewed by a change every page may show."""
    return _read(stamp_path())


def remembered(name: str, compute):
    """`compute()`, kept by this process while no change of every page (a category…) came, at most
    REMEMBER_SECONDS: the few rows every page's filters show (categories, kecamatan) cost a
    millisecond or two of each render otherwise."""
    return cache.get_or_set(f"catalog:remembered:{name}:{token_of(generation())}", compute, REMEMBER_SECONDS)


def kept(name: str, scopes, compute):
    """`compute()` (a list's ids, its count), shared by the workers while no change of `scopes`
    (results scopes) and no global change came, at most PAGE_SECONDS.

    A list page is rendered again after every edit of a product it may show (its card changed); what
    it lists changes far less often: a price edit leaves the catalogue's default order, its counts and
    every search's matches as they were. The tokens are read before `compute` reads the rows: rows a
    change commits meanwhile are stored under the token that change's commit renews.
    """
    tokens = ":".join(f"{scope}={token_of(stamp_of(scope))}" for scope in sorted(scopes))
    # The day too: a permit that expires at midnight leaves the certificate filter's list unsignalled.
    digest = hashlib.sha256(f"{timezone.localdate()}:{tokens}:{name}".encode()).hexdigest()
    return caches["results"].get_or_set(
        f"results:{KEPT_FORMAT}:{token_of(generation())}:{digest}", compute, PAGE_SECONDS
    )


def results_changed_by(product, *, created: bool = False, deleted: bool = False) -> set[str]:
    """The results scopes a product's save or delete renews, from its values as read (`from_db`)."""
    loaded = getattr(product, "loaded_values", None)
    if created or deleted or loaded is None:
        return set(ALL_RESULTS)

    def changed(fields) -> bool:
        return any(name not in loaded or loaded[name] != getattr(product, name) for name in fields)

    if changed(LISTED_FIELDS):
        return set(ALL_RESULTS)
    return {
        scope
        for scope, fields in ((RESULTS_PRICE, PRICE_FIELDS), (RESULTS_TEXT, TEXT_FIELDS))
        if changed(fields)
    }


def scope_of(path: str) -> str:
    """The scope of a public page, from its address: /<lang>/umkm/<slug>/… is its SME's."""
    parts = path.split("/", 4)  # "", lang, "umkm", slug, rest
    if len(parts) >= 4 and parts[2] == "umkm" and SLUG.fullmatch(parts[3]):
        return storefront_scope(parts[3])
    return LISTS


def storefront_scope(slug: str) -> str:
    return f"sme-{slug}"


def stamp_of(scope: str) -> str:
    return _read(scope_stamp_path(scope))


def sme_scopes(sme_id) -> set[str]:
    """The scopes of an SME's pages: its storefront's current slug and every slug it had."""
    from .models import Storefront, StorefrontSlug

    if sme_id is None:
        return set()
    slugs = set(Storefront.objects.filter(sme_id=sme_id).values_list("slug", flat=True))
    slugs |= set(StorefrontSlug.objects.filter(storefront__sme_id=sme_id).values_list("slug", flat=True))
    return {storefront_scope(slug) for slug in slugs}


def scopes_changed_by(instance, *, created: bool = False, deleted: bool = False) -> set[str]:
    """The scopes whose pages may show `instance` (a saved or deleted model of the catalogue)."""
    from sentra.registry.models import Permit, Sme

    from . import models

    if isinstance(instance, models.Product):
        return {
            LISTS,
            *sme_scopes(instance.sme_id),
            *results_changed_by(instance, created=created, deleted=deleted),
        }
    if isinstance(instance, (Sme, Permit)):
        # Its status and merge decide what is public; its kecamatan and permits what the filters keep.
        sme_id = instance.pk if isinstance(instance, Sme) else instance.sme_id
        return {LISTS, *ALL_RESULTS, *sme_scopes(sme_id)}
    if isinstance(instance, models.ProductPhoto):
        # A photo shows on its product's card only.
        sme_id = (
            models.Product.objects.filter(pk=instance.product_id).values_list("sme_id", flat=True).first()
        )
        return {LISTS, *sme_scopes(sme_id)}
    if isinstance(instance, models.Storefront):
        return {LISTS, *ALL_RESULTS, storefront_scope(instance.slug), *sme_scopes(instance.sme_id)}
    return {EVERYTHING}


def public_pages_changed(sender=None, instance=None, created=False, **kwargs) -> None:
    """Signal receiver: the pages that show `instance` are stale (now, and once committed)."""
    deleted = kwargs.get("signal") is post_delete
    if instance is None:
        scopes = {EVERYTHING}
    else:
        scopes = scopes_changed_by(instance, created=created, deleted=deleted)
    if getattr(instance, "loaded_values", None) is not None and not deleted:
        # The next save of this object is compared with what this one stored.
        instance.loaded_values = {name: getattr(instance, name) for name in instance.loaded_values}
    renew(scopes)

    def at_commit():
        # Read again: a storefront renamed in the same transaction has its old slug recorded by now.
        again = (
            scopes_changed_by(instance, created=created, deleted=deleted) if instance is not None else set()
        )
        renew(scopes | again)

    transaction.on_commit(at_commit)


def renew(scopes) -> None:
    """Make every page of `scopes` stale ("*": every page)."""
    for scope in scopes:
        _touch(stamp_path() if scope == EVERYTHING else scope_stamp_path(scope))


def history(stamp: str) -> list[tuple[str, float]]:
    """A stamp file's text as [(token, when it was written), …], newest first.

    The first token is the stamp's; the older ones are kept while a copy rendered under one of them
    may still be served stale: the change that came after it is at most STALE_SECONDS old. A scope
    never changed has the empty token.
    """
    found = []
    for line in stamp.splitlines():
        token, _, at = line.partition(" ")
        try:
            found.append((token, float(at)))
        except ValueError:
            found.append((token, 0.0))
    return found or [("", 0.0)]


def token_of(stamp: str) -> str:
    return history(stamp)[0][0]


def changed_since(stamp: str, token: str) -> float | None:
    """When the first change after `token` was written, None if that is no longer known."""
    entries = history(stamp)
    for newer, (older, _at) in zip(entries, entries[1:], strict=False):
        if older == token:
            return newer[1]
    return None


def _touch(stamp) -> None:
    # A token, not the file's time: two changes within one tick of the clock must still differ.
    now = time.time()
    kept = [(uuid.uuid4().hex, now)]
    for token, at in history(_read(stamp)):
        # An older token is of use while the change after it (the last one kept) is recent.
        if now - kept[-1][1] > STALE_SECONDS or len(kept) > STAMP_HISTORY:
            break
        kept.append((token, at))
    stamp.parent.mkdir(parents=True, exist_ok=True)
    # Two processes writing at once may lose one's line: a copy under the lost token is then
    # rendered again, never served as if current.
    fresh = stamp.with_name(f"{stamp.name}.{os.getpid()}")
    fresh.write_text("".join(f"{token} {at:.3f}\n" for token, at in kept))
    os.replace(fresh, stamp)


class PageFileCache(FileBasedCache):
    """Django's FileBasedCache, culling the oldest pages, counting its files every few seconds.

    FileBasedCache lists its whole folder on every set() to decide whether to cull: with thousands
    of pages cached that listing costs more than the page. Here a worker checks at most every
    CULL_SECONDS; between two checks the folder may overshoot MAX_ENTRIES by the pages set meanwhile.

    And where FileBasedCache removes a random third, current pages as likely as any, this removes
    the longest written: pages of a scope renewed since (never read again: their key holds the old
    stamp) are written once and age, a list page is written again after every change.
    """

    CULL_SECONDS = 5.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._culled_at = 0.0

    def _cull(self):
        now = time.monotonic()
        if now - self._culled_at < self.CULL_SECONDS:
            return
        self._culled_at = now
        written = []
        for name in self._list_cache_files():
            try:
                written.append((os.stat(name).st_mtime, name))
            except FileNotFoundError:  # removed by another worker meanwhile
                continue
        if len(written) < self._max_entries:
            return
        if self._cull_frequency == 0:
            self.clear()
            return
        written.sort()
        for _at, name in written[: len(written) // self._cull_frequency]:
            self._delete(name)


def cached_page(view):
    """Mark a public view's successful responses as shareable between anonymous visitors."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.sentra_shareable = True
        return response

    return wrapper


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches["public_pages"]

    def _key(self, request) -> tuple[str, str, str, str] | None:
        """(the page's key, its scope, the global stamp, its scope's stamp), or None: not cached."""
        if request.method not in ("GET", "HEAD") or not request.path.startswith(PREFIXES):
            return None
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
            return None
        if not KNOWN_PARAMETERS.issuperset(request.GET):
            return None
        partial = "1" if request.headers.get("HX-Request") else "0"
        host = request.META.get("HTTP_HOST", "")
        scope = scope_of(request.path)
        everything, stamp = generation(), stamp_of(scope)
        # Hashed: a long query string would make a key longer than cache backends take (250).
        page = hashlib.sha256(f"{host}:{partial}:{request.get_full_path()}".encode()).hexdigest()
        key = f"page:{token_of(everything)}:{scope}:{token_of(stamp)}:{page}"
        return key, scope, everything, stamp

    def _respond(self, content, status, headers, state):
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response[STATUS_HEADER] = state
        return response

    def _stale(self, latest_key: str, everything: str, stamp: str):
        """The last copy of a list page, if the first change after it is at most STALE_SECONDS old
        and no global change came since."""
        latest = self.cache.get(latest_key)
        if latest is None:
            return None
        content, status, headers, rendered_everything, rendered_token = latest
        if rendered_everything != token_of(everything):
            return None
        since = changed_since(stamp, rendered_token)
        if since is not None and 0 <= time.time() - since <= STALE_SECONDS:
            return content, status, headers
        return None

    def __call__(self, request):
        found = self._key(request)
        if found is None:
            return self.get_response(request)
        key, scope, everything, stamp = found
        hit = self.cache.get(key)
        if hit is not None:
            return self._respond(*hit, "hit")
        latest_key = None
        if scope == LISTS:
            latest_key = "latest:" + key.split(":", 4)[4]
            stale = self._stale(latest_key, everything, stamp)
            # One worker renders the page afresh; the others answer with the copy until it is stored.
            if stale is not None and not self.cache.add(f"rendering:{key}", 1, STALE_SECONDS):
                return self._respond(*stale, "stale")
        response = self.get_response(request)
        if (
            getattr(response, "sentra_shareable", False)
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
        ):
            value = (response.content, response.status_code, list(response.items()))
            self.cache.set(key, value, PAGE_SECONDS)
            if latest_key is not None:
                self.cache.set(latest_key, (*value, token_of(everything), token_of(stamp)), PAGE_SECONDS)
        response[STATUS_HEADER] = "miss"
        return response
