"""Cooperatives: list with filters (RAT overdue among them), record page, create and edit with managers."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sentra.core.models import AuditEntry
from sentra.registry.models import Cooperative, CooperativeManager

from .factories import CooperativeFactory, CooperativeManagerFactory

LIST = reverse("registry:cooperative_list")


def names(response) -> list[str]:
    return re.findall(
        r'<td><a href="/registry/cooperatives/[0-9a-f-]+/">([^<]+)</a>', response.content.decode()
    )


@pytest.fixture
def cooperatives(kecamatan):
    today = timezone.localdate()
    return {
        "maju": CooperativeFactory(
            name="Koperasi Maju Bersama",
            kecamatan=kecamatan["cikarang_utara"],
            kind=Cooperative.Kind.SAVINGS_LOAN,
            last_rat_date=today - dt.timedelta(days=100),
        ),
        "tani": CooperativeFactory(
            name="Koperasi Tani Sejahtera",
            kecamatan=kecamatan["cikarang_utara"],
            kind=Cooperative.Kind.PRODUCER,
            last_rat_date=today - dt.timedelta(days=400),
        ),
        "baru": CooperativeFactory(
            name="Koperasi Baru",
            kecamatan=kecamatan["cikarang_utara"],
            kind=Cooperative.Kind.CONSUMER,
            last_rat_date=None,
            status=Cooperative.Status.INACTIVE,
        ),
        "tambun": CooperativeFactory(
            name="Koperasi Tambun Jaya",
            kecamatan=kecamatan["tambun_selatan"],
            kind=Cooperative.Kind.MARKETING,
        ),
    }


def test_an_officer_lists_the_cooperatives_of_their_kecamatan(en_client, officer, cooperatives):
    en_client.force_login(officer)
    response = en_client.get(LIST)
    html = response.content.decode()
    assert names(response) == ["Koperasi Baru", "Koperasi Maju Bersama", "Koperasi Tani Sejahtera"]
    assert "3 cooperatives" in html
    assert "Savings and loan" in html and "never" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "tani"}, ["Koperasi Tani Sejahtera"]),
        ({"kind": "savings_loan"}, ["Koperasi Maju Bersama"]),
        ({"status": "inactive"}, ["Koperasi Baru"]),
        ({"rat_overdue": "on"}, ["Koperasi Baru", "Koperasi Tani Sejahtera"]),
        ({"kecamatan": "32.16.06"}, ["Koperasi Tambun Jaya"]),
    ],
)
def test_filters(en_client, regency_officer, cooperatives, params, expected):
    en_client.force_login(regency_officer)
    assert names(en_client.get(LIST, params)) == expected


def test_a_bad_filter_is_shown_next_to_its_field(en_client, regency_officer, cooperatives):
    en_client.force_login(regency_officer)
    response = en_client.get(LIST, {"kind": "bank"})
    assert 'id="id_kind_error"' in response.content.decode()
    assert len(names(response)) == 4


@pytest.mark.parametrize("role", ["sme_owner", "cashier", "partner", "buyer", "outsider"])
def test_cooperatives_are_closed_outside_the_dinas(client, personas, cooperatives, role):
    client.force_login(personas[role])
    assert client.get(LIST).status_code == 403
    assert (
        client.get(reverse("registry:cooperative_detail", args=[cooperatives["maju"].public_id])).status_code
        == 403
    )


def test_the_record_page_shows_the_cooperative_and_its_managers(en_client, officer, cooperatives):
    tani = cooperatives["tani"]
    CooperativeManagerFactory(cooperative=tani, name="Dedi Permana", position="Ketua")
    en_client.force_login(officer)
    html = en_client.get(reverse("registry:cooperative_detail", args=[tani.public_id])).content.decode()
    assert "Koperasi Tani Sejahtera" in html and "Dedi Permana" in html and "Ketua" in html
    assert "Overdue" in html


def test_another_kecamatans_cooperative_answers_404(client, officer, cooperatives):
    client.force_login(officer)
    tambun = cooperatives["tambun"]
    assert client.get(reverse("registry:cooperative_detail", args=[tambun.public_id])).status_code == 404
    assert client.get(reverse("registry:cooperative_edit", args=[tambun.public_id])).status_code == 404


def form_data(**overrides) -> dict:
    data = {
        "name": "Koperasi Wanita Mandiri",
        "kind": "multipurpose",
        "status": "active",
        "members_count": "120",
        "last_rat_date": "2026-03-15",
        "kecamatan": "32.16.09",
        "desa": "",
        "managers-TOTAL_FORMS": "2",
        "managers-INITIAL_FORMS": "0",
        "managers-0-name": "Euis Suryani",
        "managers-0-position": "Ketua",
        "managers-1-name": "",
        "managers-1-position": "",
    }
    data.update(overrides)
    return data


def test_an_officer_registers_a_cooperative_with_its_managers(en_client, officer):
    en_client.force_login(officer)
    response = en_client.post(reverse("registry:cooperative_create"), form_data(), follow=True)

    cooperative = Cooperative.objects.get(name="Koperasi Wanita Mandiri")
    assert "The cooperative is registered." in response.content.decode()
    assert cooperative.kecamatan.code == "32.16.09"
    assert list(cooperative.managers.values_list("name", "position")) == [("Euis Suryani", "Ketua")]
    entry = AuditEntry.objects.get(verb="registry.cooperative.created", object_id=str(cooperative.pk))
    assert entry.changes["managers"] == [None, ["Euis Suryani (Ketua)"]]


def test_editing_adds_changes_and_removes_managers_and_is_audited(client, officer, cooperatives):
    tani = cooperatives["tani"]
    chair = CooperativeManagerFactory(cooperative=tani, name="Dedi Permana", position="Ketua")
    treasurer = CooperativeManagerFactory(cooperative=tani, name="Lilis", position="Bendahara")
    client.force_login(officer)
    data = form_data(
        name="Koperasi Tani Sejahtera",
        kind="producer",
        **{
            "managers-TOTAL_FORMS": "3",
            "managers-INITIAL_FORMS": "2",
            "managers-0-id": str(chair.pk),
            "managers-0-name": "Dedi Permana",
            "managers-0-position": "Ketua Umum",
            "managers-1-id": str(treasurer.pk),
            "managers-1-name": "Lilis",
            "managers-1-position": "Bendahara",
            "managers-1-DELETE": "on",
            "managers-2-name": "Asep Hidayat",
            "managers-2-position": "Sekretaris",
        },
    )
    response = client.post(reverse("registry:cooperative_edit", args=[tani.public_id]), data)

    assert response.status_code == 302
    assert list(tani.managers.order_by("id").values_list("name", "position")) == [
        ("Dedi Permana", "Ketua Umum"),
        ("Asep Hidayat", "Sekretaris"),
    ]
    entry = AuditEntry.objects.get(verb="registry.cooperative.updated", object_id=str(tani.pk))
    assert entry.changes["managers"][1] == ["Dedi Permana (Ketua Umum)", "Asep Hidayat (Sekretaris)"]
    assert entry.changes["members_count"][1] == 120


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"last_rat_date": "2999-01-01"}, "last_rat_date", "The last RAT cannot be in the future."),
        ({"desa": "32.16.06.2002"}, "desa", "Select a valid choice."),
        ({"kind": "bank"}, "kind", "Select a valid choice."),
        ({"managers-0-position": ""}, "managers-0-position", "This field is required."),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_saved(
    en_client, officer, overrides, field, message
):
    en_client.force_login(officer)
    response = en_client.post(reverse("registry:cooperative_create"), form_data(**overrides))
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert not Cooperative.objects.exists() and not CooperativeManager.objects.exists()


def test_a_desa_outside_the_chosen_kecamatan_is_refused(en_client, regency_officer):
    en_client.force_login(regency_officer)
    response = en_client.post(reverse("registry:cooperative_create"), form_data(desa="32.16.06.2002"))
    assert "This desa / kelurahan is not in the chosen kecamatan." in response.content.decode()


def test_the_edit_form_shows_the_current_kecamatan_selected(en_client, officer, cooperatives):
    en_client.force_login(officer)
    html = en_client.get(
        reverse("registry:cooperative_edit", args=[cooperatives["maju"].public_id])
    ).content.decode()
    assert '<option value="32.16.09" selected>' in html


def test_the_number_of_queries_does_not_grow_with_the_rows(client, officer, kecamatan):
    client.force_login(officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    CooperativeFactory.create_batch(3, kecamatan=kecamatan["cikarang_utara"])
    with_three = queries()
    CooperativeFactory.create_batch(27, kecamatan=kecamatan["cikarang_utara"])
    # session, user, officer's kecamatan, kecamatan choices, count, page with kecamatan and desa.
    assert queries() == with_three == 6
