"""Indexes for the officer registry list (sentra/registry/forms.py SmeFilterForm): each names its query.

Written as SQL that SQLite and PostgreSQL both accept, so the model state (and makemigrations)
is unaffected; see sentra/registry/db_indexes.py for why.
"""

from django.db import migrations

# The statements live with the handler that restores them after SQLite table rebuilds.
from sentra.registry.db_indexes import LIST_INDEXES as INDEXES  # noqa: E402

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
