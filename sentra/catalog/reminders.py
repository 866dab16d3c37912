"""Reminders of the catalogue area (registered in apps.py): events an SME owner's business was in that
the Dinas cancelled.

Shown on the owner's home page (and in the daily reminder email) until the event's last day, so that
nobody travels to an exhibition that will not take place. One query whatever the number of events.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sentra.core.reminders import Reminder

from .models import EventParticipant


def cancelled_events(user, today: dt.date) -> list[Reminder]:
    participations = (
        EventParticipant.objects.filter(
            sme__accounts=user, event__cancelled_at__isnull=False, event__ends_on__gte=today
        )
        .exclude(status=EventParticipant.Status.DECLINED)
        .select_related("event", "sme")
        .order_by("event__starts_on", "event_id", "sme__name")
    )
    found = []
    for participation in participations:
        event = participation.event
        url = reverse("catalog:event", args=[event.slug]) if event.is_public else reverse("home")
        found.append(
            Reminder(
                title=_("Event cancelled: %(event)s (%(sme)s)")
                % {"event": event.name, "sme": participation.sme.name},
                detail=_("Planned for %(date)s. Reason: %(reason)s")
                % {"date": date_format(event.starts_on, "DATE_FORMAT"), "reason": event.cancel_reason},
                url=url,
                due_on=event.starts_on,
            )
        )
    return found
