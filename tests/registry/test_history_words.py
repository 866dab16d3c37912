"""The change history in words (sentra.core.history), in Indonesian and English, on the record page."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from conftest import CANARY_NIK, CANARY_PHONE
from sentra.core.audit import log_action
from sentra.core.history import describe
from sentra.registry import services
from sentra.registry.models import Owner, Sme

from .factories import OwnerFactory, SmeFactory


def words(changes, model=Sme, language="id"):
    with translation.override(language):
        return [(c.label, c.before, c.after) for c in describe(model, changes)]


def test_labels_choices_money_and_dates_in_indonesian():
    rows = words(
        {
            "status": ["submitted", "verified"],
            "capital": [None, 250000000],
            "nib_issued_on": [None, "2025-03-14"],
            "owner.name": ["Siti", "Siti Rahayu"],
            "scale": ["micro", "small"],
        }
    )
    assert rows == [
        ("Status", "Diajukan", "Terverifikasi"),
        ("Modal usaha yang dilaporkan (Rp)", "—", "Rp 250.000.000"),
        ("NIB terbit pada", "—", "14 Mar 2025"),
        ("Nama pemilik", "Siti", "Siti Rahayu"),
        ("Skala usaha", "Mikro", "Kecil"),
    ]


def test_the_same_changes_in_english():
    rows = words(
        {"status": ["submitted", "verified"], "capital": [None, 250000000], "owner.name": ["Siti", "Siti R"]},
        language="en",
    )
    assert rows == [
        ("Status", "Submitted", "Verified"),
        ("Declared capital (Rp)", "—", "IDR 250,000,000"),
        ("Owner name", "Siti", "Siti R"),
    ]


def test_a_field_across_a_relation_names_the_relation_when_its_label_does_not():
    assert words({"owner.education": ["SD", "SMA"]}, language="en") == [
        ("Owner: formal education", "SD", "SMA")
    ]


def test_permit_keys_of_the_import_and_of_record_permit_read_as_the_permit():
    rows = words(
        {"permit.halal": [None, "ID3216"], "permit_pirt_expires_on": ["2026-01-31", "2027-12-31"]},
        language="en",
    )
    assert rows == [("Halal certificate", "—", "ID3216"), ("P-IRT: expires on", "31 Jan 2026", "31 Dec 2027")]


def test_personal_values_are_masked_even_if_a_writer_stored_them_in_clear():
    rows = words(
        {
            "owner.nik": [None, CANARY_NIK],
            "phone": [CANARY_PHONE, ""],
            "owner.birth_date": [None, "1990-07-04"],
        }
    )
    (nik, phone, born) = rows
    assert CANARY_NIK not in nik[2] and nik[2].startswith(CANARY_NIK[:4]) and nik[2].endswith(CANARY_NIK[-4:])
    assert CANARY_PHONE not in phone[1] and phone[2] == "—"
    assert "1990" not in born[2] and "07" not in born[2]


def test_an_unknown_key_is_shown_as_it_is_rather_than_hidden():
    assert words({"something.new": [1, 2]}) == [("something.new", "1", "2")]


def test_yes_and_no_in_words(db):
    assert words({"has_disability": [None, True]}, model=Owner, language="en") == [
        ("Has a disability", "—", "Yes")
    ]


def test_an_owner_key_of_an_import_reads_as_the_owner(db):
    owner = OwnerFactory(name="Dewi Lestari")
    rows = words({"owner_id": [None, owner.pk]}, language="en")
    assert rows == [("Owner", "—", "Dewi Lestari")]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("id", ["Nama usaha", "Terverifikasi", "Rp 250.000.000"]),
        ("en", ["Business name", "Verified", "IDR 250,000,000"]),
    ],
)
def test_the_record_page_shows_its_history_in_words(client, admin_user, kecamatan, language, expected):
    sme = SmeFactory(name="Kue Lama", kecamatan=kecamatan["cikarang_utara"], status="submitted")
    services.update_sme(sme=sme, actor=admin_user, data={"name": "Kue Baru", "capital": 250_000_000})
    services.verify_sme(sme=Sme.objects.get(pk=sme.pk), officer=admin_user, note="")
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("registry:sme_detail", args=[sme.public_id])).content.decode()
    history = html[html.index('id="history-title"') :]
    for text in expected:
        assert text in history
    for raw in (">name<", ">verified<", ">250000000<", ">status<"):
        assert raw not in history


def test_the_history_reads_other_records_in_a_fixed_number_of_queries(django_assert_max_num_queries, db):
    from sentra.core.history import in_words
    from sentra.core.models import AuditEntry

    sme = SmeFactory()
    for _ in range(10):
        log_action(actor=None, verb="x", obj=sme, changes={"owner_id": [None, OwnerFactory().pk]})
    entries = list(AuditEntry.objects.filter(object_id=str(sme.pk)))
    with django_assert_max_num_queries(2):
        rows = in_words(entries)
    assert len(rows) == 10 and all(changes[0].after != "—" for _, changes in rows)


def test_the_other_side_of_a_relation_is_named_by_its_records():
    from sentra.registry.models import Cooperative

    rows = words({"managers": [None, ["Ani (Ketua)", "Budi (Bendahara)"]]}, model=Cooperative, language="en")
    assert rows == [("Managers", "—", "Ani (Ketua), Budi (Bendahara)")]
