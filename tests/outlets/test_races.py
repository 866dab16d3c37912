"""Two cashiers, one last unit, at once (PostgreSQL): exactly one sale."""

import threading

import pytest
from django.db import connection

from sentra.outlets import services
from sentra.outlets.models import Sale, StockBalance

from .factories import stock


def at_once(*calls):
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite serialises writers, so there is no race to lose there; it needs PostgreSQL (DATABASE_URL)"
        )
    barrier = threading.Barrier(len(calls))
    results = []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as error:  # noqa: BLE001 - the refusal is the result
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_two_cashiers_selling_the_last_unit_at_once_make_one_sale(outlet, products, cashier):
    stock(outlet, products[0], 1)
    results = at_once(
        *(
            lambda k=key: services.record_sale(
                outlet=outlet, cashier=cashier, lines=[(products[0], 1)], payment="qris", client_key=k
            )
            for key in ("till-1", "till-2")
        )
    )
    assert sorted(type(r).__name__ for r in results) == ["Recorded", "SoldOut"]
    assert Sale.objects.count() == 1
    assert StockBalance.objects.get(outlet=outlet, product=products[0]).on_hand == 0


@pytest.mark.django_db(transaction=True)
def test_one_sale_sent_twice_at_once_is_recorded_once(outlet, products, cashier):
    stock(outlet, products[0], 5)
    results = at_once(
        *(
            lambda: services.record_sale(
                outlet=outlet, cashier=cashier, lines=[(products[0], 1)], payment="qris", client_key="same"
            )
            for _ in range(2)
        )
    )
    assert sorted(r.created for r in results) == [False, True]
    assert Sale.objects.count() == 1 and services.on_hand(outlet, products[0]) == 4
