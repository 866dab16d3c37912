"""Verifying, rejecting and deactivating SMEs; officers editing and registering them."""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from conftest import CANARY_NIK
from sentra.core.models import AccessLog, AuditEntry
from sentra.registry.models import Owner, ScaleRecord, Sme
from sentra.registry.services import StatusError, update_sme, verify_sme

from .factories import OwnerFactory, SmeFactory


@pytest.fixture
def submitted(kecamatan):
    return SmeFactory(name="Kue Basah Bu Ani", kecamatan=kecamatan["cikarang_utara"], submitted=True)


def action_url(name: str, sme) -> str:
    return reverse(f"registry:sme_{name}", args=[sme.public_id])


def entries(sme, verb: str):
    return AuditEntry.objects.filter(object_id=str(sme.pk), verb=verb)


# --- verify, reject, deactivate ----------------------------------------------------------------


def test_an_officer_verifies_a_submitted_sme_with_a_note(en_client, officer, submitted):
    en_client.force_login(officer)
    response = en_client.post(
        action_url("verify", submitted), {"verify-note": "Dicek ke lokasi"}, follow=True
    )

    submitted.refresh_from_db()
    assert (submitted.status, submitted.status_note, submitted.verified_by) == (
        "verified",
        "Dicek ke lokasi",
        officer,
    )
    assert submitted.verified_at is not None
    assert "The SME is verified." in response.content.decode()
    entry = entries(submitted, "registry.sme.verified").get()
    assert entry.changes["status"] == ["submitted", "verified"]
    assert entry.actor == officer and entry.note == "Dicek ke lokasi"


def test_the_verification_note_is_optional(client, officer, submitted):
    client.force_login(officer)
    client.post(action_url("verify", submitted), {"verify-note": ""})
    submitted.refresh_from_db()
    assert submitted.status == "verified"


def test_rejecting_needs_a_reason(en_client, officer, submitted):
    en_client.force_login(officer)
    response = en_client.post(action_url("reject", submitted), {"reject-reason": "  "})

    html = response.content.decode()
    submitted.refresh_from_db()
    assert response.status_code == 400
    assert "Give the reason for rejecting." in html
    assert 'id="id_reject-reason_error"' in html
    assert submitted.status == "submitted"
    assert not entries(submitted, "registry.sme.rejected").exists()


def test_a_rejection_keeps_its_reason_and_is_audited(client, officer, submitted):
    client.force_login(officer)
    client.post(action_url("reject", submitted), {"reject-reason": "NIB tidak cocok dengan OSS"})

    submitted.refresh_from_db()
    assert (submitted.status, submitted.status_note) == ("rejected", "NIB tidak cocok dengan OSS")
    entry = entries(submitted, "registry.sme.rejected").get()
    assert entry.changes["status"] == ["submitted", "rejected"]
    assert entry.changes["status_note"] == ["", "NIB tidak cocok dengan OSS"]


def test_deactivating_needs_a_reason_and_is_audited(en_client, officer, submitted):
    en_client.force_login(officer)
    refused = en_client.post(action_url("deactivate", submitted), {"deactivate-reason": ""})
    assert "Give the reason for deactivating." in refused.content.decode()

    en_client.post(action_url("deactivate", submitted), {"deactivate-reason": "Usaha sudah tutup"})
    submitted.refresh_from_db()
    assert submitted.status == "inactive"
    assert entries(submitted, "registry.sme.deactivated").exists()


def test_a_status_change_the_current_status_does_not_allow_is_refused(en_client, officer, kecamatan):
    sme = SmeFactory(kecamatan=kecamatan["cikarang_utara"])  # already verified
    en_client.force_login(officer)
    response = en_client.post(action_url("verify", sme), {"verify-note": "lagi"})
    assert response.status_code == 400
    assert "An SME that is verified cannot be verified." in response.content.decode()
    assert not entries(sme, "registry.sme.verified").exists()


def test_the_service_refuses_an_invalid_transition_too(officer, kecamatan):
    sme = SmeFactory(kecamatan=kecamatan["cikarang_utara"])
    with pytest.raises(StatusError):
        verify_sme(sme=sme, officer=officer, note="")


