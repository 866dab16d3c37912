"""The public site (no login): home, catalogue and search, storefronts, products, inquiries, events.

Every page here lives under a language prefix (/id/…, /en/…) so that a shared link opens in the
language it was shared in. Nothing personal is shown: an SME's WhatsApp number only when its owner
chose to publish it; owners' names, NIK and phone never.
"""

from functools import lru_cache

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from sentra.core import qr
from sentra.core.permissions import public
from sentra.regions.models import Region

from . import page_cache, queries, search, services
from .cards import cards, listed_cards, with_shops
from .forms import CatalogFilterForm, InquiryForm
from .models import Category, EventParticipant, Product, PromotionEvent, Storefront, StorefrontSlug
from .page_cache import cached_page, remembered

PAGE_SIZE = 24
# A result count past this is shown as "more than …": counting every match of a one-letter word
# costs more than the page itself, and nobody pages that far.
COUNT_CAP = 1000
FEATURED = 8


@lru_cache(maxsize=20_000)
def qr_svg(url: str, title: str) -> str:
    """A page's QR code as inline SVG, drawn once per address and process (segno's masking is slow)."""
    return qr.svg(url, title=title)


def kecamatan_choices() -> list[tuple[int, str]]:
    return remembered(
        "kecamatan",
        lambda: list(Region.objects.kecamatan().in_home_regency().order_by("name").values_list("pk", "name")),
    )


def categories() -> list[Category]:
    return remembered("categories", lambda: list(Category.objects.all()))


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _capped_count(products) -> int:
    return len(products.order_by().values_list("pk", flat=True)[: COUNT_CAP + 1])


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows: enough to draw the pager and say "more than 1,000".

    `rows()` gives the ordered product ids, built only when needed: the count (under `name` and
    `count_scopes`) and each page's ids with their storefronts (under `name`, the page number and
    `scopes`) are `kept` (page_cache), so a list page rendered again after an edit that changed
    cards only neither reads nor even builds the query.
    """

    def __init__(self, rows, per_page, *, name: str, scopes, count_scopes):
        super().__init__((), per_page)
        self.rows, self.name, self.scopes, self.count_scopes = rows, name, scopes, count_scopes

    @property
    def count(self) -> int:
        if not hasattr(self, "_capped"):
            self._capped = page_cache.kept(
                f"count:{self.name}", self.count_scopes, lambda: _capped_count(self.rows())
            )
        return self._capped

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        shown = page_cache.kept(
            f"ids:{self.name}:{number}",
            self.scopes,
            lambda: with_shops(self.rows()[bottom : bottom + self.per_page]),
        )
        return self._get_page(shown, number, self)


def _filters_name(data: dict) -> str:
    """The catalogue's filters as text, for the names of what `page_cache.kept` holds."""
    category = data.get("category")
    return ":".join(
        str(value)
        for value in (
            category.pk if category else "",
            data.get("kecamatan") or "",
            data.get("certificate") or "",
            data.get("price") or "",
            "export" if data.get("export_ready") else "",
        )
    )


def featured_ids() -> list[int]:
    """The home page's products: the featured ones, then the newest, FEATURED in all."""
    products = queries.public_products().order_by("-curated_at", "-id").values_list("pk", flat=True)
    featured = list(products.filter(featured=True)[:FEATURED])
    if len(featured) < FEATURED:
        featured += list(products.exclude(pk__in=featured)[: FEATURED - len(featured)])
    return featured


@public
@cached_page
def home(request):
    featured = page_cache.kept("home:featured", {page_cache.RESULTS}, lambda: with_shops(featured_ids()))
    storefronts = (
        Storefront.objects.filter(featured=True, sme__status="verified", sme__merged_into__isnull=True)
        .select_related("sme", "sme__kecamatan")
        .order_by("slug")[:6]
    )
    # Cancelled events are marked on the events page, not advertised here.
    events = PromotionEvent.objects.filter(
        is_public=True, ends_on__gte=timezone.localdate(), cancelled_at__isnull=True
    ).order_by("starts_on")[:3]
    context = {
        "featured": listed_cards(featured),
        "storefronts": storefronts,
        "categories": categories(),
        "kecamatan": kecamatan_choices(),
        "events": events,
        "form": CatalogFilterForm(kecamatan_choices=()),
    }
    return render(request, "catalog/public/home.html", context)


