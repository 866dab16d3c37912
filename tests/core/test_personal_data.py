"""UU PDP: canary personal data never leaks to public pages, other roles, plain exports or logs."""

import logging

import pytest
from django.urls import reverse

from conftest import CANARY_NIK, CANARY_PHONE
from sentra.core.models import AccessLog, AuditEntry
from tests.registry.factories import OwnerFactory, SmeFactory

CANARY_NIK_PARTS = (CANARY_NIK, CANARY_NIK[4:12])


@pytest.fixture
def canary_sme(kecamatan, sme_owner):
    owner = OwnerFactory(nik=CANARY_NIK, phone=CANARY_PHONE, kecamatan=kecamatan["cikarang_utara"])
    sme = SmeFactory(owner=owner, phone=CANARY_PHONE, kecamatan=kecamatan["cikarang_utara"])
    sme.accounts.add(sme_owner)
    return sme


@pytest.fixture
def captured_logs():
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    handler = Collect(level=logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(handler)
    yield records
    root.removeHandler(handler)


def assert_no_canary(text: str):
    for part in (*CANARY_NIK_PARTS, CANARY_PHONE, CANARY_PHONE[3:]):
        assert part not in text


def test_public_pages_never_show_personal_data(client, canary_sme):
    for url in (reverse("home"), reverse("login"), reverse("signup"), reverse("password_reset")):
        assert_no_canary(client.get(url).content.decode())


@pytest.mark.parametrize("role", ["cashier", "partner", "buyer", "outsider"])
def test_other_roles_cannot_open_the_record(client, personas, canary_sme, role):
    client.force_login(personas[role])
    response = client.get(reverse("registry:sme_detail", args=[canary_sme.public_id]))
    assert response.status_code in (403, 404)
    assert_no_canary(response.content.decode())


def test_the_record_page_shows_the_nik_masked_until_an_officer_asks(client, officer, canary_sme):
    client.force_login(officer)
    page = client.get(reverse("registry:sme_detail", args=[canary_sme.public_id])).content.decode()
    assert CANARY_NIK not in page
    assert "3216••••••••0012" in page
    assert not AccessLog.objects.exists()

    revealed = client.post(reverse("registry:sme_personal", args=[canary_sme.public_id]))
    assert CANARY_NIK in revealed.content.decode()
    log = AccessLog.objects.get()
    assert (log.user, log.kind, log.object_id) == (officer, AccessLog.Kind.VIEW, str(canary_sme.pk))


def test_the_owner_cannot_unmask_through_the_officers_reveal(client, sme_owner, canary_sme):
    client.force_login(sme_owner)
    response = client.post(reverse("registry:sme_personal", args=[canary_sme.public_id]))
    assert response.status_code in (403, 404)


def test_the_owner_sees_their_own_data_in_full_and_the_view_is_logged(client, sme_owner, canary_sme):
    client.force_login(sme_owner)
    page = client.get(reverse("registry:sme_detail", args=[canary_sme.public_id])).content.decode()
    assert CANARY_NIK in page and CANARY_PHONE in page
    log = AccessLog.objects.get()
    assert (log.user, log.kind, log.object_id) == (sme_owner, AccessLog.Kind.VIEW, str(canary_sme.pk))


def test_a_plain_export_holds_no_personal_data_and_a_full_one_is_logged(client, officer, canary_sme):
    client.force_login(officer)
    plain = b"".join(client.get(reverse("registry:sme_export_csv")).streaming_content).decode()
    assert canary_sme.name in plain
    assert_no_canary(plain)
    assert not AccessLog.objects.exists()

    full = b"".join(client.get(reverse("registry:sme_export_csv") + "?personal=1").streaming_content).decode()
    assert CANARY_NIK in full
    log = AccessLog.objects.get()
    assert log.kind == AccessLog.Kind.EXPORT and log.row_count == 1


def test_personal_data_never_reaches_the_logs_or_the_audit_trail(
    client, officer, canary_sme, captured_logs, settings
):
    client.force_login(officer)
    client.post(reverse("registry:sme_personal", args=[canary_sme.public_id]))
    client.get(reverse("registry:sme_list") + f"?q={CANARY_NIK}")
    client.post(reverse("login"), {"username": CANARY_PHONE, "password": "wrong"})
    client.post(
        reverse("registry:sme_reject", args=[canary_sme.public_id]), {"reason": "Data NIK belum lengkap"}
    )
    assert captured_logs, "the requests above should have logged something (at least the failed login)"
    assert_no_canary("\n".join(captured_logs))
    assert_no_canary(str(list(AuditEntry.objects.values_list("changes", "object_repr", "note"))))
