"""The outlets' demo data: three consignment outlets with months of sales, two cooperation outlets."""

from django.core.management import call_command
from django.db.models import Sum

from sentra.accounts.models import User
from sentra.outlets import services
from sentra.outlets.models import CooperationTurnover, Outlet, Sale, Statement, StockBalance, StockMovement


def test_the_demo_has_outlets_with_months_of_sales_and_cooperation_turnover_in_range(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", verbosity=0, scale=60)
    codes = set(Outlet.objects.values_list("code", flat=True))
    assert {"AEON", "LIPPO", "KM39", "KANTIN", "JUANG"} <= codes
    for code in ("AEON", "LIPPO", "KM39"):
        months = set(Sale.objects.filter(outlet__code=code).values_list("sold_on__month", flat=True))
        assert months == {7, 8, 9, 10}
    kasir = User.objects.get(username="kasir")
    assert kasir.cashier_post.outlet.code == "AEON"
    for code, low, high in (("KANTIN", 40_000_000, 60_000_000), ("JUANG", 70_000_000, 80_000_000)):
        amounts = list(
            CooperationTurnover.objects.filter(outlet__code=code).values_list("turnover", flat=True)
        )
        assert len(amounts) == 4 and all(low <= a <= high for a in amounts)
    assert (
        Statement.objects.filter(paid_on__isnull=True).exists()
        and Statement.objects.filter(paid_on__isnull=False).exists()
    )
    for balance in StockBalance.objects.all():
        assert 0 <= balance.on_hand == services.ledger_sum(balance.outlet, balance.product)
    before = (Sale.objects.count(), StockMovement.objects.aggregate(s=Sum("quantity"))["s"])
    call_command("demo", verbosity=0, scale=60)
    assert (Sale.objects.count(), StockMovement.objects.aggregate(s=Sum("quantity"))["s"]) == before