@public
@cached_page
def catalogue(request):
    form = CatalogFilterForm(
        request.GET or None, kecamatan_choices=kecamatan_choices(), categories=categories()
    )
    data = form.cleaned_data if form.is_valid() else {}
    query = data.get("q", "")

    def products():
        # Built only when a result is not kept: building the filtered query costs a few ms itself.
        return queries.apply_filters(queries.public_products(), data)

    capped = False
    sort = data.get("sort") or ""
    filters = _filters_name(data)
    # What the list holds follows the results scopes (page_cache.kept): its price ones only if sorted
    # or narrowed by price, its words' only if searched.
    count_scopes = {page_cache.RESULTS, *([page_cache.RESULTS_PRICE] if data.get("price") else [])}
    scopes = count_scopes | ({page_cache.RESULTS_PRICE} if sort in ("price", "-price") else set())
    if search.words(query):
        narrowed = any(
            data.get(name) for name in ("category", "kecamatan", "certificate", "price", "export_ready")
        )

        def matches():
            return search.search_matches(products(), query, narrowed=narrowed)

        def found():
            # What the query finds is kept apart from its order, which may follow prices: a price
            # edit then costs a sort of kept matches, not a new ranking (the dearest part on PostgreSQL).
            found, more = page_cache.kept(
                f"matches:{filters}:{query}", count_scopes | {page_cache.RESULTS_TEXT}, matches
            )
            return [(m[0], m[3]) for m in search.order_matches(found, sort or "relevance")], more

        shown, capped = page_cache.kept(
            f"search:{filters}:{sort}:{query}", scopes | {page_cache.RESULTS_TEXT}, found
        )
        page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
        count = len(shown)
    else:
        paginator = CappedPaginator(
            lambda: queries.ordered(products(), "", sort).values_list("pk", flat=True),
            PAGE_SIZE,
            name=f"{filters}:{sort}",
            scopes=scopes,
            count_scopes=count_scopes,
        )
        page = paginator.get_page(request.GET.get("page"))
        count = page.paginator.count
        capped = count > COUNT_CAP
    page.object_list = listed_cards(page.object_list)
    suggestion = search.did_you_mean(query) if query and count < 3 else None
    if suggestion and not search.search_ids(products(), suggestion)[0]:
        suggestion = None
    params = request.GET.copy()
    params.pop("page", None)
    suggestion_params = params.copy()
    if suggestion:
        suggestion_params["q"] = suggestion
    context = {
        "form": form,
        "query": query,
        "page": page,
        "count": count,
        "count_capped": capped,
        "count_cap": min(count, COUNT_CAP),
        "suggestion": suggestion,
        "suggestion_query": suggestion_params.urlencode(),
        "page_query": params.urlencode(),
        "filters_active": any(
            data.get(name)
            for name in ("category", "kecamatan", "certificate", "price", "export_ready", "sort")
        ),
    }
    template = (
        "catalog/public/_results.html"
        if request.htmx and not request.htmx.history_restore_request
        else "catalog/public/catalogue.html"
    )
    return render(request, template, context)


def get_public_storefront(slug: str) -> Storefront | None:
    """A storefront by its slug, or None (an old slug or a merged business is redirected)."""
    storefront = (
        Storefront.objects.select_related("sme", "sme__kecamatan", "sme__desa").filter(slug=slug).first()
    )
    if storefront is None:
        return None
    sme = storefront.sme
    if sme.status != "verified" or sme.merged_into_id:
        return None
    return storefront


def _redirect_storefront(slug: str, rest: str = ""):
    """Where an old address of a storefront leads now: a renamed page, or the business it was merged into."""
    old = StorefrontSlug.objects.select_related("storefront").filter(slug=slug).first()
    storefront = old.storefront if old else Storefront.objects.select_related("sme").filter(slug=slug).first()
    if storefront is None:
        raise Http404
    if storefront.sme.merged_into_id:
        kept = Storefront.objects.filter(sme_id=storefront.sme.merged_into_id).first()
        if kept is None:
            raise Http404
        storefront = kept
    elif not old:
        raise Http404
    target = reverse("catalog:storefront", args=[storefront.slug])
    return redirect(target + rest, permanent=True)


