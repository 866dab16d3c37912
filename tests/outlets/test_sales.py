"""Recording a sale: one request, priced by the outlet, idempotent, refused when it must be."""

import pytest

from sentra.core.models import AuditEntry
from sentra.outlets import services
from sentra.outlets.models import Sale, SaleLine
from sentra.outlets.services import OutletError, SoldOut

from .factories import stock


def sell(outlet, cashier, lines, key="k1", **extra):
    extra.setdefault("payment", "cash")
    if extra["payment"] == "cash":
        extra.setdefault("cash_received", 10_000_000)
    return services.record_sale(outlet=outlet, cashier=cashier, lines=lines, client_key=key, **extra)


def test_a_cash_sale_takes_stock_and_gives_change(outlet, products, cashier):
    stock(outlet, products[0], 5, retail=15000)
    stock(outlet, products[1], 5, retail=25000)
    result = sell(outlet, cashier, [(products[0], 2), (products[1], 1)], cash_received=100000)
    sale = result.sale
    assert result.created and sale.total == 55000 and sale.change == 45000
    assert services.on_hand(outlet, products[0]) == 3 and services.on_hand(outlet, products[1]) == 4
    assert AuditEntry.objects.filter(verb="outlets.sale.recorded").count() == 1


def test_the_same_key_again_returns_the_same_sale_and_takes_no_more_stock(outlet, products, cashier):
    stock(outlet, products[0], 5)
    first = sell(outlet, cashier, [(products[0], 2)], key="retry-1")
    again = sell(outlet, cashier, [(products[0], 2)], key="retry-1")
    assert not again.created and again.sale.pk == first.sale.pk
    assert Sale.objects.count() == 1 and services.on_hand(outlet, products[0]) == 3


def test_a_product_not_in_stock_at_this_outlet_is_refused(outlet, other_outlet, products, cashier):
    stock(other_outlet, products[0], 5)
    with pytest.raises(OutletError, match="not in stock"):
        sell(outlet, cashier, [(products[0], 1)])
    stock(outlet, products[1], 1)
    with pytest.raises(SoldOut, match="Only 1"):
        sell(outlet, cashier, [(products[1], 2)])
    assert not Sale.objects.exists()


@pytest.mark.parametrize("quantity", [0, -1, 1.5, True])
def test_quantities_must_be_positive_whole_numbers(outlet, products, cashier, quantity):
    stock(outlet, products[0], 5)
    with pytest.raises(OutletError):
        sell(outlet, cashier, [(products[0], quantity)])
    assert not Sale.objects.exists()


def test_discount_needs_a_reason_and_is_shared_over_the_lines(outlet, products, cashier):
    stock(outlet, products[0], 5, retail=10000)
    stock(outlet, products[1], 5, retail=20000)
    with pytest.raises(OutletError, match="reason"):
        sell(outlet, cashier, [(products[0], 1), (products[1], 1)], discount=3001)
    sale = sell(
        outlet, cashier, [(products[0], 1), (products[1], 1)], discount=3001, discount_reason="member"
    ).sale
    lines = list(sale.lines.order_by("unit_price"))
    assert [line.discount for line in lines] == [1000, 2001]
    assert sum(line.amount for line in lines) == sale.total == 26999


def test_share_discount_never_exceeds_a_line():
    assert services.share_discount(2, [1, 1, 1]) == [1, 1, 0]
    assert services.share_discount(3, [1, 1, 1]) == [1, 1, 1]
    assert services.share_discount(0, [5, 7]) == [0, 0]


def test_cash_must_cover_the_total_and_other_methods_record_no_cash(outlet, products, cashier):
    stock(outlet, products[0], 5, retail=10000)
    with pytest.raises(OutletError, match="cover"):
        sell(outlet, cashier, [(products[0], 1)], cash_received=5000)
    sale = sell(outlet, cashier, [(products[0], 1)], payment="qris", cash_received=999).sale
    assert sale.cash_received is None and sale.change == 0


def test_void_puts_goods_back_and_needs_a_reason(outlet, products, cashier):
    stock(outlet, products[0], 5)
    sale = sell(outlet, cashier, [(products[0], 2)]).sale
    with pytest.raises(OutletError, match="reason"):
        services.void_sale(sale=sale, reason="", actor=cashier)
    services.void_sale(sale=sale, reason="wrong item", actor=cashier)
    assert services.on_hand(outlet, products[0]) == 5
    with pytest.raises(OutletError, match="already voided"):
        services.void_sale(sale=sale, reason="again", actor=cashier)
    assert AuditEntry.objects.filter(verb="outlets.sale.voided", note="wrong item").exists()


def test_a_return_beyond_what_was_sold_is_refused(outlet, products, cashier):
    stock(outlet, products[0], 5, retail=10000)
    sale = sell(outlet, cashier, [(products[0], 2)]).sale
    line = sale.lines.get()
    services.return_items(line=line, quantity=1, reason="rusak", actor=cashier)
    with pytest.raises(OutletError, match="Only 1"):
        services.return_items(line=line, quantity=2, reason="rusak", actor=cashier)
    line.refresh_from_db()
    assert (line.returned_quantity, line.returned_amount) == (1, 10000)
    assert services.on_hand(outlet, products[0]) == 4


def test_closing_the_day_compares_expected_with_counted_cash(outlet, products, cashier):
    from django.utils import timezone

    stock(outlet, products[0], 5, retail=10000)
    sell(outlet, cashier, [(products[0], 2)], key="a")
    sell(outlet, cashier, [(products[0], 1)], key="b", payment="qris")
    today = timezone.localdate()
    with pytest.raises(OutletError, match="say why"):
        services.close_day(outlet=outlet, day=today, counted_cash=115000, opening_float=100000, actor=cashier)
    closing = services.close_day(
        outlet=outlet, day=today, counted_cash=115000, opening_float=100000, actor=cashier, note="coins short"
    )
    assert (closing.expected_cash, closing.difference, closing.sales_total) == (120000, -5000, 30000)
    with pytest.raises(OutletError, match="already closed"):
        sell(outlet, cashier, [(products[0], 1)], key="c")
    assert SaleLine.objects.count() == 2
