import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from conftest import CANARY_NIK, CANARY_PHONE, make_user
from sentra.accounts.models import Role
from sentra.core.audit import history_for
from sentra.core.models import AuditEntry
from sentra.regions.models import Region
from sentra.registry.claims import CLAIM_ATTEMPTS_PER_HOUR, ClaimStatus, claim_by_nib
from sentra.registry.models import ClaimRequest, Decision, Sme

from .owner_factories import (
    TAMBUN_SELATAN,
    OwnerFactory,
    SmeFactory,
    desa_of,
    make_other_owner,
    make_tambun_officer,
    use_english,
)

NIB = "9120001234567"
SECRET_ADDRESS = "Gang Rahasia No. 7"


@pytest.fixture(autouse=True)
def english(client):
    use_english(client)
    with translation.override("en"):
        yield


@pytest.fixture
def owner_client(client, sme_owner):
    client.force_login(sme_owner)
    return client


@pytest.fixture
def imported(db):
    """A record the Dinas imported before its owner signed up, full of details a claimant must not see."""
    owner = OwnerFactory(name="Ibu Ratna Pertiwi", nik=CANARY_NIK, phone=CANARY_PHONE)
    return SmeFactory(
        name="Dodol Betawi Ratna",
        owner=owner,
        nib=NIB,
        phone=CANARY_PHONE,
        address=SECRET_ADDRESS,
        npwp="012345678901000",
        source=Sme.Source.SIDT,
        status=Sme.Status.VERIFIED,
    )


def claim(client, method, value):
    field = "by_nib-nib" if method == "nib" else "by_nik-nik"
    return client.post(reverse("owner:claim"), {"method": method, field: value})


def assert_nothing_leaks(html: str) -> None:
    for secret in (CANARY_PHONE, CANARY_NIK, SECRET_ADDRESS, "Ibu Ratna Pertiwi", "012345678901000"):
        assert secret not in html


# --- by NIB ------------------------------------------------------------------------------------


def test_the_claim_page_opens_for_an_owner(owner_client):
    html = owner_client.get(reverse("owner:claim")).content.decode()
    assert 'for="id_by_nib-nib"' in html and 'for="id_by_nik-nik"' in html


def test_a_matching_nib_links_an_unclaimed_record_at_once(owner_client, sme_owner, imported):
    html = claim(owner_client, "nib", "912 000 1234 567").content.decode()
    assert "now linked to your account" in html
    assert "Dodol Betawi Ratna" in html
    assert list(imported.accounts.all()) == [sme_owner]
    request = ClaimRequest.objects.get()
    assert (request.proof, request.status) == (ClaimRequest.Proof.NIB, Decision.APPROVED)
    assert history_for(imported).filter(verb="registry.sme.claimed").exists()
    assert "Dodol Betawi Ratna" in owner_client.get(reverse("owner:my_smes")).content.decode()


def test_a_nib_held_by_another_account_waits_for_an_officer(owner_client, sme_owner, imported):
    imported.accounts.add(make_other_owner())
    html = claim(owner_client, "nib", NIB).content.decode()
    assert "sent to the Dinas" in html
    assert sme_owner not in imported.accounts.all()
    assert ClaimRequest.objects.get().status == Decision.PENDING
    assert_nothing_leaks(html)


def test_an_unknown_nib_finds_nothing(owner_client, imported):
    html = claim(owner_client, "nib", "9120009999999").content.decode()
    assert "No business was found" in html
    assert "Dodol" not in html
    assert not ClaimRequest.objects.exists()


def test_claiming_a_record_already_linked_says_so(owner_client, sme_owner, imported):
    imported.accounts.add(sme_owner)
    assert "already linked to your account" in claim(owner_client, "nib", NIB).content.decode()


def test_a_merged_record_cannot_be_claimed(owner_client, imported):
    kept = SmeFactory(nib="9120007654321")
    imported.merged_into = kept
    imported.save()
    assert "No business was found" in claim(owner_client, "nib", NIB).content.decode()


