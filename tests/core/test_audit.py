import pytest
from django.db import transaction

from sentra.core.audit import diff, history_for, log_action, snapshot
from sentra.core.models import AuditEntry
from sentra.registry.models import Owner


@pytest.fixture
def owner(db):
    return Owner.objects.create(name="Siti Aminah", nik="3216014407900012", phone="+6281299990000")


def test_a_change_records_who_what_and_old_to_new(owner, admin_user):
    before = snapshot(owner)
    owner.name = "Siti Aminah Lestari"
    owner.save()
    log_action(
        actor=admin_user, verb="registry.owner.updated", obj=owner, changes=diff(before, snapshot(owner))
    )

    entry = history_for(owner).get()
    assert entry.actor == admin_user
    assert entry.changes == {"name": ["Siti Aminah", "Siti Aminah Lestari"]}
    assert entry.at is not None


def test_personal_data_is_masked_in_the_audit_trail(owner, admin_user):
    before = snapshot(owner)
    owner.nik = "3216015502850003"
    owner.save()
    log_action(
        actor=admin_user, verb="registry.owner.updated", obj=owner, changes=diff(before, snapshot(owner))
    )

    old, new = history_for(owner).get().changes["nik"]
    assert old == "3216••••••••0012"
    assert new == "3216••••••••0003"
    assert "3216014407900012" not in str(AuditEntry.objects.values_list("changes", flat=True)[0])


def test_unchanged_fields_are_not_listed(owner):
    assert diff(snapshot(owner), snapshot(owner)) == {}


def test_a_rolled_back_change_leaves_no_audit_entry(owner, admin_user):
    with pytest.raises(RuntimeError), transaction.atomic():
        log_action(actor=admin_user, verb="registry.owner.updated", obj=owner, changes={"name": ["a", "b"]})
        raise RuntimeError("the change failed")
    assert not history_for(owner).exists()


def test_history_lists_only_the_records_own_entries_newest_first(owner, admin_user):
    other = Owner.objects.create(name="Budi")
    log_action(actor=admin_user, verb="registry.owner.created", obj=owner, action=AuditEntry.Action.CREATE)
    log_action(actor=admin_user, verb="registry.owner.created", obj=other, action=AuditEntry.Action.CREATE)
    log_action(actor=admin_user, verb="registry.owner.updated", obj=owner)
    assert [e.verb for e in history_for(owner)] == ["registry.owner.updated", "registry.owner.created"]


def test_changes_made_in_the_back_office_are_audited(client, admin_user, officer):
    client.force_login(admin_user)
    response = client.post(
        f"/admin/accounts/user/{officer.pk}/change/",
        {
            "username": officer.username,
            "first_name": officer.first_name,
            "last_name": "",
            "email": "",
            "is_active": "on",
            "role": "officer",
            "regency": officer.regency_id,
            "kecamatan": [k.pk for k in officer.kecamatan.all()],
            "organisation": "Dinas Koperasi dan UKM",
            "date_joined_0": "2026-01-05",
            "date_joined_1": "08:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = history_for(officer).get()
    assert entry.actor == admin_user
    assert entry.changes["organisation"] == ["", "Dinas Koperasi dan UKM"]
