"""The public page cache renews exactly the pages a change shows (sentra/catalog/page_cache.py).

Each test caches a set of pages, makes one kind of change, and reads the X-Sentra-Page-Cache
header of each page again: "miss" = rendered afresh (stale copy dropped), "hit" = kept.
"""

import datetime
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from sentra.catalog import page_cache, services
from sentra.catalog.models import Category, Product
from tests.registry.factories import SmeFactory

from .factories import ProductFactory
from .test_owner import jpeg_with_location


def url(name, *args, language="id"):
    with translation.override(language):
        return reverse(name, args=args)


def product_url(product, language="id"):
    return url("catalog:product", product.sme.storefront.slug, product.slug, language=language)


def storefront_url(product, language="id"):
    return url("catalog:storefront", product.sme.storefront.slug, language=language)


@pytest.fixture
def site(db):
    """Two SMEs with two products each, and the pages a visitor sees of them."""
    mine, other = SmeFactory(), SmeFactory()
    a1 = ProductFactory(sme=mine, name_id="Keripik Tempe Original", price=15000)
    a2 = ProductFactory(sme=mine, name_id="Sambal Bawang Botol")
    b1 = ProductFactory(sme=other, name_id="Dodol Betawi Durian")
    ProductFactory(sme=other, name_id="Tas Anyaman Pandan")
    pages = {
        "product": product_url(a1),
        "product en": product_url(a1, "en"),
        "sibling": product_url(a2),
        "storefront": storefront_url(a1),
        "other product": product_url(b1),
        "other storefront": storefront_url(b1),
        "home": url("catalog:home"),
        "catalogue": url("catalog:catalogue"),
        "search": url("catalog:catalogue") + "?q=keripik",
        "events": url("catalog:events"),
    }
    return {"mine": mine, "other": other, "a1": a1, "a2": a2, "b1": b1, "pages": pages}


def states(client, pages) -> dict[str, str]:
    out = {}
    for name, path in pages.items():
        response = client.get(path)
        state = response.get(page_cache.STATUS_HEADER, "")
        out[name] = state if response.status_code == 200 else f"{response.status_code} {state}"
    return out


def cached(client, pages) -> None:
    for path in pages.values():
        client.get(path)
    assert set(states(client, pages).values()) == {"hit"}


MY_PAGES = {"product", "product en", "sibling", "storefront"}
LISTS = {"home", "catalogue", "search", "events"}
OTHERS = {"other product", "other storefront"}


def renewed(client, pages) -> set[str]:
    """The pages rendered afresh since the cache was filled (a second read of them is a hit again)."""
    seen = states(client, pages)
    return {name for name, state in seen.items() if state != "hit"}


def test_a_product_edit_renews_its_smes_pages_and_the_lists_only(client, site, admin_user):
    pages = site["pages"]
    cached(client, pages)
    services.update_product(product=site["a1"], actor=admin_user, data={"price": 17000})
    assert renewed(client, pages) == MY_PAGES | LISTS
    assert "Rp 17.000" in client.get(pages["product"]).content.decode()


def test_another_smes_product_edit_leaves_this_smes_pages_cached(client, site, admin_user):
    pages = site["pages"]
    cached(client, pages)
    services.update_product(product=site["b1"], actor=admin_user, data={"price": 31000})
    assert renewed(client, pages) == OTHERS | LISTS


def test_a_permit_renews_the_badges_on_its_smes_pages(client, site, admin_user):
    from sentra.registry import services as registry_services

    pages = site["pages"]
    cached(client, pages)
    assert 'badge-cert me-1">Halal' not in client.get(pages["product"]).content.decode()
    registry_services.record_permit(sme=site["mine"], actor=admin_user, kind="halal", number="ID32160000777")
    assert renewed(client, pages) == MY_PAGES | LISTS
    assert 'badge-cert me-1">Halal' in client.get(pages["product"]).content.decode()


def test_a_deactivated_sme_s_product_page_is_never_served_from_the_cache(client, site, officer):
    from sentra.registry import services as registry_services

    pages = site["pages"]
    cached(client, pages)
    registry_services.deactivate_sme(sme=site["mine"], officer=officer, reason="Tutup usaha")
    after = states(client, pages)
    assert after["product"] == after["storefront"] == after["sibling"] == "404 miss"
    assert {name for name in OTHERS if after[name] == "hit"} == OTHERS
    assert "Keripik Tempe Original" not in client.get(pages["catalogue"]).content.decode()


