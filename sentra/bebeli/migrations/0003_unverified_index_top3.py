from django.db import migrations, models


def fill_top3(apps, schema_editor):
    """Each buyer's year cell gets the amount of its three largest SMEs, read from BuyerSmeYear."""
    MonthlySummary = apps.get_model("bebeli", "MonthlySummary")
    BuyerSmeYear = apps.get_model("bebeli", "BuyerSmeYear")
    for row in MonthlySummary.objects.filter(dimension="buyer", month=0).exclude(key="asn"):
        amounts = (
            BuyerSmeYear.objects.filter(year=row.year, organisation_id=int(row.key))
            .order_by("-amount")
            .values_list("amount", flat=True)[:3]
        )
        MonthlySummary.objects.filter(pk=row.pk).update(top3=sum(amounts))


class Migration(migrations.Migration):
    dependencies = [
        ("bebeli", "0002_summaries"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="purchase",
            name="bebeli_status_verified_idx",
        ),
        migrations.AddField(
            model_name="monthlysummary",
            name="top3",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddIndex(
            model_name="purchase",
            index=models.Index(
                condition=models.Q(("verified_at__isnull", True)),
                fields=["status", "payment_confirmed_at"],
                name="bebeli_unverified_idx",
            ),
        ),
        migrations.RunPython(fill_top3, migrations.RunPython.noop),
    ]
