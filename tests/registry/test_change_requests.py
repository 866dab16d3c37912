import pytest
from django.urls import reverse
from django.utils import translation

from conftest import CANARY_PHONE
from sentra.core.audit import history_for
from sentra.regions.models import Region
from sentra.registry.models import ChangeRequest, ClaimRequest, Decision, ScaleRecord, Sme

from .owner_factories import (
    CIKARANG_UTARA,
    TAMBUN_SELATAN,
    SmeFactory,
    desa_of,
    make_tambun_officer,
    use_english,
)


@pytest.fixture(autouse=True)
def english(client):
    use_english(client)
    with translation.override("en"):
        yield


@pytest.fixture
def verified(sme_owner):
    return SmeFactory(
        name="Keripik Sari",
        phone=CANARY_PHONE,
        capital=50_000_000,
        scale="micro",
        scale_basis="capital",
        status=Sme.Status.VERIFIED,
        accounts=[sme_owner],
    )


def form_data(sme: Sme, **changes) -> dict:
    data = {
        "name": sme.name,
        "brand": sme.brand,
        "phone": sme.phone,
        "email": sme.email,
        "address": sme.address,
        "kecamatan": sme.kecamatan_id,
        "desa": sme.desa_id,
        "kbli_code": sme.kbli_code,
        "products": sme.products,
        "start_year": sme.start_year or "",
        "employees": sme.employees or "",
        "capital": sme.capital or "",
        "turnover": sme.turnover or "",
        "nib": sme.nib or "",
        "npwp": sme.npwp,
    }
    return {**data, **changes}


def request_changes(client, sme, **changes):
    return client.post(
        reverse("owner:sme_edit", args=[sme.public_id]), form_data(sme, **changes), follow=True
    )


@pytest.fixture
def pending(client, sme_owner, verified):
    client.force_login(sme_owner)
    request_changes(
        client, verified, name="Keripik Sari Murni", capital="6 M", desa=desa_of(CIKARANG_UTARA, 1).pk
    )
    return ChangeRequest.objects.get()


# --- the owner's side --------------------------------------------------------------------------


def test_editing_a_verified_business_asks_for_review_and_leaves_the_record_alone(client, sme_owner, verified):
    client.force_login(sme_owner)
    new_desa = desa_of(CIKARANG_UTARA, 1)
    response = request_changes(client, verified, name="Keripik Sari Murni", capital="6 M", desa=new_desa.pk)
    assert "sent to the Dinas for review" in response.content.decode()
    verified.refresh_from_db()
    assert verified.name == "Keripik Sari"
    assert verified.capital == 50_000_000
    change = ChangeRequest.objects.get()
    # Only what changed, in JSON-safe form: a region by its Kemendagri code, money as whole Rupiah.
    assert change.changes == {"name": "Keripik Sari Murni", "desa": new_desa.code, "capital": 6_000_000_000}
    assert change.status == Decision.PENDING and change.requested_by == sme_owner
    assert history_for(verified).filter(verb="registry.change_request.created").exists()


def test_the_owner_sees_the_pending_values_while_waiting(client, sme_owner, verified, pending):
    client.force_login(sme_owner)
    html = client.get(reverse("owner:sme_overview", args=[verified.public_id])).content.decode()
    assert "Waiting for review" in html
    assert "Keripik Sari Murni" in html
    assert desa_of(CIKARANG_UTARA, 1).name in html
    assert "IDR 6,000,000,000" in html
    form = client.get(reverse("owner:sme_edit", args=[verified.public_id])).content.decode()
    assert 'value="Keripik Sari Murni"' in form
    assert "waiting for review" in form


def test_a_second_edit_revises_the_pending_request_instead_of_queueing_another(
    client, sme_owner, verified, pending
):
    client.force_login(sme_owner)
    request_changes(client, verified, name="Keripik Sari Asli")
    pending.refresh_from_db()
    assert ChangeRequest.objects.count() == 1
    assert pending.changes == {"name": "Keripik Sari Asli"}


def test_putting_every_value_back_withdraws_the_request(client, sme_owner, verified, pending):
    client.force_login(sme_owner)
    request_changes(client, verified)
    assert not ChangeRequest.objects.exists()
    assert history_for(verified).filter(verb="registry.change_request.withdrawn").exists()


def test_a_bad_value_in_an_edit_creates_no_request(client, sme_owner, verified):
    client.force_login(sme_owner)
    html = request_changes(client, verified, capital="banyak").content.decode()
    assert 'id="id_capital_error"' in html
    assert not ChangeRequest.objects.exists()


# --- the officer's side ------------------------------------------------------------------------


def test_the_queue_shows_each_field_as_now_and_proposed(client, officer, pending):
    client.force_login(officer)
    html = client.get(reverse("review:queue")).content.decode()
    assert "Keripik Sari Murni" in html
    assert "IDR 50,000,000" in html and "IDR 6,000,000,000" in html
    assert desa_of(CIKARANG_UTARA, 1).name in html
    assert reverse("review:change_approve", args=[pending.pk]) in html