def test_a_withdrawn_product_is_never_reachable_through_its_own_page(client, site, admin_user):
    pages = site["pages"]
    cached(client, pages)
    services.withdraw_product(product=site["a1"], actor=admin_user, reason="Tidak diproduksi")
    assert client.get(pages["product"]).status_code == 404
    assert client.get(pages["product en"]).status_code == 404
    assert "Keripik Tempe Original" not in client.get(pages["storefront"]).content.decode()
    assert "Keripik Tempe Original" not in client.get(pages["search"]).content.decode()


def test_a_new_photo_renews_its_products_pages_not_other_smes(client, site, admin_user):
    pages = site["pages"]
    cached(client, pages)
    upload = SimpleUploadedFile("foto.jpg", jpeg_with_location(), content_type="image/jpeg")
    services.add_photo(product=site["a1"], actor=admin_user, upload=upload)
    assert renewed(client, pages) == MY_PAGES | LISTS


def test_a_renamed_storefront_s_old_address_stops_answering_with_its_cached_page(client, site, admin_user):
    pages = site["pages"]
    cached(client, pages)
    shop = site["mine"].storefront
    services.update_storefront(storefront=shop, actor=admin_user, data={"slug": "keripik-baru"})
    for name in ("product", "storefront", "sibling"):
        response = client.get(pages[name])
        assert response.status_code == 301 and "/umkm/keripik-baru/" in response["Location"]
    assert {name for name in OTHERS if states(client, {name: pages[name]})[name] == "hit"} == OTHERS


def test_a_category_or_event_change_renews_every_page(client, site, admin_user):
    pages = site["pages"]
    cached(client, pages)
    category = Category.objects.get(pk=site["a1"].category_id)
    category.name_id = "Camilan"
    category.save()
    assert renewed(client, pages) == set(pages)


def test_a_page_is_stale_if_its_scope_is_not_renewed(client, site, admin_user, monkeypatch):
    """The harness of these tests sees a stale page: with no stamps written, the old price stays."""
    monkeypatch.setattr(page_cache, "renew", lambda *args, **kwargs: {})
    pages = site["pages"]
    cached(client, pages)
    services.update_product(product=site["a1"], actor=admin_user, data={"price": 17000})
    assert renewed(client, pages) == set()
    assert "Rp 17.000" not in client.get(pages["product"]).content.decode()


@pytest.mark.parametrize(
    "path, scope",
    [
        ("/id/umkm/toko-sri/", "sme-toko-sri"),
        ("/en/umkm/toko-sri/keripik-tempe/", "sme-toko-sri"),
        ("/id/umkm/toko-sri/keripik-tempe/qr.png", "sme-toko-sri"),
        ("/id/", "lists"),
        ("/id/katalog/", "lists"),
        ("/en/events/pameran-2026/", "lists"),
        ("/id/umkm/../../etc/", "lists"),  # not a slug: no stamp file outside page-stamps
    ],
)
def test_a_page_s_scope_is_read_from_its_address(path, scope):
    assert page_cache.scope_of(path) == scope


def test_the_page_cache_counts_its_files_at_most_every_few_seconds(settings, tmp_path, monkeypatch):
    cache = page_cache.PageFileCache(str(tmp_path / "c"), {"OPTIONS": {"MAX_ENTRIES": 2}})
    listed = []
    original = cache._list_cache_files
    monkeypatch.setattr(cache, "_list_cache_files", lambda: listed.append(1) or original())
    for n in range(10):
        cache.set(f"k{n}", n)
    assert len(listed) == 1
    cache._culled_at -= page_cache.PageFileCache.CULL_SECONDS
    cache.set("k10", 10)
    assert len(listed) == 2 and len(original()) <= 11


@pytest.fixture
def another_worker_rendering(monkeypatch):
    """Every page being rendered afresh by another worker: cache.add of the marker fails."""
    monkeypatch.setattr(page_cache.PageFileCache, "add", lambda self, *args, **kwargs: False)


