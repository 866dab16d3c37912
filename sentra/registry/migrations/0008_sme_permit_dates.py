"""Each SME's copy of until when it holds a valid halal certificate / P-IRT, filled from its
permits, and the partial indexes the list's legality gaps count from (Sme.Meta.indexes)."""

from django.conf import settings
from django.db import migrations, models

from sentra.registry.db_indexes import LIST_INDEXES
from sentra.registry.models import valid_until_values


def fill_permit_dates(apps, schema_editor):
    Sme = apps.get_model("registry", "Sme")
    Permit = apps.get_model("registry", "Permit")
    # One UPDATE over the registry; the SMEs without a permit of a kind get NULL.
    Sme.objects.update(**valid_until_values(Permit))


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0001_initial"),
        ("registry", "0007_permit_expiry_derived"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="sme",
            name="halal_valid_until",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="sme",
            name="pirt_valid_until",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill_permit_dates, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="sme",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True)),
                fields=["halal_valid_until"],
                name="sme_halal_until_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="sme",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True)),
                fields=["pirt_valid_until"],
                name="sme_pirt_until_idx",
            ),
        ),
        # Written as SQL (db_indexes.py): its condition must be the list's "no NIB" word for word.
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS sme_no_nib_idx ON {LIST_INDEXES['sme_no_nib_idx']}",
            reverse_sql="DROP INDEX IF EXISTS sme_no_nib_idx",
        ),
        migrations.AddIndex(
            model_name="sme",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True), ("npwp", "")),
                fields=["npwp"],
                name="sme_no_npwp_idx",
            ),
        ),
    ]
