"""insert_rows: plain values in, the same records out as the ORM would have written."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from sentra.core.bulk import insert_rows, values_by_pk
from sentra.core.models import AuditEntry
from sentra.regions.models import Region
from sentra.registry.models import Owner, Permit, Sme

pytestmark = pytest.mark.django_db


@pytest.fixture
def desa():
    return Region.objects.in_home_regency().desa().select_related("parent").first()


def test_returns_ids_in_row_order_and_fills_defaults(desa):
    regency = Region.objects.get(code="32.16")
    rows = [
        {"regency_id": regency.pk, "name": f"Usaha {i}", "desa_id": desa.pk, "kecamatan_id": desa.parent_id,
         "capital": 1_500_000 * i, "latitude": Decimal("-6.123456")}
        for i in range(1, 1201)
    ]  # fmt: skip
    ids = insert_rows(Sme, rows, returning=True)

    assert len(ids) == 1200 and len(set(ids)) == 1200
    saved = Sme.objects.in_bulk(ids)
    for i, pk in enumerate(ids, start=1):
        assert saved[pk].name == f"Usaha {i}"
        assert saved[pk].capital == 1_500_000 * i
    sme = saved[ids[0]]
    assert sme.kecamatan_id == desa.parent_id
    assert sme.latitude == Decimal("-6.123456")
    assert sme.status == Sme.Status.DRAFT  # the field default
    assert (
        sme.public_id is not None and sme.public_id != saved[ids[1]].public_id
    )  # a callable default per row
    assert sme.created_at is not None and sme.updated_at is not None  # auto_now_add / auto_now
    assert sme.brand == "" and sme.nib is None  # blank text is "", a nullable column stays NULL


def test_dates_and_json_read_back(desa):
    owner_id = insert_rows(
        Owner,
        [{"regency_id": desa.parent.parent_id, "name": "Siti", "birth_date": dt.date(1980, 2, 29)}],
        returning=True,
    )[0]
    assert Owner.objects.get(pk=owner_id).birth_date == dt.date(1980, 2, 29)

    sme = Sme.objects.create(name="Keripik Siti", desa=desa, kecamatan=desa.parent)
    insert_rows(
        Permit, [{"sme_id": sme.pk, "kind": "halal", "number": "ID321", "expires_on": dt.date(2027, 1, 31)}]
    )
    assert sme.permits.get().expires_on == dt.date(2027, 1, 31)

    insert_rows(AuditEntry, [{
        "verb": "registry.sme.imported", "action": "create", "object_id": str(sme.pk), "object_repr": sme.name,
        "content_type_id": AuditEntry._meta.get_field("content_type").related_model.objects.get_for_model(Sme).pk,
        "changes": {"name": [None, "Keripik Siti"], "capital": [None, 1500000]},
    }])  # fmt: skip
    entry = AuditEntry.objects.get()
    assert entry.changes == {"name": [None, "Keripik Siti"], "capital": [None, 1500000]}
    assert entry.at is not None


def test_nothing_to_insert_makes_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert_rows(Sme, [], returning=True) == []


def test_a_failing_row_rolls_back_with_the_callers_transaction(desa):
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(Owner, [{"regency_id": desa.parent.parent_id, "name": "Siti"}])
        insert_rows(Permit, [{"sme_id": None, "kind": "halal", "number": "X"}])  # sme is required
    assert not Owner.objects.exists()


def test_values_by_pk_reads_the_asked_rows_only(desa):
    regency = Region.objects.get(code="32.16")
    rows = [
        {"regency_id": regency.pk, "name": f"Usaha {i}", "desa_id": desa.pk, "kecamatan_id": desa.parent_id}
        for i in range(1500)
    ]
    ids = insert_rows(Sme, rows, returning=True)
    asked = ids[::2] + [max(ids) + 1000]  # a key no row has is left out
    assert values_by_pk(Sme, asked, "name") == {pk: f"Usaha {ids.index(pk)}" for pk in ids[::2]}
    assert values_by_pk(Sme, [], "name") == {}
