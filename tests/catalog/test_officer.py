"""Officers: the curation queue, inquiries in their area, promotion events and the sales they report."""

import datetime as dt

import pytest
from django.urls import reverse

from sentra.catalog import services
from sentra.catalog.models import EventParticipant, EventSale, Product
from sentra.sales import channels as sales
from tests.registry.factories import SmeFactory

from .factories import ProductFactory


@pytest.fixture
def pending_here(kecamatan):
    return ProductFactory(
        pending=True, sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"]), name_id="Emping Melinjo"
    )


@pytest.fixture
def pending_elsewhere(kecamatan):
    return ProductFactory(
        pending=True, sme=SmeFactory(kecamatan=kecamatan["tambun_selatan"]), name_id="Opak Ketan"
    )


def test_the_queue_shows_an_officer_only_the_products_of_their_area(
    client, officer, pending_here, pending_elsewhere
):
    client.force_login(officer)
    html = client.get(reverse("catalog_officer:queue")).content.decode()
    assert "Emping Melinjo" in html and "Opak Ketan" not in html
    assert (
        client.get(reverse("catalog_officer:review", args=[pending_elsewhere.public_id])).status_code == 404
    )
    response = client.post(reverse("catalog_officer:approve", args=[pending_elsewhere.public_id]))
    assert response.status_code == 404
    assert Product.objects.get(pk=pending_elsewhere.pk).status == Product.Status.PENDING


def test_an_officer_approves_from_the_review_page(client, officer, pending_here):
    client.force_login(officer)
    assert client.get(reverse("catalog_officer:review", args=[pending_here.public_id])).status_code == 200
    client.post(reverse("catalog_officer:approve", args=[pending_here.public_id]), {"note": "OK"})
    assert Product.objects.get(pk=pending_here.pk).status == Product.Status.APPROVED


def test_returning_without_a_note_is_refused_and_changes_nothing(client, officer, pending_here):
    client.force_login(officer)
    client.post(reverse("catalog_officer:return", args=[pending_here.public_id]), {"note": ""})
    assert Product.objects.get(pk=pending_here.pk).status == Product.Status.PENDING


@pytest.mark.parametrize("role", ["cashier", "partner", "buyer", "outsider", "sme_owner"])
def test_only_the_dinas_opens_the_officer_pages(client, personas, role):
    client.force_login(personas[role])
    for name in ("catalog_officer:queue", "catalog_officer:inquiries", "catalog_officer:events"):
        assert client.get(reverse(name)).status_code == 403


def test_the_queue_costs_the_same_queries_for_few_or_many_products(client, officer, kecamatan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)
    ProductFactory(pending=True, sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"]))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("catalog_officer:queue"))
        client.get(reverse("catalog_officer:events"))
    for _ in range(8):
        ProductFactory(pending=True, sme=SmeFactory(kecamatan=kecamatan["cikarang_utara"]))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("catalog_officer:queue"))
        client.get(reverse("catalog_officer:events"))
    assert len(many) == len(few)


@pytest.fixture
def expo(admin_user):
    return services.create_event(
        actor=admin_user,
        data={"name_id": "Bekasi Expo", "kind": "exhibition", "reach": "local", "starts_on": dt.date(2024, 5, 10),
              "ends_on": dt.date(2024, 5, 12), "venue": "Gedung Juang", "city": "Bekasi", "organiser": "Dinkop UKM",
              "regency_id": admin_user.regency_id},
    )  # fmt: skip


def _attending(expo, admin_user, sme=None):
    sme = sme or SmeFactory()
    services.invite_smes(event=expo, smes=[sme], actor=admin_user)
    participant = expo.participants.get(sme=sme)
    services.set_participation(participant=participant, status="confirmed", actor=admin_user)
    return services.set_participation(participant=participant, status="attended", actor=admin_user)


