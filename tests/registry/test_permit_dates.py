"""Sme.halal_valid_until / pirt_valid_until, the SME's copy of its permit dates that the list's
legality gaps read, stay equal to what its permits say after every kind of permit write."""

import datetime as dt

import pytest
from django.utils import timezone

from sentra.registry.duplicates import merge_smes
from sentra.registry.forms import SmeFilterForm
from sentra.registry.models import NO_EXPIRY, PERMIT_DATE_COLUMNS, Permit, Sme, valid_until_values
from sentra.registry.services import record_permit

from .factories import PermitFactory, SmeFactory

pytestmark = pytest.mark.django_db


def today():
    # Asked each time, not at import: a long suite can cross midnight between the two.
    return timezone.localdate()


def from_permits(sme: Sme) -> dict:
    """The columns as the permits say, worked out here in Python: the latest expiry of a kind, a
    permit without one counting as valid for good, None when the SME holds none of that kind."""
    expected = {}
    for kind, column in PERMIT_DATE_COLUMNS.items():
        dates = [p.expires_on or NO_EXPIRY for p in Permit.objects.filter(sme=sme, kind=kind)]
        expected[column] = max(dates) if dates else None
    return expected


def stored(sme: Sme) -> dict:
    return Sme.objects.filter(pk=sme.pk).values(*PERMIT_DATE_COLUMNS.values()).get()


def assert_current(*smes: Sme) -> None:
    for sme in smes:
        assert stored(sme) == from_permits(sme), sme


def test_an_sme_without_permits_has_no_dates():
    sme = SmeFactory()
    assert stored(sme) == {"halal_valid_until": None, "pirt_valid_until": None}


def test_creating_editing_and_deleting_permits_keeps_the_dates(officer):
    sme = SmeFactory()
    expired = PermitFactory(sme=sme, expired=True)
    assert stored(sme)["halal_valid_until"] == today() - dt.timedelta(days=30)
    # A second certificate, still valid: the later date wins.
    valid = PermitFactory(sme=sme)
    assert_current(sme)
    assert stored(sme)["halal_valid_until"] == today() + dt.timedelta(days=730)
    # Edited (record_permit, as a programme's facilitation does) to run out earlier.
    record_permit(
        sme=sme, actor=officer, kind="halal", number=valid.number, expires_on=today() - dt.timedelta(days=1)
    )
    assert stored(sme)["halal_valid_until"] == today() - dt.timedelta(days=1)
    # Without an expiry date a certificate is valid for good.
    valid.refresh_from_db()
    valid.expires_on = None
    valid.save()
    assert stored(sme)["halal_valid_until"] == NO_EXPIRY
    valid.delete()
    assert_current(sme)
    # A queryset delete too (the admin's bulk action, a merge's duplicates).
    Permit.objects.filter(pk=expired.pk).delete()
    assert stored(sme)["halal_valid_until"] is None


def test_a_pirt_takes_the_expiry_its_number_carries():
    sme = SmeFactory()
    permit = Permit.objects.create(sme=sme, kind=Permit.Kind.PIRT, number="206321601012324")
    assert permit.expiry_derived
    assert stored(sme)["pirt_valid_until"] == dt.date(2024, 12, 31) == permit.expires_on
    assert stored(sme)["halal_valid_until"] is None


def test_a_permit_moved_to_another_sme_updates_both():
    first, second = SmeFactory(), SmeFactory()
    permit = PermitFactory(sme=first)
    permit = Permit.objects.get(pk=permit.pk)
    permit.sme = second
    permit.save()
    assert stored(first)["halal_valid_until"] is None
    assert stored(second)["halal_valid_until"] == permit.expires_on


def test_saving_an_sme_read_before_a_permit_changed_keeps_the_new_dates():
    sme = SmeFactory()
    stale = Sme.objects.get(pk=sme.pk)
    PermitFactory(sme=sme, expired=True)
    stale.brand = "Renamed"
    stale.save()
    assert_current(sme)
    assert Sme.objects.get(pk=sme.pk).brand == "Renamed"


def test_merging_moves_the_dates_with_the_permits(admin_user):
    keep, merge = SmeFactory(), SmeFactory()
    PermitFactory(sme=keep, expired=True)
    same = PermitFactory(sme=merge)
    PermitFactory(sme=keep, number=same.number, expired=True)  # held by both: the duplicate goes
    Permit.objects.create(sme=merge, kind=Permit.Kind.PIRT, number="206321601012327")
    merge_smes(keep=keep, merge=merge, officer=admin_user, reason="Same NIB.")
    assert_current(keep, merge)
    assert stored(keep) == {
        "halal_valid_until": today() - dt.timedelta(days=30),
        "pirt_valid_until": dt.date(2027, 12, 31),
    }
    assert stored(merge) == {"halal_valid_until": None, "pirt_valid_until": None}


def test_the_migration_fill_gives_what_the_writes_give():
    smes = [SmeFactory() for _ in range(3)]
    PermitFactory(sme=smes[0], expired=True)
    PermitFactory(sme=smes[1], expires_on=None)
    Permit.objects.create(sme=smes[1], kind=Permit.Kind.PIRT, number="206321601012330")
    written = [stored(s) for s in smes]
    Sme.objects.update(halal_valid_until=None, pirt_valid_until=None)
    Sme.objects.update(**valid_until_values())  # what migration 0008 runs
    assert [stored(s) for s in smes] == written
    assert_current(*smes)


def test_the_gap_filters_read_the_dates_as_the_permits_mean_them(admin_user):
    SmeFactory(name="A none")
    expired = SmeFactory(name="B expired")
    PermitFactory(sme=expired, expired=True)
    renewed = SmeFactory(name="C renewed")
    PermitFactory(sme=renewed, expired=True)
    PermitFactory(sme=renewed)
    forever = SmeFactory(name="D forever")
    PermitFactory(sme=forever, expires_on=None)
    lapsed_pirt = SmeFactory(name="E lapsed P-IRT")
    Permit.objects.create(sme=lapsed_pirt, kind=Permit.Kind.PIRT, number="206321601012320")

    def names(**query):
        form = SmeFilterForm(query, user=admin_user)
        return [s.name for s in form.apply(Sme.objects.active())]

    assert names(gap=["halal_expired"]) == ["B expired"]
    assert names(gap=["no_halal"]) == ["A none", "E lapsed P-IRT"]
    assert names(gap=["pirt_expired"]) == ["E lapsed P-IRT"]