def test_status_changes_are_for_dinas_staff_in_scope(client, tambun_officer, sme_owner, submitted):
    client.force_login(tambun_officer)
    assert client.post(action_url("verify", submitted), {"verify-note": ""}).status_code == 404
    submitted.accounts.add(sme_owner)
    client.force_login(sme_owner)
    assert client.post(action_url("verify", submitted), {"verify-note": ""}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_status_changes_are_posted_never_fetched(client, officer, submitted):
    client.force_login(officer)
    assert client.get(action_url("verify", submitted)).status_code == 405


# --- edit --------------------------------------------------------------------------------------


def edit_data(client, sme, **overrides) -> dict:
    """The edit form as a browser would post it back: its current values unless overridden."""
    context = client.get(action_url("edit", sme)).context
    data = {}
    for form in (context["form"], context["owner_form"]):
        for field in form.visible_fields():
            value = field.value()
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            data[field.html_name] = "" if value is None else str(value)
    data.update(overrides)
    return data


def test_the_edit_form_shows_the_record_and_logs_the_personal_data_it_shows(en_client, officer, kecamatan):
    sme = SmeFactory(kecamatan=kecamatan["cikarang_utara"], owner=OwnerFactory(nik=CANARY_NIK, female=True))
    en_client.force_login(officer)
    html = en_client.get(action_url("edit", sme)).content.decode()
    assert sme.name in html and CANARY_NIK in html
    assert AccessLog.objects.get().fields.startswith("owner.nik")


def test_an_edit_that_changes_the_scale_appends_to_the_scale_history(client, officer, kecamatan):
    sme = SmeFactory(kecamatan=kecamatan["cikarang_utara"], capital=500_000_000, scale="micro")
    client.force_login(officer)

    response = client.post(
        action_url("edit", sme), edit_data(client, sme, capital="Rp 2.000.000.000", name="Mebel Jati Maju")
    )

    assert response.status_code == 302
    sme.refresh_from_db()
    assert (sme.name, sme.capital, sme.scale, sme.scale_basis) == (
        "Mebel Jati Maju",
        2_000_000_000,
        "small",
        "capital",
    )
    assert ScaleRecord.objects.filter(sme=sme, scale="small", capital=2_000_000_000).exists()
    entry = entries(sme, "registry.sme.updated").get()
    assert entry.changes["scale"] == ["micro", "small"]
    assert entry.changes["name"][1] == "Mebel Jati Maju"
    assert "search_text" not in entry.changes


def test_an_edit_that_keeps_the_scale_adds_no_scale_record(officer, kecamatan):
    sme = SmeFactory(kecamatan=kecamatan["cikarang_utara"], capital=500_000_000, scale="micro")
    update_sme(sme=sme, actor=officer, data={"capital": 600_000_000})
    assert not ScaleRecord.objects.filter(sme=sme).exists()


def test_an_unchanged_form_writes_no_audit_entry(client, officer, kecamatan):
    sme = SmeFactory(kecamatan=kecamatan["cikarang_utara"])
    client.force_login(officer)
    client.post(action_url("edit", sme), edit_data(client, sme))
    assert not entries(sme, "registry.sme.updated").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("owner-nik", "3216", "A NIK has 16 digits, this one has 4."),
        ("phone", "0812", "The phone number is too short."),
        ("nib", "12345", "A NIB has 13 digits, this one has 5."),
        ("kbli_code", "1079", "A KBLI code has 5 digits, this one has 4."),
        ("capital", "banyak", "banyak is not an amount."),
        ("desa", "32.16.06.2002", "This desa / kelurahan is not in the chosen kecamatan."),
        ("name", "", "This field is required."),
    ],
)
def test_the_edit_form_rejects_bad_input_next_to_the_field(
    en_client, regency_officer, kecamatan, field, value, message
):
    sme = SmeFactory(kecamatan=kecamatan["cikarang_utara"])
    en_client.force_login(regency_officer)

    data = edit_data(en_client, sme, **{field: value, "brand": "Merek Baru"})
    response = en_client.post(action_url("edit", sme), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert "nothing has been saved" in html
    sme.refresh_from_db()
    assert sme.brand != "Merek Baru"
    assert not entries(sme, "registry.sme.updated").exists()


def test_a_scoped_officer_cannot_move_an_sme_out_of_their_kecamatan(en_client, officer, kecamatan):
    sme = SmeFactory(kecamatan=kecamatan["cikarang_utara"])
    en_client.force_login(officer)
    data = edit_data(en_client, sme, kecamatan="32.16.06", desa="32.16.06.2002")
    response = en_client.post(action_url("edit", sme), data)
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def test_editing_is_for_dinas_staff_in_scope(client, tambun_officer, sme_owner, kecamatan):
    sme = SmeFactory(kecamatan=kecamatan["cikarang_utara"])
    client.force_login(tambun_officer)
    assert client.get(action_url("edit", sme)).status_code == 404
    sme.accounts.add(sme_owner)
    client.force_login(sme_owner)
    assert client.get(action_url("edit", sme)).status_code == 403


# --- create ------------------------------------------------------------------------------------


def new_sme_data(**overrides) -> dict:
    data = {
        "name": "Sambal Roa Mak Enok",
        "products": "sambal roa, sambal cumi",
        "kbli_code": "10792",
        "kbli_version": "2020",
        "kecamatan": "32.16.09",
        "desa": "",
        "capital": "15.000.000",
        "owner-name": "Enok Suryani",
        "owner-nik": "3216094507850003",
        "owner-phone": "0812 3456 7890",
    }
    data.update(overrides)
    return data


def test_an_officer_registers_an_sme_as_a_draft_with_its_owner(en_client, officer):
    en_client.force_login(officer)
    response = en_client.post(reverse("registry:sme_create"), new_sme_data(), follow=True)

    sme = Sme.objects.get(name="Sambal Roa Mak Enok")
    assert "The SME is registered as a draft." in response.content.decode()
    assert (sme.status, sme.source, sme.scale, sme.kbli_category) == ("draft", "manual", "micro", "C")
    assert sme.owner.nik == "3216094507850003"
    assert sme.owner.phone == "+6281234567890"
    # The NIK says: a woman born 5 July 1985.
    assert (sme.owner.gender, str(sme.owner.birth_date)) == ("F", "1985-07-05")
    assert "sambal" in sme.search_text
    assert entries(sme, "registry.sme.created").exists()
    assert ScaleRecord.objects.filter(sme=sme).count() == 1


def test_a_nik_already_registered_links_the_new_business_to_that_owner(client, officer):
    owner = OwnerFactory(nik="3216094507850003", name="Enok Suryani", phone="+6281300001111")
    client.force_login(officer)
    client.post(reverse("registry:sme_create"), new_sme_data(**{"owner-phone": ""}))

    sme = Sme.objects.get(name="Sambal Roa Mak Enok")
    assert sme.owner == owner
    assert Owner.objects.filter(nik="3216094507850003").count() == 1
    owner.refresh_from_db()
    assert owner.phone == "+6281300001111"


def test_a_new_sme_needs_a_name_an_owner_and_a_kecamatan_in_scope(en_client, officer):
    en_client.force_login(officer)
    response = en_client.post(
        reverse("registry:sme_create"), new_sme_data(name="", kecamatan="32.16.06", **{"owner-name": ""})
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        'id="id_name_error"' in html
        and 'id="id_owner-name_error"' in html
        and 'id="id_kecamatan_error"' in html
    )
    assert not Sme.objects.exists() and not Owner.objects.exists()


def test_a_birth_date_that_contradicts_the_nik_is_refused(en_client, officer):
    en_client.force_login(officer)
    response = en_client.post(
        reverse("registry:sme_create"), new_sme_data(**{"owner-birth_date": "1985-07-06"})
    )
    assert "The birth date does not match the one inside the NIK." in response.content.decode()
    assert not Sme.objects.exists()


def test_registering_is_for_dinas_staff(client, sme_owner):
    client.force_login(sme_owner)
    assert client.get(reverse("registry:sme_create")).status_code == 403


# --- the Django admin --------------------------------------------------------------------------


def test_an_edit_in_the_django_admin_is_audited(client, admin_user, kecamatan):
    sme = SmeFactory(kecamatan=kecamatan["cikarang_utara"])
    client.force_login(admin_user)
    page = client.get(reverse("admin:registry_sme_change", args=[sme.pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"name": "Nama Dari Admin", "accounts": ""})
    for prefix in ("permits", "scale_history"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(reverse("admin:registry_sme_change", args=[sme.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert entries(sme, "registry.sme.updated").get().changes["name"][1] == "Nama Dari Admin"


# --- races -------------------------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite serialises writes"
)
def test_two_officers_verifying_at_once_exactly_one_wins(
    transactional_db, officer, regency_officer, kecamatan
):
    sme = SmeFactory(kecamatan=kecamatan["cikarang_utara"], submitted=True)
    start = threading.Barrier(2)
    outcomes = []

    def verify(user):
        try:
            start.wait()
            verify_sme(sme=sme, officer=user, note=f"oleh {user.username}")
            outcomes.append("done")
        except StatusError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=verify, args=(user,)) for user in (officer, regency_officer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    sme.refresh_from_db()
    assert sorted(outcomes) == ["done", "refused"]
    entry = AuditEntry.objects.get(object_id=str(sme.pk), verb="registry.sme.verified")
    assert (sme.verified_by, sme.status_note) == (entry.actor, entry.note)
