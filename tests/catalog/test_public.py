"""The public site: pages in both languages, filters, slugs that survive renames, no personal data."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import CANARY_NIK, CANARY_PHONE
from sentra.catalog import services
from sentra.catalog.models import Category
from tests.registry.factories import PermitFactory, SmeFactory

from .factories import ProductFactory


def url(name, *args, language="id"):
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def shop_product(db):
    sme = SmeFactory(
        owner__nik=CANARY_NIK, owner__phone=CANARY_PHONE, phone=CANARY_PHONE, whatsapp=CANARY_PHONE
    )
    product = ProductFactory(
        sme=sme, name_id="Keripik Tempe Original", name_en="Original Tempeh Chips", price=15000
    )
    return product


def product_url(product, language="id"):
    return url("catalog:product", product.sme.storefront.slug, product.slug, language=language)


def test_the_public_pages_open_in_the_language_of_their_address(client, shop_product):
    html_id = client.get(product_url(shop_product)).content.decode()
    html_en = client.get(product_url(shop_product, "en")).content.decode()
    assert '<html lang="id">' in html_id and "Keripik Tempe Original" in html_id and "Rp 15.000" in html_id
    assert '<html lang="en">' in html_en and "Original Tempeh Chips" in html_en and "IDR 15,000" in html_en
    assert product_url(shop_product).startswith("/id/umkm/") and product_url(shop_product, "en").startswith(
        "/en/umkm/"
    )


def test_a_visitor_at_the_root_sees_the_public_home(client, shop_product):
    response = client.get("/")
    assert response.status_code == 200 and "Keripik Tempe Original" in response.content.decode()


@pytest.mark.parametrize("name", ["catalog:home", "catalog:catalogue", "catalog:events"])
def test_the_language_links_lead_to_the_same_page_in_the_other_language(client, db, name):
    html = client.get(url(name)).content.decode()
    assert f'href="{url(name, language="en")}"' in html


def test_public_pages_never_show_the_owners_nik_or_phone(client, shop_product):
    services.ensure_storefront(shop_product.sme)
    pages = [
        url("catalog:home"),
        url("catalog:catalogue") + "?q=keripik",
        url("catalog:storefront", shop_product.sme.storefront.slug),
        product_url(shop_product),
        url("catalog:product_inquiry", shop_product.sme.storefront.slug, shop_product.slug),
        url("catalog:events"),
        "/sitemap.xml",
        "/sitemap-products.xml",
        "/robots.txt",
    ]
    digits = CANARY_PHONE.lstrip("+")
    for page in pages:
        html = client.get(page).content.decode()
        assert CANARY_NIK not in html and digits not in html and digits[2:] not in html, page


def test_the_whatsapp_button_appears_only_when_the_owner_publishes_the_number(
    client, shop_product, sme_owner
):
    shop = shop_product.sme.storefront
    assert "wa.me" not in client.get(product_url(shop_product)).content.decode()
    services.update_storefront(storefront=shop, actor=sme_owner, data={"publish_whatsapp": True})
    html = client.get(product_url(shop_product)).content.decode()
    link = re.search(r'href="(https://wa\.me/[^"]+)"', html).group(1)
    assert link.startswith("https://wa.me/6281299990000?text=")
    assert "Keripik%20Tempe%20Original" in link


@pytest.mark.parametrize("days_left, listed", [(-1, False), (0, True), (None, True)])
def test_the_certificate_filter_lists_a_business_exactly_while_its_badge_shows(
    client, shop_product, days_left, listed
):
    import datetime as dt

    from django.utils import timezone

    expires = None if days_left is None else timezone.localdate() + dt.timedelta(days=days_left)
    PermitFactory(sme=shop_product.sme, kind="halal", expires_on=expires)
    badge = 'badge badge-cert me-1">Halal<' in client.get(product_url(shop_product)).content.decode()
    found = (
        "Keripik Tempe Original"
        in client.get(url("catalog:catalogue") + "?certificate=halal").content.decode()
    )
    assert badge is found is listed


def test_certificate_badges_show_only_while_valid(client, shop_product):
    import datetime as dt

    PermitFactory(sme=shop_product.sme, kind="halal", expires_on=dt.date.today() + dt.timedelta(days=30))
    PermitFactory(
        sme=shop_product.sme,
        kind="pirt",
        number="P-IRT No. 206321601234526",
        expires_on=dt.date.today() - dt.timedelta(days=1),
    )
    html = client.get(product_url(shop_product)).content.decode()
    assert "Halal" in html and "P-IRT" not in html
    halal = url("catalog:catalogue") + "?certificate=halal"
    pirt = url("catalog:catalogue") + "?certificate=pirt"
    assert "Keripik Tempe Original" in client.get(halal).content.decode()
    assert "Keripik Tempe Original" not in client.get(pirt).content.decode()


def test_the_catalogue_filters_by_category_price_and_export_readiness(client, db):
    snacks, batik = Category.objects.get(slug="makanan-ringan"), Category.objects.get(slug="batik-dan-kain")
    ProductFactory(name_id="Rempeyek Kacang", category=snacks, price=12000)
    ProductFactory(name_id="Batik Cap Bekasi", category=batik, price=250000, export_ready=True)
    catalogue = url("catalog:catalogue")

    def names(query):
        return client.get(catalogue + query).content.decode()

    assert "Rempeyek" in names("?category=makanan-ringan") and "Batik Cap" not in names(
        "?category=makanan-ringan"
    )
    assert "Batik Cap" in names("?price=100-500") and "Rempeyek" not in names("?price=100-500")
    assert "Batik Cap" in names("?export_ready=on") and "Rempeyek" not in names("?export_ready=on")
    html = names("?sort=-price")
    assert html.index("Batik Cap") < html.index("Rempeyek")


def test_a_misspelled_search_offers_did_you_mean(client, shop_product):
    html = client.get(url("catalog:catalogue") + "?q=kripik").content.decode()
    assert "keripik" in html and "q=keripik" in html


@pytest.mark.parametrize("query", ["x" * 500, "!@#$%^&*()", "<script>alert(1)</script>", "1 OR 1=1"])
def test_bad_search_input_answers_without_error(client, shop_product, query):
    response = client.get(
        url("catalog:catalogue"), {"q": query, "page": "abc", "price": "lots", "kecamatan": "x"}
    )
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_html_in_a_description_is_shown_as_text(client, db):
    product = ProductFactory(description_id='<img src=x onerror="alert(1)">Renyah')
    html = client.get(product_url(product)).content.decode()
    assert '<img src=x onerror="alert(1)">' not in html and "&lt;img src=x" in html


def test_a_renamed_product_keeps_its_old_address_as_a_redirect(client, shop_product, admin_user):
    old = product_url(shop_product)
    services.update_product(product=shop_product, actor=admin_user, data={"name_id": "Keripik Tempe Pedas"})
    shop_product.refresh_from_db()
    assert shop_product.slug == "keripik-tempe-pedas"
    response = client.get(old)
    assert response.status_code == 301 and response.url == product_url(shop_product)


def test_a_moved_storefront_keeps_its_old_address_as_a_redirect(client, shop_product, admin_user):
    shop = shop_product.sme.storefront
    old_shop, old_product = url("catalog:storefront", shop.slug), product_url(shop_product)
    services.update_storefront(storefront=shop, actor=admin_user, data={"slug": "keripik-mbak-yuni"})
    assert client.get(old_shop).url == url("catalog:storefront", "keripik-mbak-yuni")
    assert (
        client.get(old_product).url
        == url("catalog:storefront", "keripik-mbak-yuni") + shop_product.slug + "/"
    )


def test_a_merged_smes_storefront_redirects_to_the_kept_business(client, shop_product, admin_user):
    from sentra.registry.duplicates import merge_smes

    keep = SmeFactory(kecamatan=shop_product.sme.kecamatan)
    kept_shop = services.ensure_storefront(keep)
    old = url("catalog:storefront", shop_product.sme.storefront.slug)
    merge_smes(keep=keep, merge=shop_product.sme, officer=admin_user, reason="Sama")
    assert client.get(old).url == url("catalog:storefront", kept_shop.slug)


def test_unpublished_products_and_unverified_smes_answer_404(client, db):
    draft = ProductFactory(draft=True)
    assert client.get(product_url(draft)).status_code == 404
    hidden = ProductFactory(sme=SmeFactory(submitted=True))
    assert client.get(product_url(hidden)).status_code == 404
    assert client.get(url("catalog:storefront", hidden.sme.storefront.slug)).status_code == 404


def test_product_pages_carry_open_graph_and_schema_org_data(client, shop_product):
    html = client.get(product_url(shop_product, "en")).content.decode()
    assert '<meta property="og:title" content="Original Tempeh Chips">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert (
        data["@type"] == "Product"
        and data["offers"]["price"] == "15000"
        and data["offers"]["priceCurrency"] == "IDR"
    )
    shop_html = client.get(url("catalog:storefront", shop_product.sme.storefront.slug)).content.decode()
    assert '"@type": "LocalBusiness"' in shop_html


def test_the_sitemap_lists_public_products_in_both_languages_and_robots_points_to_it(client, shop_product):
    draft = ProductFactory(draft=True)
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-products.xml" in index
    products = client.get("/sitemap-products.xml").content.decode()
    assert product_url(shop_product) in products and product_url(shop_product, "en") in products
    assert draft.slug not in products
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots and "Disallow: /my/" in robots


def test_the_catalogue_page_costs_the_same_queries_for_few_or_many_products(client, db):
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        ProductFactory(name_id=f"Keripik Pisang {n}")
    catalogue = url("catalog:catalogue") + "?q=keripik"
    client.get(url("catalog:catalogue"))  # reads the categories and kecamatan once for the process
    # Every card drawn afresh (none kept by catalog.cards): the whole cost of a page.
    caches["cards"].clear()
    with CaptureQueriesContext(connection) as few:
        client.get(catalogue)
    for n in range(20):
        ProductFactory(name_id=f"Keripik Singkong {n}")
    caches["cards"].clear()
    with CaptureQueriesContext(connection) as many:
        client.get(catalogue)
    assert len(many) == len(few)
    caches["cards"].clear()
    with CaptureQueriesContext(connection) as home_few:
        client.get(url("catalog:home"))
    ProductFactory(featured=True)
    caches["cards"].clear()
    with CaptureQueriesContext(connection) as home_many:
        client.get(url("catalog:home"))
    assert len(home_many) == len(home_few)


def test_the_product_qr_code_encodes_the_public_address(client, shop_product):
    import io

    from PIL import Image

    response = client.get(url("catalog:product_qr", shop_product.sme.storefront.slug, shop_product.slug))
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.width > 100


def test_a_visitor_gets_the_cached_page_until_the_catalogue_changes(client, shop_product, admin_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = product_url(shop_product)
    client.get(page)
    with CaptureQueriesContext(connection) as again:
        assert "Keripik Tempe Original" in client.get(page).content.decode()
    assert len(again) == 0
    services.update_product(product=shop_product, actor=admin_user, data={"price": 17000})
    assert "Rp 17.000" in client.get(page).content.decode()


def test_a_signed_in_user_never_gets_a_page_cached_for_visitors(client, shop_product, sme_owner):
    page = product_url(shop_product)
    client.get(page)
    client.force_login(sme_owner)
    html = client.get(page).content.decode()
    assert sme_owner.first_name in html and "Keluar" in html


def test_an_address_with_parameters_the_pages_do_not_read_is_never_cached(client, shop_product):
    from django.core.cache import caches

    client.get(url("catalog:catalogue") + "?q=keripik&page=1")
    client.get(url("catalog:catalogue") + "?q=keripik&nocache=123")
    cache = caches["public_pages"]
    # The one page read: its entry, and its latest copy (a list page, page_cache.py).
    assert len(cache._list_cache_files()) == 2


@pytest.mark.parametrize(
    "path, most",
    [
        # kecamatan and categories (once per process), a capped count, the page's ids, their
        # storefronts, and for the cards not kept yet (catalog.cards): products, badges, thumbnails
        ("", 8),
        ("?q=keripik", 7),  # the search (window of matches joined to the public products) replaces the count
        ("?q=keripik&sort=price", 7),
        ("?category=makanan-ringan&price=lt25", 8),
    ],
)
def test_catalogue_and_search_pages_cost_a_fixed_number_of_queries(
    client, db, django_assert_max_num_queries, path, most
):
    snacks = Category.objects.get(slug="makanan-ringan")
    for n in range(30):
        ProductFactory(name_id=f"Keripik Pisang {n}", price=10000 + n, category=snacks)
    with django_assert_max_num_queries(most):
        response = client.get(url("catalog:catalogue") + path + ("&" if "?" in path else "?") + "fresh=1")
    assert response.status_code == 200 and response.content.count(b"product-card") == 24


def test_a_product_page_costs_a_fixed_number_of_queries(client, db, django_assert_max_num_queries):
    sme = SmeFactory()
    PermitFactory(sme=sme, kind="halal")
    products = [ProductFactory(sme=sme, name_id=f"Dodol {n}") for n in range(8)]
    # storefront, product, its photos, badges (once, for the page and the other products), the
    # others' ids, and for their cards (not kept yet: catalog.cards) products and thumbnails
    with django_assert_max_num_queries(7):
        response = client.get(product_url(products[0]) + "?fresh=1")
    body = response.content.decode()
    assert body.count("product-card") == 4
    # The product's own badge, and the SME's badge on each of the four other products.
    assert body.count('badge badge-cert me-1">Halal<') == 5


def test_the_filters_fold_away_on_a_phone_unless_one_is_in_use(client, db):
    ProductFactory()
    page = client.get(url("catalog:catalogue")).content.decode()
    assert 'class="collapse d-md-block" id="catalog-filter-panel"' in page
    assert 'aria-controls="catalog-filter-panel" aria-expanded="false"' in page
    filtered = client.get(url("catalog:catalogue") + "?category=makanan-ringan").content.decode()
    assert 'class="collapse d-md-block show" id="catalog-filter-panel"' in filtered
    assert '<option value="makanan-ringan" selected>' in filtered


def test_a_change_to_a_product_its_sme_a_permit_or_a_curation_shows_on_cached_pages_at_once(
    client, shop_product, admin_user, officer, kecamatan
):
    """Every kind of change a card shows renews the cached pages for every worker (page_cache.py)."""
    from sentra.registry import services as registry_services
    from tests.catalog.factories import ProductFactory as Factory

    pages = [url("catalog:catalogue"), url("catalog:catalogue") + "?q=keripik", url("catalog:home")]

    def seen() -> list[str]:
        shown = [client.get(page) for page in pages]
        assert all(r.status_code == 200 for r in shown)
        return [r.content.decode() for r in shown]

    before = seen()
    assert all("Keripik Tempe Original" in html and 'badge-cert me-1">Halal' not in html for html in before)
    assert all(client.get(page)["X-Sentra-Page-Cache"] == "hit" for page in pages)

    sme = shop_product.sme
    registry_services.record_permit(sme=sme, actor=admin_user, kind="halal", number="ID32160000777")
    assert all('badge-cert me-1">Halal' in html for html in seen())

    registry_services.update_sme(sme=sme, actor=admin_user, data={"brand": "Tempe Mbak Sri"})
    assert all("Tempe Mbak Sri" in html for html in seen())

    waiting = Factory(pending=True, sme=sme, name_id="Keripik Singkong Balado")
    assert not any("Keripik Singkong Balado" in html for html in seen())
    services.approve_product(product=waiting, officer=admin_user)
    assert all("Keripik Singkong Balado" in html for html in seen())
