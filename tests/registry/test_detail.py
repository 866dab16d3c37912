"""The SME record page: every field grouped, personal data masked until a logged reveal."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import CANARY_NIK, CANARY_PHONE, make_user
from sentra.accounts.models import Role
from sentra.core.audit import log_action
from sentra.core.models import AccessLog
from sentra.registry.models import ScaleRecord

from .factories import ForumFactory, OwnerFactory, PermitFactory, SmeFactory


@pytest.fixture
def sme(kecamatan):
    owner = OwnerFactory(
        name="Siti Rahayu",
        nik=CANARY_NIK,
        birth_date=dt.date(1990, 7, 4),
        phone=CANARY_PHONE,
        address="Jl. Melati No. 7",
        female=True,
    )
    sme = SmeFactory(
        name="Keripik Singkong Bu Siti",
        owner=owner,
        kecamatan=kecamatan["cikarang_utara"],
        phone=CANARY_PHONE,
        whatsapp="",
        capital=250_000_000,
        turnover=1_200_000_000,
        scale="micro",
        scale_basis="capital",
        workers_paid_male=None,
        workers_paid_female=3,
        workers_unpaid_disabled_male=1,
        kbli_code="10794",
        status_note="Dicek langsung ke lokasi",
        forum=ForumFactory(kecamatan=kecamatan["cikarang_utara"], name="Forum UMKM Kecamatan Cikarang Utara"),
    )
    ScaleRecord.objects.create(sme=sme, scale="micro", basis="capital", capital=250_000_000)
    today = timezone.localdate()
    PermitFactory(sme=sme, number="ID32160000012345", expires_on=today - dt.timedelta(days=10))
    PermitFactory(sme=sme, pirt=True, expires_on=today + dt.timedelta(days=30))
    return sme


def url(sme) -> str:
    return reverse("registry:sme_detail", args=[sme.public_id])


def test_an_officer_sees_every_group_of_fields(en_client, officer, sme):
    en_client.force_login(officer)
    html = en_client.get(url(sme)).content.decode()
    for heading in (
        "Status and verification",
        "Business",
        "Owner and contact",
        "Business address",
        "Sector",
        "Workers",
        "Money and scale",
        "Legality",
        "Forum",
        "Change history",
    ):
        assert f">{heading}</h2>" in html, heading
    assert "IDR 250,000,000" in html and "IDR 1,200,000,000" in html
    assert "(decided by capital)" in html
    assert "Scale history" in html
    assert "Dicek langsung ke lokasi" in html
    assert "Forum UMKM Kecamatan Cikarang Utara" in html
    assert "10794" in html


def test_permits_show_whether_they_are_still_valid(en_client, officer, sme):
    en_client.force_login(officer)
    html = en_client.get(url(sme)).content.decode()
    assert "ID32160000012345" in html
    assert ">Expired</span>" in html
    assert ">Expires soon</span>" in html


def test_a_pirt_without_a_date_shows_the_expiry_year_its_number_carries(en_client, officer, sme):
    PermitFactory(sme=sme, kind="pirt", number="206321601012327", expires_on=None)
    en_client.force_login(officer)
    html = en_client.get(url(sme)).content.decode()
    # Digits 14-15 of a P-IRT number are the expiry year; the day is unknown, so only the year shows.
    assert "2027 (from the number)" in html


def test_money_shows_in_rupiah_in_indonesian(client, officer, sme):
    client.force_login(officer)
    assert "Rp 250.000.000" in client.get(url(sme)).content.decode()


def test_workers_are_counted_by_pay_sex_and_disability(en_client, officer, sme):
    en_client.force_login(officer)
    html = en_client.get(url(sme)).content.decode()
    assert '<th scope="row">Paid</th><td>—</td><td>3</td>' in html.replace("\n", "")
    assert "Unpaid" in html and "Women with disability" in html


def test_placeholder_sections_for_other_areas_are_not_shown(en_client, officer, sme):
    en_client.force_login(officer)
    # In the page's own content: the top menu links to the areas that exist (Exports among them).
    main = en_client.get(url(sme)).content.decode().split("<main", 1)[1]
    for absent in (">Training<", ">Sales<", ">Exports<"):
        assert absent not in main


def test_personal_data_is_masked_even_for_an_officer_until_revealed(en_client, officer, sme):
    en_client.force_login(officer)
    html = en_client.get(url(sme)).content.decode()
    assert CANARY_NIK not in html
    assert CANARY_PHONE not in html
    assert "Jl. Melati" not in html
    assert "4 Jul 1990" not in html
    assert "3216••••••••0012" in html
    assert "Show personal data" in html
    assert not AccessLog.objects.exists()


def test_revealing_personal_data_shows_it_and_logs_the_view(en_client, officer, sme):
    en_client.force_login(officer)
    response = en_client.post(reverse("registry:sme_personal", args=[sme.public_id]), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert CANARY_NIK in html and CANARY_PHONE in html and "4 Jul 1990" in html and "Jl. Melati" in html
    log = AccessLog.objects.get()
    assert (log.user, log.kind, log.object_repr) == (officer, "view", sme.name)
    assert "owner.nik" in log.fields and "owner.birth_date" in log.fields


def test_revealing_without_javascript_returns_the_whole_page(en_client, officer, sme):
    en_client.force_login(officer)
    response = en_client.post(reverse("registry:sme_personal", args=[sme.public_id]))
    html = response.content.decode()
    assert "<html" in html and CANARY_NIK in html
    assert AccessLog.objects.count() == 1


def test_the_owner_sees_their_own_nik_and_phone_in_full_and_the_view_is_logged(en_client, sme_owner, sme):
    # The owner is the data subject: their own record shows their data unmasked, logged like any view.
    sme.accounts.add(sme_owner)
    en_client.force_login(sme_owner)

    html = en_client.get(url(sme)).content.decode()
    reveal = en_client.post(reverse("registry:sme_personal", args=[sme.public_id]))

    assert "Keripik Singkong Bu Siti" in html
    assert CANARY_NIK in html and CANARY_PHONE in html and "4 Jul 1990" in html
    assert "Show personal data" not in html
    assert "Confirm verification" not in html
    assert reveal.status_code == 403  # the officers' reveal stays theirs
    log = AccessLog.objects.get()
    assert (log.user, log.kind, log.object_id) == (sme_owner, AccessLog.Kind.VIEW, str(sme.pk))
    assert "owner.nik" in log.fields and "owner.phone" in log.fields


def test_an_owner_with_a_business_of_their_own_still_sees_others_masked_or_not_at_all(
    en_client, sme_owner, sme
):
    SmeFactory(name="Warung Lain", accounts=[sme_owner])
    en_client.force_login(sme_owner)
    # Someone else's business: not theirs, so not found, and nothing logged.
    assert en_client.get(url(sme)).status_code == 404
    assert not AccessLog.objects.exists()


def test_an_officer_still_sees_the_owners_data_masked_until_revealed(en_client, officer, sme_owner, sme):
    sme.accounts.add(sme_owner)
    en_client.force_login(officer)
    html = en_client.get(url(sme)).content.decode()
    assert CANARY_NIK not in html and CANARY_PHONE not in html
    assert not AccessLog.objects.exists()


def test_an_officer_of_another_kecamatan_gets_404(client, tambun_officer, sme):
    client.force_login(tambun_officer)
    assert client.get(url(sme)).status_code == 404
    assert client.post(reverse("registry:sme_personal", args=[sme.public_id])).status_code == 404


@pytest.mark.parametrize("role", ["cashier", "partner", "buyer", "outsider"])
def test_everyone_else_gets_404(client, personas, sme, role):
    client.force_login(personas[role])
    assert client.get(url(sme)).status_code == 404


def test_another_owner_gets_404(client, sme):
    client.force_login(make_user("joko_owner", Role.SME_OWNER))
    assert client.get(url(sme)).status_code == 404


def test_a_malformed_address_or_a_get_on_the_reveal_is_refused(client, officer, sme):
    client.force_login(officer)
    assert client.get("/registry/smes/not-a-uuid/").status_code == 404
    assert client.get(reverse("registry:sme_personal", args=[sme.public_id])).status_code == 405
    assert not AccessLog.objects.exists()


def test_the_change_history_lists_audited_changes(en_client, officer, sme):
    log_action(actor=officer, verb="registry.sme.updated", obj=sme, changes={"name": ["Lama", sme.name]})
    en_client.force_login(officer)
    html = en_client.get(url(sme)).content.decode()
    assert "Lama" in html and "Budi_Officer" in html


def _queries(client, sme) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(sme)).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_permits_or_history(
    client, officer, sme, django_assert_num_queries
):
    client.force_login(officer)
    with_few = _queries(client, sme)
    for n in range(27):
        PermitFactory(sme=sme, number=f"ID32169{n:09d}")
        ScaleRecord.objects.create(sme=sme, scale="micro", basis="capital")
        log_action(actor=officer, verb="registry.sme.updated", obj=sme, changes={"name": [str(n), sme.name]})
    assert _queries(client, sme) == with_few
    # session, user, officer's kecamatan, the SME with owner, regions, forum and verifier,
    # records merged into it, permits, scale history, audit entries with their actors.
    with django_assert_num_queries(8):
        client.get(url(sme))


def test_the_pirt_expiry_year_reads_as_a_year_in_indonesian(client, officer, sme):
    PermitFactory(sme=sme, kind="pirt", number="206321601012327", expires_on=None)
    client.force_login(officer)
    assert "2027 (dari nomornya)" in client.get(url(sme)).content.decode()
