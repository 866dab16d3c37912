"""record_permit: a legality document another area obtained for an SME, added once, dates updated."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sentra.core.models import AuditEntry
from sentra.registry.models import Permit
from sentra.registry.services import record_permit

from .factories import SmeFactory


def test_a_permit_is_added_then_its_dates_updated_and_a_repeat_changes_nothing(officer):
    sme = SmeFactory()
    permit, created = record_permit(
        sme=sme, actor=officer, kind="halal", number=" ID321600001 ", issued_on=dt.date(2024, 6, 1)
    )
    assert created and permit.number == "ID321600001"
    same, created = record_permit(
        sme=sme, actor=officer, kind="halal", number="ID321600001", expires_on=dt.date(2028, 6, 1)
    )
    assert not created and same.pk == permit.pk
    same.refresh_from_db()
    assert (same.issued_on, same.expires_on) == (dt.date(2024, 6, 1), dt.date(2028, 6, 1))
    record_permit(sme=sme, actor=officer, kind="halal", number="ID321600001")
    entries = AuditEntry.objects.filter(verb="registry.permit.recorded", object_id=str(sme.pk))
    assert entries.count() == 2
    assert Permit.objects.count() == 1


def test_an_unknown_kind_or_no_number_is_refused(officer):
    sme = SmeFactory()
    with pytest.raises(ValidationError):
        record_permit(sme=sme, actor=officer, kind="izin_usaha", number="1")
    with pytest.raises(ValidationError):
        record_permit(sme=sme, actor=officer, kind="halal", number="  ")
    assert not Permit.objects.exists()
