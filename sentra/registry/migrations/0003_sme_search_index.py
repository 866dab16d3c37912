"""Full-text index over Sme.search_text: FTS5 on SQLite, a generated tsvector with GIN on PostgreSQL.

The SQL lives here rather than in sentra/registry/search.py so that this migration keeps doing
what it did when it was written. search.ensure_search_index re-creates the SQLite triggers when a
later migration rebuilds the table (Django alters SQLite tables by copying them, losing triggers).
"""

from django.db import migrations

FTS = "registry_sme_fts"

SQLITE_FORWARD = [
    # External content: the words live once, in registry_sme; FTS5 keeps only its index.
    # prefix='2 3' keeps short prefix queries ("ke", "kri") fast.
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(
        search_text, content='registry_sme', content_rowid='id', prefix='2 3'
    )""",
    f"""CREATE TRIGGER IF NOT EXISTS registry_sme_fts_insert AFTER INSERT ON registry_sme BEGIN
        INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS registry_sme_fts_delete AFTER DELETE ON registry_sme BEGIN
        INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS registry_sme_fts_update AFTER UPDATE OF search_text ON registry_sme
    BEGIN
        INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text);
        INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS registry_sme_fts_insert",
    "DROP TRIGGER IF EXISTS registry_sme_fts_delete",
    "DROP TRIGGER IF EXISTS registry_sme_fts_update",
    f"DROP TABLE IF EXISTS {FTS}",
]
# PostgreSQL keeps the parsed words in a generated column, so that a page walking the name index
# tests each row's ready-made tsvector instead of parsing its text again (about ten times slower).
# The column is not in the model: SQLite has no tsvector, and only search.py reads it.
POSTGRES_FORWARD = [
    "ALTER TABLE registry_sme ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    "CREATE INDEX IF NOT EXISTS sme_search_vector_gin ON registry_sme USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS sme_search_vector_gin",
    "ALTER TABLE registry_sme DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


def fill_search_text(apps, schema_editor):
    """Rows written before search existed get their words once; later writes keep them current."""
    from sentra.registry.search import build_search_text

    Sme = apps.get_model("registry", "Sme")
    batch = []
    for sme in Sme.objects.filter(search_text="").select_related("owner").iterator(chunk_size=2000):
        sme.search_text = build_search_text(
            name=sme.name,
            brand=sme.brand,
            owner_name=sme.owner.name if sme.owner_id else "",
            nib=sme.nib,
            products=sme.products,
        )
        batch.append(sme)
        if len(batch) >= 2000:
            Sme.objects.bulk_update(batch, ["search_text"])
            batch = []
    Sme.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_claims_and_change_requests"),
    ]

    operations = [
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
