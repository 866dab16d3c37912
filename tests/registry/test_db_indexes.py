"""The registry list's SQL indexes survive SQLite rebuilding a table (any later AlterField does)."""

import pytest
from django.db import connection

from sentra.registry.db_indexes import LIST_INDEXES, ensure_list_indexes

pytestmark = pytest.mark.django_db


def index_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


def test_every_list_index_exists_after_migrating():
    present = (
        index_names("registry_sme") | index_names("registry_permit") | index_names("registry_cooperative")
    )
    assert set(LIST_INDEXES) <= present


def test_a_lost_index_is_put_back_and_nothing_else_is_touched():
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX sme_scale_order_idx")
    assert "sme_scale_order_idx" not in index_names("registry_sme")

    assert ensure_list_indexes(using="default") == ["sme_scale_order_idx"]
    assert "sme_scale_order_idx" in index_names("registry_sme")
    assert ensure_list_indexes(using="default") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="an INCLUDE index exists on PostgreSQL only")
def test_postgresql_keeps_the_smes_words_in_the_name_index():
    # registry/0010: a search's page found in name order without reading the table.
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'sme_name_words_idx'")
        (definition,) = cursor.fetchone()
    assert "(name, id) INCLUDE (search_vector) WHERE (merged_into_id IS NULL)" in definition
