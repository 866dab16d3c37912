"""Indexes for the officer registry list (sentra/registry/forms.py SmeFilterForm): each names its query.

Written as SQL that SQLite and PostgreSQL both accept, so the model state (and makemigrations)
is unaffected. The scale index is on an expression that the list's ORDER BY repeats word for word
(forms.SCALE_ORDER_SQL); SQLite uses an expression index only for an identical expression.
"""

from django.db import migrations

SCALE_ORDER_SQL = (
    "CASE \"scale\" WHEN 'micro' THEN 0 WHEN 'small' THEN 1 WHEN 'medium' THEN 2 WHEN 'large' THEN 3 ELSE 4 END"
)

INDEXES = {
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
    # Legality gaps "halal expired" / "P-IRT expired": the SMEs holding a permit of a kind, by expiry.
    "permit_kind_expiry_sme_idx": 'registry_permit ("kind", "expires_on", "sme_id")',
    # Cooperative list: status filter, sorted by name.
    "coop_status_name_idx": 'registry_cooperative ("status", "name")',
}


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_sme_search_index"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {target}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, target in INDEXES.items()
    ]
