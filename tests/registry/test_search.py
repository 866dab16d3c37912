"""Full-text search of the registry: Indonesian-aware, prefix on the last word, same on SQLite and PostgreSQL."""

import pytest
from django.db import connection

from sentra.registry import search
from sentra.registry.models import Sme
from sentra.registry.search import build_search_text, fts5_query, search_smes, tsquery
from sentra.registry.services import update_sme

from .factories import OwnerFactory, SmeFactory


def found(query: str) -> set[str]:
    """The names a search finds; the list's page and its count word the search differently, and
    must find the same SMEs."""
    page = set(search_smes(Sme.objects.all(), query).values_list("name", flat=True))
    count = set(search_smes(Sme.objects.all(), query, for_count=True).values_list("name", flat=True))
    assert page == count
    return page


def test_search_text_holds_each_word_stemmed_and_as_written():
    text = build_search_text(
        name="Keripik Singkong Bu Siti",
        brand="",
        owner_name="Siti Rahayu",
        nib=None,
        products="Makanan ringan",
    ).split()
    assert {"ripik", "keripik", "singkong", "makan", "makanan", "siti", "rahayu"} <= set(text)
    assert len(text) == len(set(text))


def test_search_text_drops_accents_and_punctuation():
    assert build_search_text(name="Kafé D'Jaya (Cabang-2)", owner_name="") == "kafe d jaya cabang 2"


def test_query_syntax_matches_every_word_and_the_last_one_as_a_prefix():
    assert fts5_query("penjahit kebay") == '"jahit" AND ("kebay"*)'
    assert tsquery("penjahit kebay") == "jahit & (kebay:*)"
    assert fts5_query("keripik") == '("keripik"* OR "ripik"*)'


@pytest.mark.django_db
class TestSearch:
    @pytest.fixture(autouse=True)
    def registry(self, kecamatan):
        owner = OwnerFactory(name="Siti Rahayu")
        SmeFactory(
            name="Keripik Singkong Bu Siti",
            brand="Siti Snack",
            owner=owner,
            products="keripik singkong balado",
            nib="9120301234567",
        )
        SmeFactory(
            name="Jahit Kebaya Ani",
            brand="",
            owner=OwnerFactory(name="Ani Lestari"),
            products="kebaya, seragam",
        )
        SmeFactory(
            name="Warung Makan Pak Joko",
            brand="",
            owner=OwnerFactory(name="Joko Santoso"),
            products="nasi uduk",
        )

    def test_a_half_typed_word_finds_the_business(self):
        assert found("kerip") == {"Keripik Singkong Bu Siti"}

    def test_an_affixed_word_finds_the_root_word(self):
        assert found("penjahit") == {"Jahit Kebaya Ani"}
        assert found("makanan") == {"Warung Makan Pak Joko"}

    def test_every_word_must_match(self):
        assert found("keripik siti") == {"Keripik Singkong Bu Siti"}
        assert found("keripik joko") == set()

    def test_owner_name_brand_and_products_are_searched(self):
        assert found("rahayu") == {"Keripik Singkong Bu Siti"}
        assert found("snack") == {"Keripik Singkong Bu Siti"}
        assert found("seragam") == {"Jahit Kebaya Ani"}

    def test_nib_digits_match_exactly_or_by_prefix(self):
        assert found("9120301234567") == {"Keripik Singkong Bu Siti"}
        assert found("912030") == {"Keripik Singkong Bu Siti"}
        assert found("9999") == set()

    def test_a_full_nik_finds_the_owners_businesses_but_a_partial_one_does_not(self):
        nik = Sme.objects.get(name="Jahit Kebaya Ani").owner.nik
        assert found(nik) == {"Jahit Kebaya Ani"}
        assert found(nik[:10]) == set()

    def test_search_syntax_typed_by_a_user_is_only_text(self):
        assert found("\" OR * NEAR( -- '") == set()
        assert found("***") == {"Keripik Singkong Bu Siti", "Jahit Kebaya Ani", "Warung Makan Pak Joko"}

    def test_the_index_follows_a_renamed_business(self, officer):
        sme = Sme.objects.get(name="Warung Makan Pak Joko")
        update_sme(sme=sme, actor=officer, data={"name": "Kedai Kopi Joko"})
        assert found("warung") == set()
        assert found("kopi") == {"Kedai Kopi Joko"}

    def test_the_index_follows_a_renamed_owner(self, officer):
        sme = Sme.objects.get(name="Jahit Kebaya Ani")
        update_sme(sme=sme, actor=officer, data={}, owner_data={"name": "Ani Wulandari"})
        assert found("wulandari") == {"Jahit Kebaya Ani"}
        assert found("lestari") == set()

    def test_a_deleted_business_leaves_the_index(self):
        Sme.objects.filter(name="Jahit Kebaya Ani").delete()
        assert found("kebaya") == set()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 triggers only")
def test_lost_sqlite_triggers_are_recreated_and_the_index_rebuilt(kecamatan):
    with connection.cursor() as cursor:
        for name in search.SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    SmeFactory(name="Dodol Betawi Mpok Nori")
    assert found("dodol") == set()

    assert search.ensure_search_index(using="default") is True
    assert found("dodol") == {"Dodol Betawi Mpok Nori"}
    assert search.ensure_search_index(using="default") is False


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["k", "keripik", "kerip", "siti keripik", "9120", "pedas"])
def test_a_search_counted_from_the_index_alone_leaves_out_merged_records(query):
    owner = OwnerFactory(name="Siti Rahayu")
    smes = [SmeFactory(name=f"Keripik Pedas {n}", owner=owner) for n in range(4)]
    SmeFactory(name="Batik Tulis")
    Sme.objects.filter(pk=smes[0].pk).update(merged_into=smes[1])
    expected = search_smes(Sme.objects.active(), query).count()
    counted = search.count_search(query)
    # PostgreSQL's index cannot count by itself: the list counts the rows there.
    assert counted == (expected if connection.vendor == "sqlite" else None)
    assert search.count_search("3216091205900001") is None  # a NIK is looked up, not counted so
