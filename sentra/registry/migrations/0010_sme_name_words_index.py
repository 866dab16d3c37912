"""PostgreSQL: the SMEs in name order with their words, so that a search's page is found in the index.

A search's first page walks the name index and tests each SME's words until 50 match. The walk reads
each row from the table to get its words: for "keripik" at 200,000 SMEs it tests 44,000 rows (the
names before "K…") in 55 ms. With the words in the index itself (INCLUDE), the same walk reads no
row: 13 ms. The list reads a search's page keys from it first, then those rows by key
(registry.views.CountingPaginator, keys_first). Partial on what every list asks (not merged).

SQLite has no INCLUDE and needs none: it walks its name index against the FTS5 matches.
"""

from django.db import migrations

NAME = "sme_name_words_idx"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {NAME} ON registry_sme ("name", "id") '
            'INCLUDE (search_vector) WHERE "merged_into_id" IS NULL'
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_sme_search_one_letter_prefix")]

    operations = [migrations.RunPython(forward, backward)]
