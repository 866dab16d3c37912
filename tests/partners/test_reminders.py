"""The partnership area's reminders: agreements before expiry, foster assignments ending, offers waiting."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from sentra.core.reminders import due_for, send_reminders
from sentra.partners import services
from sentra.partners.models import Agreement, FosterAssignment, Partner
from tests.registry.factories import SmeFactory

from .factories import AgreementFactory, FosterFactory, OfferFactory


def today():
    # Asked each time, not at import: a long suite can cross midnight between the two.
    return timezone.localdate()


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def titles(user) -> list[str]:
    return [r.title for r in due_for(user)]


def test_the_responsible_officer_is_reminded_within_the_notice_before_the_end(officer, regency_officer):
    AgreementFactory(number="MOU-1", officer=officer, ends_on=days(60), remind_days=90)
    AgreementFactory(number="MOU-2", officer=officer, ends_on=days(120), remind_days=90)
    AgreementFactory(number="MOU-3", officer=officer, ends_on=days(120), remind_days=180)
    found = due_for(officer)
    assert [r.title.split()[0] for r in found] == ["MOU-1", "MOU-3"]
    assert found[0].url == reverse(
        "partners:agreement_detail", args=[Agreement.objects.get(number="MOU-1").public_id]
    )
    assert not found[0].overdue
    assert titles(regency_officer) == []


def test_an_agreement_without_an_officer_reminds_every_admin(admin_user, officer):
    AgreementFactory(number="MOU-9", officer=None, ends_on=days(10))
    assert [t.split()[0] for t in titles(admin_user)] == ["MOU-9"]
    assert titles(officer) == []


def test_an_expired_agreement_stays_overdue_until_it_is_renewed_or_ended(officer, admin_user):
    old = AgreementFactory(number="MOU-OLD", officer=officer, starts_on=days(-800), ends_on=days(-5))
    (reminder,) = due_for(officer)
    assert reminder.overdue and "MOU-OLD" in reminder.title

    services.end_agreement(agreement=old, actor=admin_user, note="Tidak diperpanjang.")
    assert titles(officer) == []


def test_a_renewed_agreement_reminds_nobody(officer):
    old = AgreementFactory(number="MOU-OLD", officer=officer, ends_on=days(20))
    AgreementFactory(number="MOU-NEW", officer=officer, renews=old, starts_on=days(21), ends_on=days(800))
    assert titles(officer) == []


def test_drafts_are_not_reminded(officer):
    AgreementFactory(number="MOU-D", officer=officer, status=Agreement.Status.DRAFT, ends_on=days(5))
    assert titles(officer) == []


def test_a_foster_assignment_ending_within_a_month_reminds_its_officer(officer, kecamatan):
    FosterFactory(officer=officer, kecamatan=kecamatan["tambun_selatan"], ends_on=days(20))
    FosterFactory(officer=officer, kecamatan=kecamatan["tambun_selatan"], ends_on=days(60))
    (reminder,) = due_for(officer)
    assert reminder.url == reverse(
        "partners:foster_detail", args=[FosterAssignment.objects.get(ends_on=days(20)).public_id]
    )


def test_an_sme_owner_is_reminded_of_offers_waiting_for_an_answer(sme_owner):
    sme = SmeFactory(accounts=[sme_owner])
    bank = OfferFactory(sme=sme, partner__name="Bank BJB", valid_until=days(10)).partner
    OfferFactory(sme=sme, partner=bank, kind="training", status="accepted")
    OfferFactory(sme=sme, partner=bank, kind="supply", valid_until=days(-1))
    OfferFactory(sme=SmeFactory(), partner=bank)
    (reminder,) = due_for(sme_owner)
    assert "Bank BJB" in reminder.title and reminder.due_on == days(10)


def test_the_officers_home_page_and_daily_email_carry_the_expiry_reminder(client, officer):
    AgreementFactory(number="MOU-1", title="Promosi ekspor", officer=officer, ends_on=days(30))
    officer.email = "budi@example.id"
    officer.save()
    client.force_login(officer)
    assert "MOU-1" in client.get(reverse("home")).content.decode()
    send_reminders()
    assert len(mail.outbox) == 1 and "MOU-1" in mail.outbox[0].body


@pytest.mark.parametrize("agreements", [1, 6])
def test_the_reminders_cost_the_same_queries_however_many_agreements(
    officer, agreements, django_assert_num_queries, kecamatan
):
    for n in range(agreements):
        AgreementFactory(number=f"MOU-{n}", officer=officer, ends_on=days(10 + n))
        FosterFactory(
            officer=officer,
            kecamatan=kecamatan["cikarang_utara"],
            ends_on=days(5),
            partner__kind=Partner.Kind.AGENCY,
        )
    # agreements; foster assignments; the Perda obligations the officer answers for (none here, so
    # its reports are not asked for)
    with django_assert_num_queries(3):
        assert len(due_for(officer)) == 2 * agreements
