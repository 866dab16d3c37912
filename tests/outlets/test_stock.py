"""The consignment ledger: stock on hand is the sum of movements and never below zero."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentra.outlets import services
from sentra.outlets.models import StockBalance, StockMovement, StockNote
from sentra.outlets.services import OutletError, SoldOut

from .factories import OutletFactory, stock


def test_stock_in_note_adds_to_what_the_outlet_holds(outlet, products, officer):
    note = stock(outlet, products[0], 5, retail=20000, actor=officer)
    assert note.kind == StockNote.Kind.STOCK_IN
    assert services.on_hand(outlet, products[0]) == 5
    balance = StockBalance.objects.get(outlet=outlet, product=products[0])
    assert (balance.retail_price, balance.consignment_price) == (20000, 16000)


def test_stock_in_refuses_a_product_of_another_sme(outlet, products, officer):
    from tests.catalog.factories import ProductFactory

    stranger = ProductFactory()
    with pytest.raises(OutletError, match="is not a product of"):
        services.receive_stock(
            outlet=outlet,
            sme=products[0].sme,
            lines=[services.StockInLine(stranger, 2, 1000, 2000)],
            actor=officer,
        )
    assert not StockMovement.objects.exists()


@pytest.mark.parametrize(
    "quantity,consignment,retail",
    [(0, 1000, 2000), (-1, 1000, 2000), (1, 0, 2000), (1, 3000, 2000), (1.5, 1000, 2000)],
)
def test_stock_in_refuses_non_positive_or_fractional_numbers(
    outlet, products, officer, quantity, consignment, retail
):
    with pytest.raises(OutletError):
        services.receive_stock(
            outlet=outlet,
            sme=products[0].sme,
            lines=[services.StockInLine(products[0], quantity, consignment, retail)],
            actor=officer,
        )
    assert not StockNote.objects.exists()


def test_return_to_the_sme_needs_a_reason_and_the_stock(outlet, products, officer):
    stock(outlet, products[0], 3)
    with pytest.raises(OutletError, match="reason"):
        services.return_to_sme(outlet=outlet, product=products[0], quantity=1, reason=" ", actor=officer)
    with pytest.raises(SoldOut):
        services.return_to_sme(
            outlet=outlet, product=products[0], quantity=4, reason="expired", actor=officer
        )
    services.return_to_sme(outlet=outlet, product=products[0], quantity=3, reason="expired", actor=officer)
    assert services.on_hand(outlet, products[0]) == 0


def test_transfer_moves_units_and_prices_to_the_other_outlet(outlet, other_outlet, products, officer):
    stock(outlet, products[0], 4, retail=30000)
    services.transfer_stock(
        outlet=outlet, to_outlet=other_outlet, product=products[0], quantity=3, actor=officer
    )
    assert services.on_hand(outlet, products[0]) == 1
    assert services.on_hand(other_outlet, products[0]) == 3
    assert StockBalance.objects.get(outlet=other_outlet, product=products[0]).retail_price == 30000


def test_count_records_the_difference_with_its_reason(outlet, products, officer):
    stock(outlet, products[0], 10)
    with pytest.raises(OutletError, match="reason"):
        services.count_stock(outlet=outlet, product=products[0], counted=8, reason="", actor=officer)
    movement = services.count_stock(
        outlet=outlet, product=products[0], counted=8, reason="two broken", actor=officer
    )
    assert movement.quantity == -2 and movement.reason == "two broken"
    assert services.on_hand(outlet, products[0]) == 8 == services.ledger_sum(outlet, products[0])


def test_low_stock_and_near_expiry_alerts(outlet, products):
    import datetime as dt

    from django.utils import timezone

    stock(outlet, products[0], 2, expires_on=timezone.localdate() + dt.timedelta(days=3))
    stock(outlet, products[1], 50)
    alerts = services.stock_alerts(outlet)
    assert [b.product for b in alerts["low"]] == [products[0]]
    assert [b.product for b in alerts["expiring"]] == [products[0]]


# --- property: any sequence of movements keeps the ledger and the balance in step ---------------

quantities = st.integers(min_value=-2, max_value=6)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("in"), st.integers(0, 1), st.integers(0, 1), quantities),
        st.tuples(st.just("return"), st.integers(0, 1), st.integers(0, 1), quantities),
        st.tuples(st.just("transfer"), st.integers(0, 1), st.integers(0, 1), quantities),
        st.tuples(st.just("count"), st.integers(0, 1), st.integers(0, 1), quantities),
        st.tuples(st.just("sale"), st.integers(0, 1), st.integers(0, 1), quantities),
        st.tuples(st.just("void"), st.integers(0, 5), st.integers(0, 1), quantities),
        st.tuples(st.just("customer_return"), st.integers(0, 5), st.integers(0, 1), quantities),
    ),
    max_size=25,
)


class Rollback(Exception):
    pass


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=operations)
def test_any_sequence_keeps_stock_non_negative_and_equal_to_the_ledger(steps, products, officer, cashier):
    try:
        with transaction.atomic():
            outlets = [OutletFactory(), OutletFactory()]
            sales = []
            for n, (op, a, p, q) in enumerate(steps):
                outlet, product = outlets[a % 2], products[p]
                try:
                    with transaction.atomic():
                        if op == "in":
                            stock(outlet, product, q)
                        elif op == "return":
                            services.return_to_sme(
                                outlet=outlet, product=product, quantity=q, reason="r", actor=officer
                            )
                        elif op == "transfer":
                            services.transfer_stock(
                                outlet=outlet,
                                to_outlet=outlets[1 - a],
                                product=product,
                                quantity=q,
                                actor=officer,
                            )
                        elif op == "count":
                            services.count_stock(
                                outlet=outlet, product=product, counted=q, reason="count", actor=officer
                            )
                        elif op == "sale":
                            sales.append(
                                services.record_sale(
                                    outlet=outlet,
                                    cashier=cashier,
                                    lines=[(product, q)],
                                    payment="qris",
                                    client_key=f"k{n}",
                                ).sale
                            )
                        elif op == "void" and sales:
                            services.void_sale(sale=sales[a % len(sales)], reason="mistake", actor=cashier)
                        elif op == "customer_return" and sales:
                            line = sales[a % len(sales)].lines.first()
                            services.return_items(line=line, quantity=q, reason="rusak", actor=cashier)
                except OutletError:
                    pass
                for o in outlets:
                    for pr in products:
                        held = services.on_hand(o, pr)
                        assert held >= 0
                        assert held == services.ledger_sum(o, pr)
            raise Rollback
    except Rollback:
        pass
