"""The shared sales interface: channels registered by areas, read in one shape.

Real channels arrive with their areas (outlets, Bebeli, events, exports); here two stand-in channels
over the registry's scale history (which holds an SME, a date and Rupiah) test the mechanism itself.
"""

import datetime as dt

import pytest
from django.db.models import F, Q
from django.db.models.functions import TruncDate

from sentra.registry.models import ScaleRecord, Sme
from sentra.sales import channels as sales
from tests.registry.factories import SmeFactory


def _scale_lines(basis):
    def lines():
        return ScaleRecord.objects.filter(basis=basis).annotate(
            sale_sme_id=F("sme_id"),
            sale_on=TruncDate("recorded_at"),
            sale_amount=F("turnover"),
            sale_verified=Q(scale="micro"),
        )

    return lines


@pytest.fixture
def stand_in_channels():
    saved = dict(sales._CHANNELS)
    sales._CHANNELS.clear()
    sales.register(sales.Channel("one", "One", _scale_lines("turnover"), record_url=lambda pk: f"/one/{pk}"))
    sales.register(sales.Channel("two", "Two", _scale_lines("capital")))
    yield
    sales._CHANNELS.clear()
    sales._CHANNELS.update(saved)


def _record(sme, basis, amount, on, scale="micro"):
    record = ScaleRecord.objects.create(sme=sme, scale=scale, basis=basis, turnover=amount)
    moment = dt.datetime(on.year, on.month, on.day, 12, tzinfo=dt.UTC)
    ScaleRecord.objects.filter(pk=record.pk).update(recorded_at=moment)
    return record


@pytest.mark.django_db
def test_totals_add_up_every_channel_and_say_what_each_gave(stand_in_channels):
    a, b = SmeFactory(), SmeFactory()
    _record(a, "turnover", 1_000, dt.date(2024, 1, 5))
    _record(a, "capital", 250, dt.date(2024, 2, 5))
    _record(b, "turnover", 7, dt.date(2023, 12, 31), scale="small")

    total = sales.grand_total()
    assert (total.amount, total.count) == (1_257, 3)
    assert total.by_channel == {"one": 1_007, "two": 250}

    by_sme = sales.totals(by="sme")
    assert by_sme[(a.pk,)].amount == 1_250 and by_sme[(b.pk,)].amount == 7

    by_month = sales.totals(by="month")
    assert {key: t.amount for key, t in by_month.items()} == {(2024, 1): 1_000, (2024, 2): 250, (2023, 12): 7}


@pytest.mark.django_db
def test_filters_narrow_by_sme_date_channel_and_verification(stand_in_channels):
    a, b = SmeFactory(), SmeFactory()
    _record(a, "turnover", 1_000, dt.date(2024, 1, 5))
    _record(a, "capital", 250, dt.date(2024, 2, 5))
    _record(b, "turnover", 7, dt.date(2023, 12, 31), scale="small")

    def amount(**kw):
        return sales.grand_total(where=sales.SalesFilter(**kw)).amount

    assert amount(sme_ids=[b.pk]) == 7
    assert amount(sme_ids=Sme.objects.filter(pk=b.pk).values("pk")) == 7  # a subquery, for large groups
    assert amount(start=dt.date(2024, 1, 1)) == 1_250
    assert amount(end=dt.date(2024, 1, 5)) == 1_007
    assert amount(channels=["two"]) == 250
    assert amount(verified_only=True) == 1_250


@pytest.mark.django_db
def test_lines_come_newest_first_across_channels_with_a_link_to_their_record(stand_in_channels):
    a = SmeFactory()
    first = _record(a, "turnover", 1_000, dt.date(2024, 1, 5))
    second = _record(a, "capital", 250, dt.date(2024, 2, 5))

    found = sales.lines()
    assert [(line["channel"], line["record"], line["amount"]) for line in found] == [
        ("two", second.pk, 250),
        ("one", first.pk, 1_000),
    ]
    assert found[0]["on"] == dt.date(2024, 2, 5) and found[0]["url"] == ""
    assert found[1]["url"] == f"/one/{first.pk}" and found[1]["verified"] is True


@pytest.mark.django_db
def test_totals_cost_one_query_per_channel_whatever_the_rows(stand_in_channels, django_assert_num_queries):
    for _ in range(5):
        _record(SmeFactory(), "turnover", 10, dt.date(2024, 3, 1))
    with django_assert_num_queries(2):
        sales.totals(by="sme_year")
    with django_assert_num_queries(1):
        sales.lines(limit=3)