def test_right_after_a_change_a_list_page_may_be_its_copy_from_before_never_a_product_page(
    client, site, admin_user, another_worker_rendering
):
    pages = site["pages"]
    cached(client, pages)
    services.update_product(product=site["a1"], actor=admin_user, data={"price": 17000})
    seen = states(client, pages)
    assert {name for name, state in seen.items() if state == "stale"} == LISTS
    assert {seen[name] for name in MY_PAGES} == {"miss"}
    assert "Rp 17.000" in client.get(pages["product"]).content.decode()
    assert "Rp 15.000" in client.get(pages["catalogue"]).content.decode()  # the copy, a moment old


def test_a_withdrawn_products_own_page_is_gone_at_once_even_while_lists_are_stale(
    client, site, admin_user, another_worker_rendering
):
    pages = site["pages"]
    cached(client, pages)
    services.withdraw_product(product=site["a1"], actor=admin_user, reason="Tidak diproduksi")
    assert client.get(pages["product"]).status_code == 404
    assert client.get(pages["catalogue"])[page_cache.STATUS_HEADER] == "stale"


def test_a_list_page_is_not_served_stale_once_the_bound_has_passed(
    client, site, admin_user, another_worker_rendering, monkeypatch
):
    pages = site["pages"]
    cached(client, pages)
    services.update_product(product=site["a1"], actor=admin_user, data={"price": 17000})
    monkeypatch.setattr(page_cache, "STALE_SECONDS", -1)  # the change is older than the bound
    response = client.get(pages["catalogue"])
    assert response[page_cache.STATUS_HEADER] == "miss" and "Rp 17.000" in response.content.decode()


def test_a_list_page_is_stale_at_most_the_bound_after_the_first_change_however_many_follow(
    client, site, admin_user, another_worker_rendering, monkeypatch
):
    pages = site["pages"]
    cached(client, pages)
    clock = [1_000_000.0]
    monkeypatch.setattr(page_cache.time, "time", lambda: clock[0])
    services.update_product(product=site["a1"], actor=admin_user, data={"price": 17000})
    clock[0] += page_cache.STALE_SECONDS - 1
    services.update_product(product=site["a1"], actor=admin_user, data={"price": 18000})
    assert client.get(pages["catalogue"])[page_cache.STATUS_HEADER] == "stale"  # 4 s out of date
    clock[0] += 2  # the first change is now older than the bound, the second is not
    response = client.get(pages["catalogue"])
    assert response[page_cache.STATUS_HEADER] == "miss" and "Rp 18.000" in response.content.decode()


def test_a_list_page_is_never_served_stale_after_a_global_change(
    client, site, admin_user, another_worker_rendering
):
    pages = site["pages"]
    cached(client, pages)
    category = Category.objects.get(pk=site["a1"].category_id)
    category.name_id = "Camilan"
    category.save()
    assert set(states(client, pages).values()) == {"miss"}


