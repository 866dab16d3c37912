"""A cache of the public pages as visitors without a session see them.

The catalogue's pages are the same for every anonymous visitor of an address, and they are most of
what the public site serves; rendering one costs a dozen queries and a template, serving it from
the cache (files under SENTRA_DATA_DIR/page-cache, shared by the workers) costs reading one file. `PublicPageCacheMiddleware` sits right after WhiteNoise and answers
a repeated anonymous GET of a page marked `@cached_page` before the rest of the stack runs.

Freshness: every change to what the public pages show (products, photos, storefronts, events, an
SME's status) writes a new token into a stamp file in SENTRA_DATA_DIR, when it is made and again
once its transaction commits (so that a page rendered in between is not kept), and the token is part
of every cache key: all gunicorn workers on the machine stop serving older pages at once. Writes that send no signals (bulk loads) are caught by the entries' lifetime, PAGE_SECONDS.
Signed-in users (a session cookie), messages waiting to be shown, anything but GET/HEAD and
addresses with query parameters the pages do not read (which would let anyone fill the cache with
copies of one page) go through uncached.
"""

import os
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse

PAGE_SECONDS = 300
# Says whether a cacheable page came from the cache ("hit") or was rendered ("miss"); absent when the
# request could not be cached (signed in, unknown parameters…). The bench counts hits with it.
STATUS_HEADER = "X-Sentra-Page-Cache"
PREFIXES = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)
# The query parameters of the public pages: the catalogue's filters and every list's page number.
KNOWN_PARAMETERS = frozenset(
    {"q", "category", "kecamatan", "certificate", "price", "export_ready", "sort", "page"}
)


def stamp_path():
    return settings.DATA_DIR / "catalog-pages.stamp"


def generation() -> str:
    try:
        return stamp_path().read_text()
    except FileNotFoundError:
        return ""


def public_pages_changed(**kwargs) -> None:
    """Signal receiver: the public pages show something that changed (now, and once committed)."""
    _touch()
    transaction.on_commit(_touch)


def _touch() -> None:
    # A token, not the file's time: two changes within one tick of the clock must still differ.
    stamp = stamp_path()
    stamp.parent.mkdir(parents=True, exist_ok=True)
    fresh = stamp.with_name(f"{stamp.name}.{os.getpid()}")
    fresh.write_text(uuid.uuid4().hex)
    os.replace(fresh, stamp)


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

    def _key(self, request) -> str | None:
        if request.method not in ("GET", "HEAD") or not request.path.startswith(PREFIXES):
            return None
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
            return None
        if not KNOWN_PARAMETERS.issuperset(request.GET):
            return None
        partial = "1" if request.headers.get("HX-Request") else "0"
        host = request.META.get("HTTP_HOST", "")
        return f"page:{generation()}:{host}:{partial}:{request.get_full_path()}"

    def __call__(self, request):
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        hit = self.cache.get(key)
        if hit is not None:
            content, status, headers = hit
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response[STATUS_HEADER] = "hit"
            return response
        response = self.get_response(request)
        if (
            getattr(response, "sentra_shareable", False)
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
        ):
            self.cache.set(
                key, (response.content, response.status_code, list(response.items())), PAGE_SECONDS
            )
        response[STATUS_HEADER] = "miss"
        return response
