"""Officers edit and cancel promotion events: audited, participants told, the public pages follow."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from sentra.catalog import services
from sentra.catalog.models import PromotionEvent
from sentra.core.models import AuditEntry
from sentra.core.reminders import due_for
from tests.registry.factories import SmeFactory


def _days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def bazaar(admin_user):
    return services.create_event(
        actor=admin_user,
        data={"name_id": "Bazar Ramadan", "kind": "bazaar", "starts_on": _days(10), "ends_on": _days(12),
              "venue": "Alun-alun", "city": "Cikarang", "organiser": "Dinkop UKM",
              "regency_id": admin_user.regency_id},
    )  # fmt: skip


@pytest.fixture
def exhibitor(bazaar, admin_user, sme_owner, kecamatan):
    sme_owner.email = "dewi@example.com"
    sme_owner.save()
    sme = SmeFactory(name="Dapur Mpok Ipah", kecamatan=kecamatan["cikarang_utara"])
    sme.accounts.add(sme_owner)
    services.invite_smes(event=bazaar, smes=[sme], actor=admin_user)
    return sme


def test_an_officer_edits_an_event_and_the_participants_are_emailed_the_new_dates(
    client, admin_user, bazaar, exhibitor, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    form = client.get(reverse("catalog_officer:event_edit", args=[bazaar.slug]))
    assert form.status_code == 200 and "Alun-alun" in form.content.decode()
    data = {"name_id": "Bazar Ramadan", "kind": "bazaar", "reach": "local", "starts_on": _days(17).isoformat(),
            "ends_on": _days(19).isoformat(), "venue": "Gedung Juang", "city": "Cikarang", "country": "ID",
            "organiser": "Dinkop UKM", "is_public": "on"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("catalog_officer:event_edit", args=[bazaar.slug]), data)
    assert response.status_code == 302
    bazaar.refresh_from_db()
    assert (bazaar.starts_on, bazaar.venue) == (_days(17), "Gedung Juang")
    entry = AuditEntry.objects.get(verb="catalog.event.updated")
    assert entry.actor == admin_user and entry.changes["venue"] == ["Alun-alun", "Gedung Juang"]
    assert [m.to for m in mailoutbox] == [["dewi@example.com"]]
    assert "Gedung Juang" in mailoutbox[0].body
    assert "Gedung Juang" in client.get(reverse("catalog:event", args=[bazaar.slug])).content.decode()


def test_an_edit_that_changes_neither_date_nor_place_emails_nobody(
    admin_user, bazaar, exhibitor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(event=bazaar, actor=admin_user, data={"description_id": "Takjil dan kue."})
    assert mailoutbox == []
    assert AuditEntry.objects.filter(verb="catalog.event.updated").count() == 1


def test_an_edit_with_the_last_day_before_the_first_is_refused(client, admin_user, bazaar):
    client.force_login(admin_user)
    data = {"name_id": "Bazar Ramadan", "kind": "bazaar", "reach": "local", "starts_on": _days(10).isoformat(),
            "ends_on": _days(5).isoformat(), "venue": "Alun-alun", "city": "Cikarang", "country": "ID",
            "organiser": "Dinkop UKM", "is_public": "on"}  # fmt: skip
    response = client.post(reverse("catalog_officer:event_edit", args=[bazaar.slug]), data)
    assert response.status_code == 200
    bazaar.refresh_from_db()
    assert bazaar.ends_on == _days(12)
    assert not AuditEntry.objects.filter(verb="catalog.event.updated").exists()


def test_cancelling_needs_a_reason(client, admin_user, bazaar):
    client.force_login(admin_user)
    client.post(reverse("catalog_officer:event_cancel", args=[bazaar.slug]), {"reason": "   "})
    assert not PromotionEvent.objects.get(pk=bazaar.pk).is_cancelled
    with pytest.raises(services.CatalogError):
        services.cancel_event(event=bazaar, actor=admin_user, reason="")


def test_a_cancelled_event_is_audited_emailed_and_marked_on_the_public_pages(
    client, admin_user, bazaar, exhibitor, sme_owner, mailoutbox, django_capture_on_commit_callbacks
):
    # Seen before the cancellation: the cached public pages must not outlive it.
    assert "Bazar Ramadan" in client.get(reverse("catalog:home")).content.decode()
    with translation.override("en"):
        events_en = reverse("catalog:events")
    assert "Cancelled" not in client.get(events_en).content.decode()
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("catalog_officer:event_cancel", args=[bazaar.slug]), {"reason": "Venue flooded"})
    bazaar.refresh_from_db()
    assert bazaar.is_cancelled and bazaar.cancel_reason == "Venue flooded"
    entry = AuditEntry.objects.get(verb="catalog.event.cancelled")
    assert entry.actor == admin_user and entry.note == "Venue flooded"
    assert [m.to for m in mailoutbox] == [["dewi@example.com"]] and "Venue flooded" in mailoutbox[0].body
    officer_page = client.get(reverse("catalog_officer:event", args=[bazaar.slug])).content.decode()
    assert "Venue flooded" in officer_page
    assert reverse("catalog_officer:event_cancel", args=[bazaar.slug]) not in officer_page
    assert reverse("catalog_officer:event_edit", args=[bazaar.slug]) not in officer_page
    client.logout()
    events = client.get(events_en).content.decode()
    assert "Bazar Ramadan" in events and "Cancelled" in events
    detail = client.get(reverse("catalog:event", args=[bazaar.slug])).content.decode()
    assert "Venue flooded" in detail
    assert "Bazar Ramadan" not in client.get(reverse("catalog:home")).content.decode()
    # The owner sees it on their Sentra home page until the event's last day.
    reminders = due_for(sme_owner)
    assert [r.source for r in reminders] == ["catalog.events_cancelled"]
    assert "Bazar Ramadan" in reminders[0].title and "Venue flooded" in reminders[0].detail
    assert due_for(sme_owner, today=_days(13)) == []


def test_a_declined_participant_is_not_told(
    admin_user, bazaar, exhibitor, sme_owner, mailoutbox, django_capture_on_commit_callbacks
):
    services.set_participation(
        participant=bazaar.participants.get(sme=exhibitor), status="declined", actor=admin_user
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(event=bazaar, actor=admin_user, reason="Venue flooded")
    assert mailoutbox == [] and due_for(sme_owner) == []


def test_a_cancelled_event_takes_no_more_changes(admin_user, bazaar, exhibitor):
    services.cancel_event(event=bazaar, actor=admin_user, reason="Venue flooded")
    participant = bazaar.participants.get(sme=exhibitor)
    for change in (
        lambda: services.cancel_event(event=bazaar, actor=admin_user, reason="again"),
        lambda: services.update_event(event=bazaar, actor=admin_user, data={"venue": "Elsewhere"}),
        lambda: services.invite_smes(event=PromotionEvent.objects.get(pk=bazaar.pk), smes=[SmeFactory()], actor=admin_user),
        lambda: services.set_participation(participant=participant, status="confirmed", actor=admin_user),
    ):  # fmt: skip
        with pytest.raises(services.CatalogError):
            change()
    assert AuditEntry.objects.filter(verb="catalog.event.cancelled").count() == 1


def test_an_event_that_has_ended_cannot_be_cancelled(admin_user):
    past = services.create_event(
        actor=admin_user,
        data={"name_id": "Expo Lama", "kind": "exhibition", "starts_on": _days(-5), "ends_on": _days(-3),
              "venue": "Gedung Juang", "city": "Bekasi", "organiser": "Dinkop UKM",
              "regency_id": admin_user.regency_id},
    )  # fmt: skip
    with pytest.raises(services.CatalogError):
        services.cancel_event(event=past, actor=admin_user, reason="Too late")


@pytest.mark.parametrize("role", ["cashier", "partner", "buyer", "outsider", "sme_owner"])
def test_only_the_dinas_edits_or_cancels_events(client, personas, role, bazaar):
    client.force_login(personas[role])
    assert client.get(reverse("catalog_officer:event_edit", args=[bazaar.slug])).status_code == 403
    client.post(reverse("catalog_officer:event_cancel", args=[bazaar.slug]), {"reason": "x"})
    assert not PromotionEvent.objects.get(pk=bazaar.pk).is_cancelled
