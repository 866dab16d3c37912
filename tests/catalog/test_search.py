"""Search recall and ranking on a fixed list of Indonesian and English queries, and "did you mean"."""

import pytest

from sentra.catalog import search
from sentra.catalog.models import Category, Product
from sentra.registry.services import deactivate_sme

from .factories import ProductFactory

CATALOGUE = {
    "keripik": (
        "Keripiknya Bu Siti Pedas",
        "Spicy Cassava Chips",
        "makanan-ringan",
        "Keripik singkong renyah.",
    ),
    "batik": (
        "Kain Membatik Tulis Motif Bekasi",
        "Hand-drawn Batik Cloth",
        "batik-dan-kain",
        "Dibatik tangan.",
    ),
    "kopi": ("Kopi Robusta Bubuk", "Ground Robusta Coffee", "minuman", "Kopi dari Bojongmangu."),
    "sambal": ("Sambal Bawang Pedas", "Shallot Chili Sauce", "makanan-olahan", "Sambal tanpa pengawet."),
    "tas": ("Tas Anyaman Pandan", "Woven Pandan Bag", "kerajinan-tangan", "Dianyam oleh ibu-ibu."),
    "dodol": ("Dodol Betawi Durian", "Betawi Durian Dodol", "kue-dan-roti", "Dodol legit khas Betawi."),
    "cafe": ("Café Susu Gula Aren", "Palm Sugar Milk Coffee", "minuman", "Es kopi susu."),
}


@pytest.fixture
def catalogue(db):
    products = {}
    for key, (name_id, name_en, category, description) in CATALOGUE.items():
        products[key] = ProductFactory(
            name_id=name_id, name_en=name_en, description_id=description,
            category=Category.objects.get(slug=category),
        )  # fmt: skip
    return products


def found(query) -> list[str]:
    """Names in the order the results page shows them (and the same order from the ranked queryset)."""
    ids, _more = search.search_ids(Product.objects.public(), query)
    names = dict(Product.objects.filter(pk__in=ids).values_list("pk", "name_id"))
    ranked = [p.name_id for p in search.search_products(Product.objects.public(), query)]
    assert [names[pk] for pk in ids] == ranked
    return ranked


@pytest.mark.parametrize(
    "query, expected",
    [
        ("keripik", "keripik"),  # the written word of "keripiknya", stemmed alike
        ("keripiknya", "keripik"),
        ("batik", "batik"),  # "membatik" stems to "batik"
        ("KOPI", "kopi"),  # case
        ("cafe", "cafe"),  # "Café" without its accent
        ("café", "cafe"),
        ("chips", "keripik"),  # English, stemmed in English: "chips" -> "chip"
        ("chip", "keripik"),
        ("bags", "tas"),
        ("woven", "tas"),
        ("coffee", "kopi"),
        ("sam", "sambal"),  # prefix of the word being typed
        ("sambal bawa", "sambal"),
        ("durian betawi", "dodol"),  # every word, in any order
        ("anyaman", "tas"),  # "dianyam" in the description and "anyaman" in the name
    ],
)
def test_search_finds_products_by_stemmed_accentless_and_english_words(catalogue, query, expected):
    assert CATALOGUE[expected][0] in found(query)


def test_search_ranks_a_product_named_by_the_word_above_one_that_only_mentions_it(catalogue):
    # "kopi" names the robusta and is only in the description of the palm-sugar drink.
    names = found("kopi")
    assert names.index(CATALOGUE["kopi"][0]) < names.index(CATALOGUE["cafe"][0])


def test_search_does_not_find_what_is_not_there(catalogue):
    assert found("sepatu") == []
    assert found("pandan robusta") == []


def test_a_product_leaves_the_results_when_its_sme_is_deactivated(catalogue, admin_user):
    deactivate_sme(sme=catalogue["kopi"].sme, officer=admin_user, reason="Tutup usaha")
    assert CATALOGUE["kopi"][0] not in found("kopi")


