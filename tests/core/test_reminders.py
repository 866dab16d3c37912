"""The shared reminder mechanism: sources registered by areas, listed per user, emailed once a day."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from sentra.accounts.models import Role
from sentra.core import reminders
from sentra.core.models import AuditEntry

TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def stand_in_sources():
    """Two sources of the test's own, in place of the areas' ones."""
    saved = dict(reminders._SOURCES)
    reminders._SOURCES.clear()

    def report_due(user, today):
        yield reminders.Reminder(
            title="Laporan Perda triwulan III", url="/perda/1/", due_on=today + dt.timedelta(days=5)
        )
        yield reminders.Reminder(
            title="Laporan Perda triwulan II",
            url="/perda/2/",
            due_on=today - dt.timedelta(days=20),
            overdue=True,
        )

    def everyone(user, today):
        return [
            reminders.Reminder(title=f"Hello {user.username}", url="/", due_on=today + dt.timedelta(days=1))
        ]

    reminders.register(reminders.ReminderSource("test.reports", "Reports", report_due, roles=(Role.OFFICER,)))
    reminders.register(reminders.ReminderSource("test.everyone", "Everyone", everyone))
    yield
    reminders._SOURCES.clear()
    reminders._SOURCES.update(saved)


def test_a_user_gets_the_reminders_of_the_sources_for_their_role_overdue_first(
    stand_in_sources, officer, buyer
):
    found = reminders.due_for(officer, today=TODAY)
    assert [r.title for r in found] == [
        "Laporan Perda triwulan II",
        "Hello budi_officer",
        "Laporan Perda triwulan III",
    ]
    assert [r.source for r in found] == ["test.reports", "test.everyone", "test.reports"]
    assert [r.title for r in reminders.due_for(buyer, today=TODAY)] == ["Hello gita_buyer"]


def test_an_inactive_user_gets_no_reminders(stand_in_sources, officer):
    officer.is_active = False
    assert reminders.due_for(officer, today=TODAY) == []


def test_each_user_with_an_email_address_gets_one_email_with_absolute_links(
    stand_in_sources, officer, buyer, settings
):
    settings.SENTRA_BASE_URL = "https://sentra.bekasikab.go.id/"
    officer.email, buyer.email = "budi@example.id", ""
    officer.save(), buyer.save()

    result = reminders.send_reminders(today=TODAY)

    assert result.emailed == ["budi_officer"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["budi@example.id"]
    assert "3" in message.subject and "01-12-2026" in message.subject
    assert "https://sentra.bekasikab.go.id/perda/2/" in message.body
    assert "Laporan Perda triwulan II" in message.body
    # In the installation's language, whatever language the sender runs in.
    assert "Halo" in message.body


def test_sending_again_the_same_day_sends_nothing_and_the_next_day_sends_again(stand_in_sources, officer):
    officer.email = "budi@example.id"
    officer.save()
    reminders.send_reminders(today=TODAY)
    again = reminders.send_reminders(today=TODAY)
    assert len(mail.outbox) == 1 and again.already_today == 1
    entry = AuditEntry.objects.get(verb=reminders.EMAILED_VERB)
    assert entry.object_id == str(officer.pk) and entry.note == "2026-12-01"


def test_the_next_day_is_a_new_day(stand_in_sources, officer):
    officer.email = "budi@example.id"
    officer.save()
    reminders.send_reminders(today=TODAY)
    reminders.send_reminders(today=TODAY + dt.timedelta(days=1))
    assert len(mail.outbox) == 2


def test_a_user_with_nothing_due_gets_no_email(officer, buyer):
    buyer.email = "gita@example.id"
    buyer.save()
    saved = dict(reminders._SOURCES)
    reminders._SOURCES.clear()
    try:
        reminders.register(reminders.ReminderSource("test.none", "None", lambda user, today: []))
        result = reminders.send_reminders(today=TODAY)
    finally:
        reminders._SOURCES.clear()
        reminders._SOURCES.update(saved)
    assert mail.outbox == [] and result.nothing_due == 1


def test_the_command_sends_and_says_how_many(stand_in_sources, officer, capsys):
    officer.email = "budi@example.id"
    officer.save()
    call_command("send_reminders", date="2026-12-01")
    assert len(mail.outbox) == 1
    assert "1" in capsys.readouterr().out


def test_the_command_refuses_a_date_it_cannot_read(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="2026-12-01"):
        call_command("send_reminders", date="1/12/2026")


def test_the_home_page_lists_the_reminders(stand_in_sources, client, officer):
    client.force_login(officer)
    html = client.get("/").content.decode()
    assert "Laporan Perda triwulan II" in html and 'href="/perda/2/"' in html