def test_approving_applies_the_values_and_records_the_new_scale(
    client, officer, sme_owner, verified, pending
):
    client.force_login(officer)
    response = client.post(reverse("review:change_approve", args=[pending.pk]), follow=True)
    assert "Changes approved" in response.content.decode()
    verified.refresh_from_db()
    assert verified.name == "Keripik Sari Murni"
    assert verified.name_key == "keripiksarimurni"
    assert verified.desa == desa_of(CIKARANG_UTARA, 1)
    assert verified.capital == 6_000_000_000
    assert (verified.scale, verified.scale_basis) == ("medium", "capital")
    assert verified.status == Sme.Status.VERIFIED
    assert list(ScaleRecord.objects.filter(sme=verified).values_list("scale", flat=True)) == ["medium"]
    pending.refresh_from_db()
    assert pending.status == Decision.APPROVED and pending.decided_by == officer
    entry = history_for(verified).get(verb="registry.change_request.approved")
    assert entry.actor == officer
    assert entry.changes["name"] == ["Keripik Sari", "Keripik Sari Murni"]
    assert entry.changes["scale"] == ["micro", "medium"]


def test_approving_a_change_that_keeps_the_scale_adds_no_scale_record(client, officer, sme_owner, verified):
    client.force_login(sme_owner)
    request_changes(client, verified, capital="60 jt")
    client.force_login(officer)
    client.post(reverse("review:change_approve", args=[ChangeRequest.objects.get().pk]))
    verified.refresh_from_db()
    assert verified.capital == 60_000_000
    assert not ScaleRecord.objects.exists()


def test_rejecting_needs_a_reason_and_keeps_the_record(client, officer, sme_owner, verified, pending):
    client.force_login(officer)
    url = reverse("review:change_reject", args=[pending.pk])
    page = client.get(url).content.decode()
    assert "Keripik Sari Murni" in page
    html = client.post(url, {"reason": ""}).content.decode()
    assert 'id="id_reason_error"' in html
    pending.refresh_from_db()
    assert pending.status == Decision.PENDING
    client.post(url, {"reason": "The capital needs a bank statement."})
    pending.refresh_from_db()
    verified.refresh_from_db()
    assert pending.status == Decision.REJECTED and pending.reason == "The capital needs a bank statement."
    assert verified.name == "Keripik Sari"
    client.force_login(sme_owner)
    html = client.get(reverse("owner:sme_overview", args=[verified.public_id])).content.decode()
    assert "not accepted" in html and "bank statement" in html


def test_a_change_request_is_decided_only_once(client, officer, pending):
    client.force_login(officer)
    client.post(reverse("review:change_reject", args=[pending.pk]), {"reason": "No."})
    response = client.post(reverse("review:change_approve", args=[pending.pk]), follow=True)
    assert "already decided" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Decision.REJECTED


def test_an_officer_of_another_kecamatan_cannot_decide_a_change(client, kecamatan, verified, pending):
    client.force_login(make_tambun_officer(kecamatan))
    assert client.post(reverse("review:change_approve", args=[pending.pk])).status_code == 404
    assert client.get(reverse("review:change_reject", args=[pending.pk])).status_code == 404
    verified.refresh_from_db()
    assert verified.name == "Keripik Sari"


@pytest.mark.parametrize("role", ["sme_owner", "cashier", "partner", "buyer", "outsider"])
def test_only_dinas_staff_open_the_review_queue(client, personas, role):
    client.force_login(personas[role])
    assert client.get(reverse("review:queue")).status_code == 403


def test_personal_data_in_the_queue_is_masked(client, officer, sme_owner, verified):
    client.force_login(sme_owner)
    request_changes(client, verified, phone="0813 1111 2222")
    client.force_login(officer)
    html = client.get(reverse("review:queue")).content.decode()
    assert CANARY_PHONE not in html and "+6281311112222" not in html


def test_the_queue_lists_submitted_records_with_a_link_to_the_record_page(client, officer):
    sme = SmeFactory(name="Batik Tulis Sukatani", status=Sme.Status.SUBMITTED)
    SmeFactory(name="Draft Nobody Sees", status=Sme.Status.DRAFT)
    SmeFactory(
        name="Submitted In Tambun",
        status=Sme.Status.SUBMITTED,
        kecamatan=Region.objects.get(code=TAMBUN_SELATAN),
        desa=desa_of(TAMBUN_SELATAN),
    )
    client.force_login(officer)
    html = client.get(reverse("review:queue")).content.decode()
    assert reverse("registry:sme_detail", args=[sme.public_id]) in html
    assert "Draft Nobody Sees" not in html
    assert "Submitted In Tambun" not in html


def test_the_queue_costs_the_same_queries_for_many_items(client, officer, django_assert_num_queries):
    from conftest import make_user

    def fill(n):
        for i in range(n):
            owner = make_user(f"owner_{n}_{i}", "sme_owner")
            sme = SmeFactory(status=Sme.Status.VERIFIED, accounts=[owner])
            SmeFactory(status=Sme.Status.SUBMITTED)
            ChangeRequest.objects.create(
                sme=sme, requested_by=owner, changes={"desa": desa_of(CIKARANG_UTARA, 2).code, "capital": 1}
            )
            ClaimRequest.objects.create(sme=sme, user=owner, proof=ClaimRequest.Proof.NIK)

    client.force_login(officer)
    for n in (2, 10):
        fill(n)
        # session, user, officer's kecamatan scope (once per queryset: submitted list, submitted count,
        # claims list, claims count, changes list, changes count), the proposed desa by code
        with django_assert_num_queries(3 + 6 + 1):
            assert client.get(reverse("review:queue")).status_code == 200