def test_the_index_follows_a_rename(catalogue, admin_user):
    from sentra.catalog.services import update_product

    update_product(product=catalogue["tas"], actor=admin_user, data={"name_id": "Dompet Anyaman Pandan"})
    assert "Dompet Anyaman Pandan" in found("dompet")


def test_the_index_follows_a_rename_of_the_sme(catalogue, admin_user):
    from sentra.registry.services import update_sme

    update_sme(sme=catalogue["dodol"].sme, actor=admin_user, data={"name": "Dapur Legit Mpok Ipah"})
    assert CATALOGUE["dodol"][0] in found("mpok ipah")


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("kripik", "keripik"),
        ("keripk", "keripik"),
        ("batk", "batik"),
        ("sambel", "sambal"),
        ("cofee", "coffee"),
    ],
)
def test_a_misspelled_word_gets_a_suggestion_from_the_indexed_words(catalogue, typed, meant):
    assert search.did_you_mean(typed) == meant


def test_a_known_word_gets_no_suggestion(catalogue):
    assert search.did_you_mean("batik") is None
    assert search.did_you_mean("xyzzyq") is None


def test_the_vocabulary_rebuilt_from_scratch_matches_the_one_kept_current(catalogue, admin_user):
    from sentra.catalog.models import SearchWord
    from sentra.catalog.services import withdraw_product

    withdraw_product(product=catalogue["sambal"], actor=admin_user)
    kept = dict(SearchWord.objects.filter(products__gt=0).values_list("word", "products"))
    search.rebuild_vocabulary()
    assert dict(SearchWord.objects.values_list("word", "products")) == kept
    assert "shallot" not in kept


@pytest.mark.parametrize(
    "query",
    ["a", "%%%", "' OR 1=1 --", '"unclosed', "keripik " * 60, "(batik) AND NOT* NEAR(", "\u0000\u202e"],
)
def test_odd_or_long_queries_still_answer(catalogue, query):
    list(search.search_products(Product.objects.public(), query)[:24])
    search.search_ids(Product.objects.public(), query)
    list(search.matching(Product.objects.public(), query)[:24])


def test_the_registry_search_is_unchanged_in_behaviour():
    """The registry uses the same module with one language and no ranking: its words are as before."""
    from sentra.registry.search import build_search_text

    assert build_search_text(name="Keripiknya Bu Siti") == "ripik keripiknya bu siti"


def test_a_word_in_more_products_than_the_rank_window_still_answers_and_says_there_are_more(db, monkeypatch):
    for n in range(5):
        ProductFactory(name_id=f"Keripik Pisang {n}")
    monkeypatch.setattr(search, "RANK_WINDOW", 3)
    ids, more = search.search_ids(Product.objects.public(), "keripik")
    assert len(ids) == 3 and more
    snacks = Category.objects.get(slug="makanan-ringan")
    narrowed, more = search.search_ids(
        Product.objects.public().filter(category=snacks), "keripik", narrowed=True
    )
    assert len(narrowed) == 3 and more  # read from the table, newest first, when filters narrow a full window


def test_a_last_word_in_very_many_products_is_matched_whole_a_word_being_typed_as_a_prefix(db):
    from django.core.cache import cache

    from sentra.catalog.models import SearchWord

    coffee = ProductFactory(name_id="Kopi Robusta Bubuk", name_en="")
    cap = ProductFactory(name_id="Kopiah Rajut", name_en="")

    def found(query: str) -> set[int]:
        return set(search.search_ids(Product.objects.public(), query)[0])

    assert found("kopi") == {coffee.pk, cap.pk}
    SearchWord.objects.update_or_create(
        word="kopi", defaults={"length": 4, "products": search.COMMON_WORD_PRODUCTS}
    )
    cache.delete("catalog:common-words")
    assert found("kopi") == {coffee.pk}  # "kopi" is complete: its own matches fill the ranking window
    assert found("kop") == {coffee.pk, cap.pk}  # three letters: still being typed
    assert found("kopiah") == {cap.pk}