def test_a_malformed_nib_is_explained_and_not_counted(owner_client, sme_owner):
    html = claim(owner_client, "nib", "12-34").content.decode()
    assert 'id="id_by_nib-nib_error"' in html
    assert not AuditEntry.objects.filter(verb="registry.claim.attempted").exists()


# --- by NIK ------------------------------------------------------------------------------------


def test_a_matching_nik_creates_pending_claims_showing_only_name_and_kecamatan(
    owner_client, sme_owner, imported
):
    second = SmeFactory(
        name="Dodol Ratna Cabang Tambun",
        owner=imported.owner,
        kecamatan=Region.objects.get(code=TAMBUN_SELATAN),
        desa=desa_of(TAMBUN_SELATAN),
    )
    html = claim(owner_client, "nik", "3216 0144 0790 0012").content.decode()
    assert "sent to the Dinas" in html
    assert "Dodol Betawi Ratna" in html and "Cikarang Utara" in html
    assert second.name in html and "Tambun Selatan" in html
    assert_nothing_leaks(html)
    claims = ClaimRequest.objects.filter(user=sme_owner)
    assert {c.sme for c in claims} == {imported, second}
    assert all(c.proof == ClaimRequest.Proof.NIK and c.status == Decision.PENDING for c in claims)
    assert not imported.accounts.exists()
    # The owner still cannot open the record before an officer approves.
    assert owner_client.get(reverse("owner:sme_overview", args=[imported.public_id])).status_code == 404
    assert owner_client.get(reverse("registry:sme_detail", args=[imported.public_id])).status_code == 404


def test_claiming_twice_by_nik_does_not_duplicate_the_request(owner_client, imported):
    claim(owner_client, "nik", CANARY_NIK)
    claim(owner_client, "nik", CANARY_NIK)
    assert ClaimRequest.objects.count() == 1


def test_a_nik_matching_nobody_reveals_nothing(owner_client, imported):
    html = claim(owner_client, "nik", "3216090101800001").content.decode()
    assert "No business was found" in html
    assert "Dodol" not in html
    assert_nothing_leaks(html)


def test_an_invalid_nik_is_explained_next_to_the_field(owner_client):
    html = claim(owner_client, "nik", "1234").content.decode()
    assert 'id="id_by_nik-nik_error"' in html
    assert "A NIK has 16 digits" in html


def test_pending_claims_show_on_the_owners_page(owner_client, imported):
    claim(owner_client, "nik", CANARY_NIK)
    html = owner_client.get(reverse("owner:my_smes")).content.decode()
    assert "Your claims" in html and "Dodol Betawi Ratna" in html
    assert_nothing_leaks(html)


# --- rate limit --------------------------------------------------------------------------------


def test_claims_are_limited_to_ten_attempts_an_hour(owner_client, sme_owner, imported):
    for _ in range(CLAIM_ATTEMPTS_PER_HOUR):
        assert "No business was found" in claim(owner_client, "nik", "3216090101800001").content.decode()
    html = claim(owner_client, "nib", NIB).content.decode()
    assert "Too many claim attempts" in html
    assert not imported.accounts.exists()


def test_attempts_older_than_an_hour_do_not_count(owner_client, sme_owner, imported):
    for _ in range(CLAIM_ATTEMPTS_PER_HOUR):
        claim(owner_client, "nik", "3216090101800001")
    AuditEntry.objects.filter(verb="registry.claim.attempted").update(
        at=AuditEntry.objects.first().at - timedelta(hours=2)
    )
    assert "now linked" in claim(owner_client, "nib", NIB).content.decode()


def test_the_limit_is_per_account(client, sme_owner, imported):
    client.force_login(sme_owner)
    for _ in range(CLAIM_ATTEMPTS_PER_HOUR + 1):
        claim(client, "nik", "3216090101800001")
    client.force_login(make_other_owner())
    assert "now linked" in claim(client, "nib", NIB).content.decode()


# --- officers decide ---------------------------------------------------------------------------


