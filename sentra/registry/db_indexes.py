"""Indexes of the registry list written as SQL (migration 0004), and keeping them in place.

They are SQL that SQLite and PostgreSQL both accept rather than `Meta.indexes`: the scale index is
on an expression that the list's ORDER BY repeats word for word (forms.SCALE_ORDER_SQL), and
SQLite uses an expression index only for an identical expression. Django does not know of them, so
when SQLite rebuilds a table to alter one of its columns they are lost; `ensure_list_indexes`
runs after every migrate and puts back any that are missing.
"""

from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

SCALE_ORDER_SQL = "CASE \"scale\" WHEN 'micro' THEN 0 WHEN 'small' THEN 1 WHEN 'medium' THEN 2 WHEN 'large' THEN 3 ELSE 4 END"

# "No NIB" as the list writes it (forms.NO_NIB_SQL) and as the partial index sme_no_nib_idx repeats it.
# Not "nib IS NULL OR nib = ''": SQLite's statistics call that selective (NIBs are unique) and read
# 40% of the registry through the NIB index; and a partial index serves only a query that repeats its
# condition, which SQLite only recognises with the '' written in the SQL, not passed as a parameter.
NO_NIB_SQL = "COALESCE(\"nib\", '') = ''"

LIST_INDEXES = {
    # Counting the list of an officer's kecamatan (and status) without reading a row: partial on
    # what Sme.objects.for_user always asks (not merged), so SQLite and PostgreSQL count the index.
    "sme_active_kecamatan_status_idx": 'registry_sme ("kecamatan_id", "status") WHERE "merged_into_id" IS NULL',
    # Counting by status across the regency (verification queue, dashboard), the same way.
    "sme_active_status_idx": 'registry_sme ("status") WHERE "merged_into_id" IS NULL',
    # List sorted by scale, smallest first (or largest first, read backwards).
    "sme_scale_order_idx": f'registry_sme (({SCALE_ORDER_SQL}), "name", "id")',
    # List filtered by scale, sorted by name.
    "sme_scale_name_idx": 'registry_sme ("scale", "name", "id")',
    # List filtered by KBLI category, sorted by name.
    "sme_kbli_name_idx": 'registry_sme ("kbli_category", "name", "id")',
    # List sorted by last update, newest first.
    "sme_updated_idx": 'registry_sme ("updated_at", "id")',
    # List filtered by kecamatan and sorted by last update (an officer's "what changed here").
    "sme_kecamatan_updated_idx": 'registry_sme ("kecamatan_id", "updated_at", "id")',
    # List filtered by desa, sorted by name.
    "sme_desa_name_idx": 'registry_sme ("desa_id", "name", "id")',
    # List filtered by forum, sorted by name; also the forum page's member list.
    "sme_forum_name_idx": 'registry_sme ("forum_id", "name", "id")',
    # Legality gap "no NIB": with a KBLI category, counted from it and the page read from it in name
    # order; alone, counted from it.
    "sme_no_nib_idx": f'registry_sme ("kbli_category", "name", "id") WHERE "merged_into_id" IS NULL AND {NO_NIB_SQL}',
    # Legality gaps "halal expired" / "P-IRT expired": the SMEs holding a permit of a kind, by expiry.
    "permit_kind_expiry_sme_idx": 'registry_permit ("kind", "expires_on", "sme_id")',
    # Cooperative list: status filter, sorted by name.
    "coop_status_name_idx": 'registry_cooperative ("status", "name")',
}
MIGRATION = ("registry", "0004_registry_list_indexes")


def ensure_list_indexes(sender=None, using: str = "default", **kwargs) -> list[str]:
    """Create the list indexes a table rebuild dropped; returns their names. A post_migrate handler."""
    connection = connections[using]
    recorder = MigrationRecorder(connection)
    if not recorder.has_table() or MIGRATION not in recorder.applied_migrations():
        return []  # migrated back before the indexes existed (or not migrated yet)
    existing = connection.introspection.get_constraints
    with connection.cursor() as cursor:
        tables = {target.split(" ", 1)[0] for target in LIST_INDEXES.values()}
        present = {name for table in tables for name in existing(cursor, table)}
        missing = [name for name in LIST_INDEXES if name not in present]
        for name in missing:
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {LIST_INDEXES[name]}")
    return missing
