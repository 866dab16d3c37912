"""Month settlement in whole Rupiah: commission rounded half up on each SME's month gross."""

import datetime as dt

import pytest
from django.utils import timezone

from sentra.outlets import services
from sentra.outlets.models import Statement
from sentra.outlets.services import OutletError, commission_for

from .factories import stock


@pytest.mark.parametrize(
    "gross,rate_bp,commission",
    [
        (10000, 2000, 2000),
        (12345, 1500, 1852),
        (12343, 1500, 1851),
        (10001, 2500, 2500),
        (10002, 2500, 2501),
        (0, 2000, 0),
        (-12345, 1500, -1852),
        (99, 10000, 99),
    ],
)
def test_commission_is_rounded_half_up_to_the_whole_rupiah(gross, rate_bp, commission):
    # 12345 × 15% = 1851.75 → 1852; 12343 × 15% = 1851.45 → 1851; 10002 × 25% = 2500.5 → 2501.
    assert commission_for(gross, rate_bp) == commission


def last_month():
    first = timezone.localdate().replace(day=1)
    previous = first - dt.timedelta(days=1)
    return (
        previous.year,
        previous.month,
        timezone.make_aware(dt.datetime(previous.year, previous.month, 15, 10)),
    )


def test_month_figures_and_closing_fix_each_smes_statement(outlet, products, cashier, officer):
    outlet.rate_bp = 1500
    outlet.save()
    year, month, at = last_month()
    stock(outlet, products[0], 10, retail=12345)
    sale = services.record_sale(
        outlet=outlet, cashier=cashier, lines=[(products[0], 3)], payment="qris", client_key="a", at=at
    ).sale
    services.record_sale(
        outlet=outlet, cashier=cashier, lines=[(products[0], 1)], payment="debit", client_key="b", at=at
    )
    voided = services.record_sale(
        outlet=outlet, cashier=cashier, lines=[(products[0], 1)], payment="debit", client_key="c", at=at
    ).sale
    services.void_sale(sale=voided, reason="mistake", actor=cashier)
    [line] = services.month_figures(outlet, year, month)
    assert (line.quantity, line.gross) == (4, 49380)
    assert line.commission == 7407  # 49380 × 15% = 7407.0
    assert line.net + line.commission == line.gross
    services.close_month(outlet=outlet, year=year, month=month, actor=officer)
    statement = Statement.objects.get(outlet=outlet, sme=products[0].sme, year=year, month=month)
    assert (statement.quantity, statement.gross, statement.commission, statement.net) == (
        4,
        49380,
        7407,
        41973,
    )
    with pytest.raises(OutletError, match="closed"):
        services.void_sale(sale=sale, reason="late", actor=cashier)
    with pytest.raises(OutletError, match="closed"):
        services.record_sale(
            outlet=outlet, cashier=cashier, lines=[(products[0], 1)], payment="qris", client_key="d", at=at
        )
    with pytest.raises(OutletError, match="already closed"):
        services.close_month(outlet=outlet, year=year, month=month, actor=officer)


def test_closed_month_changes_only_through_reasoned_corrections_and_payment(
    outlet, products, cashier, officer
):
    year, month, at = last_month()
    stock(outlet, products[0], 10, retail=10000)
    services.record_sale(
        outlet=outlet, cashier=cashier, lines=[(products[0], 2)], payment="qris", client_key="a", at=at
    )
    services.close_month(outlet=outlet, year=year, month=month, actor=officer)
    statement = Statement.objects.get()
    assert statement.payable == 16000
    with pytest.raises(OutletError, match="reason"):
        services.correct_statement(statement=statement, amount=-1000, reason="", actor=officer)
    services.correct_statement(statement=statement, amount=-1000, reason="one pack damaged", actor=officer)
    assert Statement.objects.get().payable == 15000
    with pytest.raises(OutletError, match="reference"):
        services.mark_paid(statement=statement, paid_on=timezone.localdate(), reference="", actor=officer)
    services.mark_paid(statement=statement, paid_on=timezone.localdate(), reference="TRF-001", actor=officer)
    with pytest.raises(OutletError, match="already paid"):
        services.mark_paid(
            statement=statement, paid_on=timezone.localdate(), reference="TRF-002", actor=officer
        )
    with pytest.raises(OutletError, match="paid"):
        services.correct_statement(
            statement=Statement.objects.get(), amount=500, reason="late", actor=officer
        )


def test_the_current_month_cannot_be_closed_yet(outlet, officer):
    today = timezone.localdate()
    with pytest.raises(OutletError, match="ended"):
        services.close_month(outlet=outlet, year=today.year, month=today.month, actor=officer)
