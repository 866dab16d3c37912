"""Reminders of the Perda area (registered in apps.py): reports due, late, returned, waiting for review.

Each source costs two queries whatever the number of obligations and reports: the obligations in
the user's scope, then the reports of those obligations; the periods are worked out in Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from sentra.core.reminders import Reminder

from .models import Obligation, Realisation
from .services import reportable_periods


def _scoped(obligations) -> tuple[list[Obligation], dict[tuple[int, dt.date], Realisation]]:
    obligations = list(obligations.select_related("partner"))
    reports = Realisation.objects.filter(obligation__in=[o.pk for o in obligations]).only(
        "public_id", "obligation_id", "period_start", "status", "submitted_at"
    )
    return obligations, {(r.obligation_id, r.period_start): r for r in reports}


def _missing(obligations, reports, today: dt.date, *, only_late: bool = False) -> Iterable[Reminder]:
    """Periods that have ended without a report: due until `grace_days` after the end, late after."""
    for obligation in obligations:
        for period in reportable_periods(obligation, today=today):
            if period.end >= today or (obligation.pk, period.start) in reports:
                continue
            due = period.due_on(obligation.grace_days)
            late = today > due
            if only_late and not late:
                continue
            title = (
                _("Perda report late: %(partner)s, %(period)s")
                if late
                else _("Perda report due: %(partner)s, %(period)s")
            ) % {"partner": obligation.partner.name, "period": period.label}
            url = (
                reverse("perda:report_create", args=[obligation.public_id])
                + f"?period={period.start:%Y-%m-%d}"
            )
            yield Reminder(title=title, url=url, due_on=due, overdue=late)


def partner_reports_due(user, today: dt.date) -> list[Reminder]:
    obligations, reports = _scoped(Obligation.objects.for_user(user))
    found = list(_missing(obligations, reports, today))
    by_pk = {o.pk: o for o in obligations}
    for report in reports.values():
        if report.status == Realisation.ReviewStatus.RETURNED:
            obligation = by_pk[report.obligation_id]
            found.append(
                Reminder(
                    title=_("Perda report returned for correction: %(partner)s")
                    % {"partner": obligation.partner.name},
                    url=reverse("perda:report_detail", args=[report.public_id]),
                    due_on=today,
                    overdue=True,
                )
            )
    return found


def officer_reports_due(user, today: dt.date) -> list[Reminder]:
    """Reports waiting for review and late reports of the obligations this officer is responsible for."""
    mine = Obligation.objects.filter(Q(officer=user) | Q(officer__isnull=True))
    obligations, reports = _scoped(mine)
    found = list(_missing(obligations, reports, today, only_late=True))
    by_pk = {o.pk: o for o in obligations}
    for report in reports.values():
        if report.status == Realisation.ReviewStatus.SUBMITTED:
            found.append(
                Reminder(
                    title=_("Perda report to review: %(partner)s")
                    % {"partner": by_pk[report.obligation_id].partner.name},
                    url=reverse("perda:report_detail", args=[report.public_id]),
                    due_on=report.submitted_at.date(),
                )
            )
    return found
