"""Every state and every step: each allowed move works for its side, every other move is refused."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sentra.bebeli import services, states
from sentra.bebeli.models import Purchase

S = Purchase.Status


def today():
    # Asked each time, not at import: a long suite can cross midnight between the two.
    return dt.date.today()


def _do(target, purchase, user):
    """Take the step that leads to `target`, as `user`."""
    if target == S.ACCEPTED:
        return services.accept_order(purchase=purchase, user=user)
    if target == S.DECLINED:
        return services.decline_order(purchase=purchase, user=user, reason="Stok habis")
    if target == S.CANCELLED:
        return services.cancel_purchase(purchase=purchase, user=user, reason="Anggaran dialihkan")
    if target in (S.PARTLY_DELIVERED, S.DELIVERED):
        lines = list(purchase.lines.all())
        quantities = {line.pk: 1 for line in lines} if target == S.PARTLY_DELIVERED else {
            line.pk: line.quantity - line.delivered_quantity for line in lines
        }  # fmt: skip
        return services.record_delivery(purchase=purchase, user=user, quantities=quantities, on=today())
    if target == S.RECEIVED:
        return services.confirm_receipt(purchase=purchase, user=user, on=today())
    if target == S.PAYMENT_RECORDED:
        return services.record_payment(purchase=purchase, user=user, on=today(), reference="SP2D-1")
    if target == S.PAID:
        return services.confirm_paid(purchase=purchase, user=user)
    if target == S.DISPUTED:
        return services.dispute_purchase(purchase=purchase, user=user, reason="Tidak pernah menjual")
    raise AssertionError(target)


def _put_in(purchase, status):
    Purchase.objects.filter(pk=purchase.pk).update(
        status=status, delivered_on=today() - dt.timedelta(days=2), received_on=today() - dt.timedelta(days=1)
    )
    purchase.refresh_from_db()
    return purchase


TARGETS = [S.ACCEPTED, S.DECLINED, S.CANCELLED, S.PARTLY_DELIVERED, S.DELIVERED, S.RECEIVED,
           S.PAYMENT_RECORDED, S.PAID, S.DISPUTED]  # fmt: skip
ALL_MOVES = [
    (state, target, side) for state in S.values for target in TARGETS for side in (states.BUYER, states.SME)
]


def test_the_table_names_every_state():
    assert set(states.TRANSITIONS) == set(S.values)
    assert {S.DECLINED, S.CANCELLED, S.DISPUTED, S.PAID} == states.FINAL


@pytest.mark.parametrize(("state", "target", "side"), ALL_MOVES)
def test_each_move_is_allowed_exactly_when_the_table_says(order, buyer, sme_owner, state, target, side):
    purchase = _put_in(order, state)
    user = buyer if side == states.BUYER else sme_owner
    if states.allowed(state, target, side):
        result = _do(target, purchase, user)
        assert result.status == target
        result.refresh_from_db()
        assert result.status == target
    else:
        with pytest.raises(ValidationError):
            _do(target, purchase, user)
        purchase.refresh_from_db()
        assert purchase.status == state


def test_the_whole_journey_dates_each_step_and_audits_it(order, buyer, sme_owner):
    from sentra.core.audit import history_for

    services.accept_order(purchase=order, user=sme_owner)
    services.record_delivery(
        purchase=order, user=sme_owner, quantities={order.lines.first().pk: 2}, on=today()
    )
    order.refresh_from_db()
    assert order.status == S.PARTLY_DELIVERED
    owed = {line.pk: line.quantity - line.delivered_quantity for line in order.lines.all()}
    services.record_delivery(
        purchase=order, user=sme_owner, quantities=owed, on=today(), note="Surat jalan 12"
    )
    services.confirm_receipt(purchase=order, user=buyer, on=today())
    services.record_payment(purchase=order, user=buyer, on=today(), reference="SP2D/0099")
    services.confirm_paid(purchase=order, user=sme_owner)
    order.refresh_from_db()
    assert order.status == S.PAID and order.accepted_at and order.payment_confirmed_at
    assert (
        order.received_on == today() and order.paid_on == today() and order.payment_reference == "SP2D/0099"
    )
    assert order.deliveries.count() == 2 and order.deliveries.last().complete
    verbs = [e.verb for e in history_for(order).order_by("id")]
    assert verbs == ["bebeli.order.placed", "bebeli.order.accepted", "bebeli.order.delivered",
                     "bebeli.order.delivered", "bebeli.order.received", "bebeli.order.payment_recorded",
                     "bebeli.order.paid_confirmed"]  # fmt: skip


def test_each_side_is_emailed_of_the_others_steps(
    order, buyer, sme_owner, mailoutbox, django_capture_on_commit_callbacks
):
    buyer.email = "gita@dinas.example.test"
    buyer.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_order(purchase=order, user=sme_owner)
    assert [m.to for m in mailoutbox] == [["gita@dinas.example.test"]]
    assert order.po_number in mailoutbox[0].subject
    services.record_delivery(
        purchase=order,
        user=sme_owner,
        quantities={line.pk: line.quantity for line in order.lines.all()},
        on=today(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_receipt(purchase=order, user=buyer, on=today())
    assert mailoutbox[-1].to == ["dewi@example.test"]


def test_a_stranger_can_take_no_step(order, partner, officer):
    for user in (partner, officer):
        with pytest.raises(ValidationError):
            services.accept_order(purchase=order, user=user)


def test_declining_and_cancelling_need_a_reason(order, buyer, sme_owner):
    with pytest.raises(ValidationError):
        services.decline_order(purchase=order, user=sme_owner, reason="  ")
    with pytest.raises(ValidationError):
        services.cancel_purchase(purchase=order, user=buyer, reason="")
    order.refresh_from_db()
    assert order.status == S.ORDERED


def test_more_than_ordered_cannot_be_delivered(order, sme_owner):
    services.accept_order(purchase=order, user=sme_owner)
    line = order.lines.first()
    with pytest.raises(ValidationError):
        services.record_delivery(
            purchase=order, user=sme_owner, quantities={line.pk: line.quantity + 1}, on=today()
        )
    line.refresh_from_db()
    assert line.delivered_quantity == 0
    assert not order.deliveries.exists()
