"""Reminders: what is due for a user, from every area — on their home page, and by email once a day.

An agreement about to expire, a Perda report due or late, an offer waiting for an SME's answer:
each area knows its own due items, and this module gathers them. An area registers a
`ReminderSource` once, from its AppConfig.ready() (as sales channels register):

    reminders.register(ReminderSource(
        code="partners.agreements",
        label=_("Agreements about to expire"),
        roles=(Role.ADMIN, Role.OFFICER),
        due=agreements_due,          # (user, today) -> Iterable[Reminder]
    ))

`due(user, today)` returns the `Reminder`s due for that user on that day, already within the user's
scope, each with a link to the page where it is dealt with. It must cost a fixed number of queries
whatever the number of records: the home page asks every source on every visit. A source is only
asked about users whose role is in `roles` (None: every role).

`due_for(user)` lists them, overdue first, then by date (the home pages show this list).
`send_reminders()` (the command `sentra send_reminders`, run daily by cron or a systemd timer)
emails each active user with an email address their list. It is idempotent per day: the email
is recorded in the audit log as "core.reminders.emailed" on the user, noting the day, and a user
already emailed for that day is skipped, so running it twice (or after a crash) sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from .audit import log_action
from .models import AuditEntry

logger = logging.getLogger(__name__)
EMAILED_VERB = "core.reminders.emailed"


@dataclass(frozen=True)
class Reminder:
    title: str
    url: str  # a path within Sentra ("/partners/agreements/…/"); emails make it absolute
    due_on: dt.date
    detail: str = ""
    overdue: bool = False
    source: str = ""  # filled in by due_for()


@dataclass(frozen=True)
class ReminderSource:
    code: str
    label: str  # a lazy translation
    due: Callable[..., Iterable[Reminder]]  # (user, today) -> reminders
    roles: tuple[str, ...] | None = None


_SOURCES: dict[str, ReminderSource] = {}


def register(source: ReminderSource) -> None:
    """Add (or replace, on a reload) a source; called from the area's AppConfig.ready()."""
    _SOURCES[source.code] = source


def sources() -> list[ReminderSource]:
    return list(_SOURCES.values())


def due_for(user, *, today: dt.date | None = None) -> list[Reminder]:
    """Everything due for `user`: overdue first, then soonest first."""
    if not (user.is_authenticated and user.is_active):
        return []
    today = today or timezone.localdate()
    found: list[Reminder] = []
    for source in _SOURCES.values():
        if source.roles is not None and user.role not in source.roles:
            continue
        found.extend(replace(r, source=source.code) for r in source.due(user, today))
    return sorted(found, key=lambda r: (not r.overdue, r.due_on, r.title))


# --- the daily email ----------------------------------------------------------------------------


@dataclass
class SendResult:
    emailed: list[str] = field(default_factory=list)
    already_today: int = 0
    nothing_due: int = 0


def _emailed_on(user, today: dt.date) -> bool:
    # By the day reminded for, kept in the entry's note: a run for "today" just after midnight, or
    # one given --date, is the same day however the clock stood.
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(user, for_concrete_model=True),
        object_id=str(user.pk),
        verb=EMAILED_VERB,
        note=today.isoformat(),
    ).exists()


def absolute(url: str) -> str:
    return settings.SENTRA_BASE_URL.rstrip("/") + url


def recipients():
    from sentra.accounts.models import User

    roles = set()
    for source in _SOURCES.values():
        if source.roles is None:
            return User.objects.filter(is_active=True).exclude(email="").order_by("pk")
        roles.update(source.roles)
    return User.objects.filter(is_active=True, role__in=roles).exclude(email="").order_by("pk")


def send_reminders(*, today: dt.date | None = None, connection=None) -> SendResult:
    """Email every user their due reminders, at most once a day each."""
    today = today or timezone.localdate()
    result = SendResult()
    connection = connection or get_connection()
    for user in recipients().iterator():
        with transaction.atomic():
            # Locking the user makes two runs at once take turns: the second sees the first's entry.
            type(user).objects.select_for_update().filter(pk=user.pk).first()
            if _emailed_on(user, today):
                result.already_today += 1
                continue
            due = due_for(user, today=today)
            if not due:
                result.nothing_due += 1
                continue
            _send(user, due, today=today, connection=connection)
            log_action(
                actor=None,
                verb=EMAILED_VERB,
                obj=user,
                action=AuditEntry.Action.OTHER,
                changes={"reminders": [None, [r.title for r in due]]},
                note=today.isoformat(),
            )
            result.emailed.append(user.username)
    return result


def _send(user, due: list[Reminder], *, today: dt.date, connection) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "today": today,
            "reminders": [replace(r, url=absolute(r.url)) for r in due],
            "home": absolute("/"),
        }
        subject = ngettext(
            "Sentra UMKM: %(count)s reminder for %(date)s",
            "Sentra UMKM: %(count)s reminders for %(date)s",
            len(due),
        ) % {
            "count": len(due),
            "date": today.strftime("%d-%m-%Y"),
        }
        body = render_to_string("core/reminders_email.txt", context)
    send_mail(subject, body, None, [user.email], connection=connection)
    logger.info("Reminders emailed to user %s: %s", user.pk, len(due))
