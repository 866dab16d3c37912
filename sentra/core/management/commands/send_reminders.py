"""`sentra send_reminders`: email each user what is due for them (once a day; safe to run again)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sentra.core.reminders import send_reminders


class Command(BaseCommand):
    help = "Email every user their due reminders (agreements about to expire, reports due, offers waiting)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to remind for, YYYY-MM-DD (default: today)")

    def handle(self, *args, date=None, **options):
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(_("The date must be written YYYY-MM-DD, e.g. 2026-12-01.")) from None
        result = send_reminders(today=today)
        self.stdout.write(
            _(
                "Reminders emailed to %(emailed)s users; %(already)s already emailed today; %(none)s with nothing due."
            )
            % {"emailed": len(result.emailed), "already": result.already_today, "none": result.nothing_due}
        )