def test_participation_goes_invited_confirmed_attended(expo, admin_user):
    sme = SmeFactory()
    services.invite_smes(event=expo, smes=[sme], actor=admin_user)
    participant = expo.participants.get(sme=sme)
    with pytest.raises(services.CatalogError):
        services.set_participation(participant=participant, status="attended", actor=admin_user)
    assert _attending(expo, admin_user, sme).status == EventParticipant.Status.ATTENDED


def test_event_sales_are_records_counted_by_the_sales_channel(expo, admin_user):
    participant = _attending(expo, admin_user)
    services.record_event_sale(
        participant=participant,
        actor=admin_user,
        amount=1_250_000,
        sold_on=dt.date(2024, 5, 10),
        verified=True,
    )
    services.record_event_sale(
        participant=participant, actor=admin_user, amount=900_000, sold_on=dt.date(2024, 5, 11)
    )
    total = sales.grand_total(where=sales.SalesFilter(channels=["event"]))
    assert (total.amount, total.count) == (2_150_000, 2)
    by_sme = sales.totals(by="sme", where=sales.SalesFilter(channels=["event"], verified_only=True))
    assert by_sme[(participant.sme_id,)].amount == 1_250_000
    line = sales.lines(where=sales.SalesFilter(channels=["event"]))[0]
    assert line["on"] == dt.date(2024, 5, 11) and line["url"].endswith(f"/catalog/events/{expo.slug}/")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"amount": -5, "sold_on": dt.date(2024, 5, 10)},
        {"amount": 1000, "sold_on": dt.date(2024, 5, 13)},  # the day after
        {"amount": 1000},  # no day, not the whole event
    ],
)
def test_bad_event_sales_are_refused(expo, admin_user, kwargs):
    participant = _attending(expo, admin_user)
    with pytest.raises(services.CatalogError):
        services.record_event_sale(participant=participant, actor=admin_user, **kwargs)
    assert not EventSale.objects.exists()


def test_a_whole_event_total_excludes_daily_figures_for_the_same_sme(expo, admin_user):
    participant = _attending(expo, admin_user)
    sale = services.record_event_sale(
        participant=participant, actor=admin_user, amount=5_000_000, whole_event=True
    )
    assert sale.sold_on == expo.ends_on
    with pytest.raises(services.CatalogError):
        services.record_event_sale(
            participant=participant, actor=admin_user, amount=1, sold_on=dt.date(2024, 5, 10)
        )


def test_an_officer_records_sales_from_the_event_page(client, admin_user, expo):
    participant = _attending(expo, admin_user)
    client.force_login(admin_user)
    client.post(
        reverse("catalog_officer:event_sale", args=[expo.slug, participant.pk]),
        {"amount": "Rp 2.500.000", "sold_on": "2024-05-11"},
    )
    assert EventSale.objects.get().amount == 2_500_000
    html = client.get(reverse("catalog_officer:event", args=[expo.slug])).content.decode()
    assert "Rp 2.500.000" in html


def test_the_public_events_page_lists_exhibitors_of_coming_events(client, admin_user, expo):
    from django.utils import timezone

    coming = services.create_event(
        actor=admin_user,
        data={"name_id": "Bazar Ramadan", "kind": "bazaar", "starts_on": timezone.localdate() + dt.timedelta(days=10),
              "ends_on": timezone.localdate() + dt.timedelta(days=12), "venue": "Alun-alun", "city": "Cikarang",
              "organiser": "Dinkop UKM", "regency_id": admin_user.regency_id},
    )  # fmt: skip
    sme = SmeFactory(name="Dapur Mpok Ipah")
    services.invite_smes(event=coming, smes=[sme], actor=admin_user)
    html = client.get(reverse("catalog:events")).content.decode()
    assert "Bazar Ramadan" in html and "Bekasi Expo" in html
    assert (sme.brand or sme.name) in client.get(
        reverse("catalog:event", args=[coming.slug])
    ).content.decode()