@public
@cached_page
def storefront(request, slug):
    shop = get_public_storefront(slug)
    if shop is None:
        return _redirect_storefront(slug)
    sme = shop.sme
    products = (
        queries.public_products().filter(sme=sme).order_by("name_id", "id").values_list("pk", flat=True)
    )
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = cards(page.object_list, shop_slug=shop.slug)
    url = absolute(request, request.path)
    context = {
        "shop": shop,
        "sme": sme,
        "page": page,
        "badges": queries.sme_badges(sme),
        "whatsapp": queries.whatsapp_link(
            sme, _("Hello %(sme)s, I saw your business on Sentra UMKM.") % {"sme": sme.name}
        ),
        "qr_svg": qr_svg(url, _("QR code of this page")),
        "canonical": url,
        "jsonld": _business_data(sme, shop, url),
    }
    return render(request, "catalog/public/storefront.html", context)


def _business_data(sme, shop, url: str) -> dict:
    """schema.org LocalBusiness: the public facts only (no owner, no phone unless published)."""
    data = {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "name": sme.brand or sme.name,
        "url": url,
        "address": {
            "@type": "PostalAddress",
            "addressLocality": sme.kecamatan.name if sme.kecamatan_id else "",
            "addressRegion": "Kabupaten Bekasi",
            "addressCountry": "ID",
        },
    }
    if shop.tagline:
        data["description"] = shop.tagline
    return data


def get_public_product(shop_slug: str, product_slug: str):
    """(storefront, product), or a redirect for an old product slug or storefront address."""
    shop = get_public_storefront(shop_slug)
    if shop is None:
        return None, None
    products = queries.public_products().filter(sme=shop.sme)
    product = products.filter(slug=product_slug).first()
    if product is None:
        product = products.filter(old_slugs__slug=product_slug).first()
        if product is None:
            raise Http404
        return shop, redirect("catalog:product", shop.slug, product.slug, permanent=True)
    return shop, product


@public
@cached_page
def product_detail(request, slug, product_slug):
    shop, product = get_public_product(slug, product_slug)
    if shop is None:
        return _redirect_storefront(slug, f"{product_slug}/")
    if not isinstance(product, Product):
        return product
    sme = shop.sme
    url = absolute(request, request.path)
    product_photos = list(product.photos.all())
    permits = queries.badges_for([sme.pk])
    message = _("Hello %(sme)s, I am interested in %(product)s (%(url)s).") % {
        "sme": sme.name,
        "product": product.name,
        "url": url,
    }
    context = {
        "shop": shop,
        "sme": sme,
        "product": product,
        "photos": product_photos,
        "badges": queries.sme_badges(sme, permits=permits),
        "whatsapp": queries.whatsapp_link(sme, message),
        "qr_svg": qr_svg(url, _("QR code of this product page")),
        "canonical": url,
        "og_image": absolute(request, product_photos[0].image.url) if product_photos else "",
        "jsonld": _product_data(request, product, sme, shop, url, product_photos),
        "more": cards(
            queries.public_products()
            .filter(sme=sme)
            .exclude(pk=product.pk)
            .order_by("-curated_at", "-id")
            .values_list("pk", flat=True)[:4],
            shop_slug=shop.slug,
            badges=permits,
        ),
    }
    return render(request, "catalog/public/product.html", context)


def _product_data(request, product, sme, shop, url: str, photos) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "sku": product.code,
        "category": product.category.name,
        "url": url,
        "brand": {"@type": "Brand", "name": sme.brand or sme.name},
        "offers": {
            "@type": "Offer",
            "price": str(product.price),
            "priceCurrency": "IDR",
            "availability": "https://schema.org/OutOfStock"
            if product.stock_status == Product.StockStatus.OUT_OF_STOCK
            else "https://schema.org/InStock",
            "seller": {
                "@type": "LocalBusiness",
                "name": sme.brand or sme.name,
                "url": absolute(request, reverse("catalog:storefront", args=[shop.slug])),
            },
        },
    }
    if product.description:
        data["description"] = product.description
    if product.barcode:
        data["gtin"] = product.barcode
    if photos:
        data["image"] = [absolute(request, p.image.url) for p in photos]
    return data


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