@pytest.fixture
def pending(owner_client, imported):
    claim(owner_client, "nik", CANARY_NIK)
    return ClaimRequest.objects.get()


def test_an_officer_approves_a_claim_and_the_owner_gets_the_business(
    client, officer, sme_owner, pending, imported
):
    client.force_login(officer)
    response = client.post(reverse("review:claim_approve", args=[pending.pk]), follow=True)
    assert "Claim approved" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Decision.APPROVED and pending.decided_by == officer
    assert sme_owner in imported.accounts.all()
    entry = history_for(imported).get(verb="registry.claim.approved")
    assert entry.actor == officer
    client.force_login(sme_owner)
    assert client.get(reverse("owner:sme_overview", args=[imported.public_id])).status_code == 200


def test_a_claim_is_decided_only_once(client, officer, pending):
    client.force_login(officer)
    client.post(reverse("review:claim_approve", args=[pending.pk]))
    response = client.post(reverse("review:claim_approve", args=[pending.pk]), follow=True)
    assert "already decided" in response.content.decode()


def test_rejecting_a_claim_needs_a_reason_that_the_owner_then_sees(
    client, officer, sme_owner, pending, imported
):
    client.force_login(officer)
    url = reverse("review:claim_reject", args=[pending.pk])
    assert "Reject a claim" in client.get(url).content.decode()
    html = client.post(url, {"reason": "  "}).content.decode()
    assert 'id="id_reason_error"' in html and "Give a reason" in html
    pending.refresh_from_db()
    assert pending.status == Decision.PENDING
    client.post(url, {"reason": "The NIK belongs to the owner's late mother; bring the inheritance letter."})
    pending.refresh_from_db()
    assert pending.status == Decision.REJECTED
    assert not imported.accounts.exists()
    assert history_for(imported).get(verb="registry.claim.rejected").note.startswith("The NIK belongs")
    client.force_login(sme_owner)
    assert "inheritance letter" in client.get(reverse("owner:my_smes")).content.decode()


def test_an_officer_of_another_kecamatan_cannot_decide_a_claim(client, kecamatan, pending):
    client.force_login(make_tambun_officer(kecamatan))
    assert client.post(reverse("review:claim_approve", args=[pending.pk])).status_code == 404
    assert client.post(reverse("review:claim_reject", args=[pending.pk]), {"reason": "x"}).status_code == 404
    pending.refresh_from_db()
    assert pending.status == Decision.PENDING
    assert "Dodol" not in client.get(reverse("review:queue")).content.decode()


@pytest.mark.parametrize("role", ["sme_owner", "cashier", "partner", "buyer", "outsider"])
def test_only_dinas_staff_decide_claims(client, personas, role, pending):
    client.force_login(personas[role])
    assert client.post(reverse("review:claim_approve", args=[pending.pk])).status_code == 403
    pending.refresh_from_db()
    assert pending.status == Decision.PENDING


def test_approving_needs_a_post(client, officer, pending):
    client.force_login(officer)
    assert client.get(reverse("review:claim_approve", args=[pending.pk])).status_code == 405


def test_the_queue_lists_pending_claims(client, officer, pending):
    client.force_login(officer)
    html = client.get(reverse("review:queue")).content.decode()
    assert "Dodol Betawi Ratna" in html
    assert reverse("review:claim_approve", args=[pending.pk]) in html


@pytest.mark.django_db(transaction=True)
def test_two_owners_claiming_one_nib_at_once_link_exactly_one(kecamatan):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL (set DATABASE_URL)")
    sme = SmeFactory(nib=NIB)
    first, second = make_user("race_one", Role.SME_OWNER), make_user("race_two", Role.SME_OWNER)
    barrier = threading.Barrier(2)
    outcomes = []

    def claim_as(user):
        try:
            barrier.wait()
            outcomes.append(claim_by_nib(user=user, nib=NIB).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim_as, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [ClaimStatus.LINKED, ClaimStatus.PENDING]
    assert sme.accounts.count() == 1
    assert ClaimRequest.objects.filter(status=Decision.PENDING).count() == 1
