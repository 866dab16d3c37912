"""The partnership area's reminders (registered with `sentra.core.reminders` in apps.py).

- Officers: a signed agreement within its reminder window before the end (or past it) that is not
  renewed or closed — until an officer renews it or marks it ended. An agreement's reminders go to
  its responsible officer; one without an officer, to every Dinas admin.
- Officers: a foster-parent assignment ending within a month, so its report is collected in time.
- SME owners: an offer from a partner waiting for their answer.
"""

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from sentra.accounts.models import Role
from sentra.core.reminders import Reminder
from sentra.core.templatetags.sentra import format_date

from .models import Agreement, FosterAssignment, Offer

# Agreements may ask for up to a year's notice (the form's limit): read those, then apply each one's own.
LONGEST_NOTICE_DAYS = 365
FOSTER_NOTICE_DAYS = 30


def _responsible(user) -> Q:
    """Records whose reminders this user gets: their own, and, for an admin, those without an officer."""
    mine = Q(officer=user)
    return mine | Q(officer__isnull=True) if user.role == Role.ADMIN else mine


def agreements_due(user, today: dt.date) -> list[Reminder]:
    renewed = Agreement.objects.filter(renews=OuterRef("pk"))
    agreements = (
        Agreement.objects.signed()
        .filter(_responsible(user), ends_on__lte=today + dt.timedelta(days=LONGEST_NOTICE_DAYS))
        .filter(~Exists(renewed))
        .only("public_id", "number", "title", "ends_on", "remind_days")
        .order_by("ends_on")
    )
    found = []
    for agreement in agreements:
        if agreement.ends_on > today + dt.timedelta(days=agreement.remind_days):
            continue
        url = reverse("partners:agreement_detail", args=[agreement.public_id])
        if agreement.ends_on < today:
            title = _("%(number)s expired on %(date)s") % {
                "number": agreement.number,
                "date": format_date(agreement.ends_on),
            }
            detail = _("%(title)s. Renew it, or mark it ended.") % {"title": agreement.title}
        else:
            title = _("%(number)s expires on %(date)s") % {
                "number": agreement.number,
                "date": format_date(agreement.ends_on),
            }
            detail = _("%(title)s. Prepare the renewal or the closing report.") % {"title": agreement.title}
        found.append(
            Reminder(
                title=title,
                detail=detail,
                url=url,
                due_on=agreement.ends_on,
                overdue=agreement.ends_on < today,
            )
        )
    return found


def fosters_due(user, today: dt.date) -> list[Reminder]:
    assignments = (
        FosterAssignment.objects.filter(
            _responsible(user), ends_on__gte=today, ends_on__lte=today + dt.timedelta(days=FOSTER_NOTICE_DAYS)
        )
        .select_related("partner", "kecamatan")
        .order_by("ends_on")
    )
    return [
        Reminder(
            title=_("The foster-parent assignment of %(partner)s ends on %(date)s")
            % {"partner": a.partner.name, "date": format_date(a.ends_on)},
            detail=_("Collect its report of activities and progress."),
            url=reverse("partners:foster_detail", args=[a.public_id]),
            due_on=a.ends_on,
        )
        for a in assignments
    ]


def offers_due(user, today: dt.date) -> list[Reminder]:
    offers = (
        Offer.objects.filter(sme__accounts=user, sme__merged_into__isnull=True, status=Offer.Status.OPEN)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("partner", "sme")
        .order_by("sent_at")
    )
    found = []
    for offer in offers:
        due_on = offer.valid_until or offer.sent_at.date()
        found.append(
            Reminder(
                title=_("%(partner)s sent %(sme)s an offer: %(title)s")
                % {"partner": offer.partner.name, "sme": offer.sme.name, "title": offer.title},
                detail=_("Answer by %(date)s.") % {"date": format_date(offer.valid_until)}
                if offer.valid_until
                else _("Waiting for your answer."),
                url=reverse("sme_partners:offer", args=[offer.public_id]),
                due_on=due_on,
            )
        )
    return found