@public
def inquiry(request, slug, product_slug=None):
    """The inquiry form: for a product, or for the business as a whole."""
    shop = get_public_storefront(slug)
    if shop is None:
        raise Http404
    product = None
    if product_slug:
        product = queries.public_products().filter(sme=shop.sme, slug=product_slug).first()
        if product is None:
            raise Http404
    form = InquiryForm(request.POST or None, initial={"quantity": product.min_order if product else None})
    if request.method == "POST":
        if form.is_bot:
            # Looks sent to the bot; nothing is stored.
            return redirect("catalog:inquiry_sent", shop.slug)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
            try:
                services.send_inquiry(
                    sme=shop.sme, product=product, data=data, sender=_client_address(request),
                    language=translation.get_language(),
                )  # fmt: skip
            except services.CatalogError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("catalog:inquiry_sent", shop.slug)
    return render(
        request,
        "catalog/public/inquiry.html",
        {"shop": shop, "sme": shop.sme, "product": product, "form": form},
    )


@public
def inquiry_sent(request, slug):
    shop = get_public_storefront(slug)
    if shop is None:
        raise Http404
    return render(request, "catalog/public/inquiry_sent.html", {"shop": shop, "sme": shop.sme})


@public
@require_GET
def storefront_qr(request, slug, product_slug=None):
    """A PNG of the QR code of a public page, for printing."""
    shop = get_public_storefront(slug)
    if shop is None:
        raise Http404
    if product_slug:
        product = get_object_or_404(queries.public_products().filter(sme=shop.sme), slug=product_slug)
        target = reverse("catalog:product", args=[shop.slug, product.slug])
    else:
        target = reverse("catalog:storefront", args=[shop.slug])
    response = HttpResponse(qr.png(absolute(request, target)), content_type="image/png")
    response["Content-Disposition"] = (
        f'inline; filename="qr-{shop.slug}{"-" + product_slug if product_slug else ""}.png"'
    )
    return response


@public
@cached_page
def events(request):
    today = timezone.localdate()
    coming = (
        PromotionEvent.objects.filter(is_public=True, ends_on__gte=today)
        .annotate(
            exhibitors=Count("participants", filter=~Q(participants__status=EventParticipant.Status.DECLINED))
        )
        .order_by("starts_on", "id")
    )
    past = (
        PromotionEvent.objects.filter(is_public=True, ends_on__lt=today)
        .annotate(
            exhibitors=Count("participants", filter=~Q(participants__status=EventParticipant.Status.DECLINED))
        )
        .order_by("-starts_on", "-id")[:12]
    )
    return render(request, "catalog/public/events.html", {"coming": coming, "past": past})


@public
@cached_page
def event_detail(request, slug):
    event = get_object_or_404(PromotionEvent.objects.select_related("partner"), slug=slug, is_public=True)
    exhibitors = (
        event.participants.exclude(status=EventParticipant.Status.DECLINED)
        .filter(sme__status="verified", sme__merged_into__isnull=True)
        .select_related("sme", "sme__kecamatan", "sme__storefront")
        .order_by("sme__name")
    )
    return render(request, "catalog/public/event.html", {"event": event, "exhibitors": exhibitors})


@public
@require_GET
def photo(request, path):
    """Product photos (public by nature). A production proxy serves /media/ itself (README)."""
    from django.conf import settings
    from django.views.static import serve

    return serve(request, path, document_root=settings.MEDIA_ROOT / "catalog")


@public
@cache_control(max_age=3600)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /accounts/",
        "Disallow: /admin/",
        "Disallow: /my/",
        "Disallow: /registry/",
        "Disallow: /catalog/",
        "Disallow: /imports/",
        f"Sitemap: {absolute(request, reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