def test_a_stamp_keeps_the_tokens_a_stale_copy_may_still_be_served_under(db, settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    clock = [1_000_000.0]
    monkeypatch.setattr(page_cache.time, "time", lambda: clock[0])
    before = page_cache.token_of(page_cache.stamp_of("lists"))
    page_cache.renew({"lists"})
    first = page_cache.token_of(page_cache.stamp_of("lists"))
    clock[0] += 1
    page_cache.renew({"lists"})  # the same change at its commit, or another one
    stamp = page_cache.stamp_of("lists")
    assert page_cache.token_of(stamp) not in (before, first)
    assert page_cache.changed_since(stamp, before) == 1_000_000.0  # when the first change after it came
    assert page_cache.changed_since(stamp, first) == 1_000_001.0
    assert page_cache.changed_since(stamp, "never-written") is None
    clock[0] += page_cache.STALE_SECONDS + 1
    page_cache.renew({"lists"})
    # `before` went out of use (the change after it is past the bound); `first` is kept as the
    # token before the stamp's last one.
    stamp = page_cache.stamp_of("lists")
    assert page_cache.changed_since(stamp, before) is None
    assert [token for token, _at in page_cache.history(stamp)][1] != first


def test_the_page_cache_culls_the_pages_written_longest_ago(tmp_path):
    cache = page_cache.PageFileCache(
        str(tmp_path / "c"), {"OPTIONS": {"MAX_ENTRIES": 6, "CULL_FREQUENCY": 2}}
    )
    for n in range(6):
        cache.set(f"k{n}", n)
        name = cache._key_to_file(f"k{n}")
        os.utime(name, (1_000_000 + n, 1_000_000 + n))
    cache._culled_at -= page_cache.PageFileCache.CULL_SECONDS
    cache.set("k6", 6)
    assert [cache.get(f"k{n}") for n in range(7)] == [None, None, None, 3, 4, 5, 6]


@pytest.fixture
def drawn(monkeypatch):
    """The products whose card is drawn (not taken as kept) from now on."""
    from sentra.catalog import cards

    found = []
    draw = cards.draw
    monkeypatch.setattr(cards, "draw", lambda product: found.append(product.name_id) or draw(product))
    return found


def test_a_list_page_rendered_again_after_an_edit_draws_again_only_that_smes_cards(
    client, site, admin_user, drawn
):
    pages = site["pages"]
    cached(client, pages)
    assert drawn  # the first renders drew every card
    drawn.clear()
    services.update_product(product=site["a1"], actor=admin_user, data={"price": 17000})
    page = client.get(pages["catalogue"]).content.decode()
    assert "Rp 17.000" in page and "Dodol Betawi Durian" in page
    # Its SME's stamp was renewed: its two cards are drawn again; the other SME's are kept.
    assert sorted(drawn) == ["Keripik Tempe Original", "Sambal Bawang Botol"]


def test_a_kept_card_is_of_its_language_and_day(client, site, drawn, monkeypatch):
    from sentra.catalog import queries

    catalogue = site["pages"]["catalogue"]
    client.get(catalogue)
    drawn.clear()
    client.get(catalogue + "?page=1")  # another address, the same cards: all kept
    assert drawn == []
    client.get(url("catalog:catalogue", language="en"))
    assert len(drawn) == 4
    drawn.clear()
    tomorrow = queries.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(queries, "today", lambda: tomorrow)  # a permit may have expired overnight
    client.get(catalogue + "?page=1&sort=newest")
    assert len(drawn) == 4


# --- what a list holds: kept across edits that change only its cards (page_cache.kept) -------------


def _queries_of(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        response = client.get(path)
    assert response.status_code == 200
    return len(seen), response.content.decode()


@pytest.mark.parametrize(
    "data, renewed_scopes",
    [
        ({"stock_status": "out_of_stock"}, set()),
        ({"min_order": 12}, set()),
        ({"price": 17000}, {page_cache.RESULTS_PRICE}),
        ({"name_id": "Keripik Tempe Pedas"}, {page_cache.RESULTS_TEXT}),
        ({"export_ready": True}, page_cache.ALL_RESULTS),
        ({"category": "batik-dan-kain"}, page_cache.ALL_RESULTS),
    ],
)
def test_a_product_edit_renews_the_results_of_the_lists_its_change_can_move(
    site, admin_user, monkeypatch, data, renewed_scopes
):
    renewed_now = []
    monkeypatch.setattr(page_cache, "renew", lambda scopes: renewed_now.append(set(scopes)))
    if "category" in data:
        data = {"category": Category.objects.get(slug=data["category"])}
    services.update_product(product=Product.objects.get(pk=site["a1"].pk), actor=admin_user, data=data)
    assert renewed_now, "no stamp written"
    assert set().union(*renewed_now) & page_cache.ALL_RESULTS == set(renewed_scopes)
    # The card shows the change whatever it was: the lists' pages and the SME's are renewed.
    assert {page_cache.LISTS, page_cache.storefront_scope(site["mine"].storefront.slug)} <= renewed_now[0]


def test_a_new_a_withdrawn_or_a_deleted_product_renews_every_result(site, admin_user, monkeypatch):
    renewed_now = []
    monkeypatch.setattr(page_cache, "renew", lambda scopes: renewed_now.append(set(scopes)))
    product = ProductFactory(sme=site["mine"])
    assert renewed_now[-1] >= page_cache.ALL_RESULTS
    renewed_now.clear()
    services.withdraw_product(product=site["a2"], actor=admin_user, reason="Tidak diproduksi")
    assert set().union(*renewed_now) >= page_cache.ALL_RESULTS
    renewed_now.clear()
    Product.objects.get(pk=product.pk).delete()
    assert renewed_now[-1] >= page_cache.ALL_RESULTS


def test_after_a_price_edit_the_catalogue_shows_the_new_price_without_reading_its_list_again(
    client, site, admin_user
):
    catalogue = site["pages"]["catalogue"]
    first, _html = _queries_of(client, catalogue)
    services.update_product(product=site["a1"], actor=admin_user, data={"price": 17123})
    again, html = _queries_of(client, catalogue)
    assert "Rp 17.123" in html
    # Neither the count nor the page's ids are read again; the edited SME's cards are drawn again.
    assert again < first
    assert html.count("product-card") == 4


def test_after_a_price_edit_a_list_sorted_by_price_is_read_again_in_its_new_order(client, site, admin_user):
    by_price = site["pages"]["catalogue"] + "?sort=price"
    for product, price in zip(Product.objects.order_by("pk"), (1000, 2000, 3000, 4000), strict=True):
        services.update_product(product=product, actor=admin_user, data={"price": price})
    html = client.get(by_price).content.decode()
    assert html.index("Keripik Tempe Original") < html.index("Tas Anyaman Pandan")
    services.update_product(product=site["a1"], actor=admin_user, data={"price": 9000})
    html = client.get(by_price).content.decode()
    assert html.index("Tas Anyaman Pandan") < html.index("Keripik Tempe Original")


def test_after_a_price_edit_a_search_sorted_by_price_is_in_its_new_order_without_ranking_again(
    client, site, admin_user
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ProductFactory(sme=site["other"], name_id="Keripik Singkong Balado", price=5000)
    by_price = site["pages"]["search"] + "&sort=price"
    html = client.get(by_price).content.decode()
    assert html.index("Keripik Singkong Balado") < html.index("Keripik Tempe Original")
    services.update_product(product=site["a1"], actor=admin_user, data={"price": 1000})
    with CaptureQueriesContext(connection) as seen:
        html = client.get(by_price).content.decode()
    assert html.index("Keripik Tempe Original") < html.index("Keripik Singkong Balado")
    # What the search finds is kept across a price edit: its ranked window is not read again.
    assert not [q for q in seen.captured_queries if "WITH w AS" in q["sql"]]


def test_a_withdrawn_product_leaves_the_catalogue_and_its_count_at_once(client, site, admin_user):
    catalogue = site["pages"]["catalogue"]
    assert "4 produk" in client.get(catalogue).content.decode()
    services.withdraw_product(product=site["a1"], actor=admin_user, reason="Tidak diproduksi")
    html = client.get(catalogue).content.decode()
    assert "Keripik Tempe Original" not in html and "3 produk" in html


def test_a_renamed_product_is_found_by_its_new_name_and_not_its_old(client, site, admin_user):
    # Made-up words: the factories' SME names and descriptions hold none of them.
    product = ProductFactory(sme=site["other"], name_id="Wajik Zarkon")
    search = site["pages"]["catalogue"] + "?q=zarkon"
    assert "Wajik Zarkon" in client.get(search).content.decode()
    services.update_product(product=product, actor=admin_user, data={"name_id": "Wajik Quorvex"})
    assert "Wajik Quorvex" not in client.get(search).content.decode()
    assert "Wajik Quorvex" in client.get(site["pages"]["catalogue"] + "?q=quorvex").content.decode()


def test_what_a_list_keeps_is_never_read_across_a_change_of_its_format(site, monkeypatch):
    assert page_cache.kept("probe", {page_cache.RESULTS}, lambda: [1, 2]) == [1, 2]
    assert page_cache.kept("probe", {page_cache.RESULTS}, lambda: [3]) == [1, 2]  # kept
    monkeypatch.setattr(page_cache, "KEPT_FORMAT", page_cache.KEPT_FORMAT + 1)
    assert page_cache.kept("probe", {page_cache.RESULTS}, lambda: [3]) == [3]


def test_what_a_list_keeps_is_read_again_the_next_day(site, monkeypatch):
    """A permit's end leaves the certificate filter's list without a signal: a day bounds it."""
    today = datetime.date(2026, 12, 3)
    monkeypatch.setattr(page_cache.timezone, "localdate", lambda: today)
    assert page_cache.kept("probe", {page_cache.RESULTS}, lambda: [1]) == [1]
    assert page_cache.kept("probe", {page_cache.RESULTS}, lambda: [2]) == [1]
    today += datetime.timedelta(days=1)
    assert page_cache.kept("probe", {page_cache.RESULTS}, lambda: [2]) == [2]
