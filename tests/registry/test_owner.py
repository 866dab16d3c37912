import pytest
from django.urls import reverse
from django.utils import translation

from conftest import CANARY_PHONE
from sentra.core.audit import history_for
from sentra.regions.models import Region
from sentra.registry.models import ScaleRecord, Sme

from .owner_factories import (
    CIKARANG_UTARA,
    TAMBUN_SELATAN,
    SmeFactory,
    desa_of,
    make_other_owner,
    use_english,
)


@pytest.fixture(autouse=True)
def english(client):
    use_english(client)
    with translation.override("en"):
        yield


@pytest.fixture
def owner_client(client, sme_owner):
    client.force_login(sme_owner)
    return client


def form_data(**changes) -> dict:
    kecamatan = Region.objects.get(code=CIKARANG_UTARA)
    data = {
        "name": "Keripik Sari",
        "brand": "Sari Renyah",
        "phone": "0812 3456 7890",
        "email": "sari@example.id",
        "address": "Jl. Raya Karangasih 12",
        "kecamatan": kecamatan.pk,
        "desa": desa_of(CIKARANG_UTARA).pk,
        "kbli_code": "10792",
        "products": "Keripik singkong, keripik pisang",
        "start_year": "2019",
        "employees": "3",
        "capital": "Rp 25.000.000",
        "turnover": "180 jt",
        "nib": "",
        "npwp": "",
    }
    return {**data, **changes}


# --- list --------------------------------------------------------------------------------------


def test_an_owner_sees_only_their_own_businesses(owner_client, sme_owner):
    SmeFactory(name="Warung Dewi", accounts=[sme_owner])
    SmeFactory(name="Toko Orang Lain")
    html = owner_client.get(reverse("owner:my_smes")).content.decode()
    assert "Warung Dewi" in html
    assert "Toko Orang Lain" not in html


def test_merged_records_disappear_from_the_owners_list(owner_client, sme_owner):
    kept = SmeFactory(name="Warung Dewi", accounts=[sme_owner])
    SmeFactory(name="Warung Dewi Lama", accounts=[sme_owner], merged_into=kept, status=Sme.Status.INACTIVE)
    html = owner_client.get(reverse("owner:my_smes")).content.decode()
    assert "Warung Dewi Lama" not in html


@pytest.mark.parametrize("role", ["officer", "cashier", "partner", "buyer", "outsider"])
def test_only_sme_owners_open_my_businesses(client, personas, role):
    client.force_login(personas[role])
    assert client.get(reverse("owner:my_smes")).status_code == 403


def test_the_owners_list_costs_the_same_queries_for_many_businesses(
    owner_client, sme_owner, django_assert_num_queries
):
    def count_for(n):
        Sme.objects.all().delete()
        for _ in range(n):
            SmeFactory(accounts=[sme_owner])
        # session, user, SMEs with kecamatan/desa and pending-change counts, open claims
        with django_assert_num_queries(4):
            response = owner_client.get(reverse("owner:my_smes"))
        assert response.status_code == 200

    count_for(2)
    count_for(12)


# --- create ------------------------------------------------------------------------------------


def test_an_owner_registers_a_business_as_a_draft(owner_client, sme_owner):
    response = owner_client.post(reverse("owner:sme_create"), form_data())
    sme = Sme.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("owner:sme_overview", args=[sme.public_id])
    assert sme.status == Sme.Status.DRAFT
    assert list(sme.accounts.all()) == [sme_owner]
    assert sme.phone == "+6281234567890"
    assert sme.capital == 25_000_000 and sme.turnover == 180_000_000
    assert sme.kbli_version == 2020 and sme.kbli_category == "C"
    assert sme.scale == "micro" and sme.scale_basis == "capital"
    assert ScaleRecord.objects.filter(sme=sme, scale="micro").count() == 1
    assert sme.name_key == "keripiksari"
    assert "keripik" in sme.search_text
    assert sme.owner is not None and sme.owner.name == sme_owner.get_full_name()
    assert history_for(sme).filter(verb="registry.sme.created_by_owner").exists()
    page = owner_client.get(response.url).content.decode()
    assert "Keripik Sari" in page and "Submit for verification" in page


def test_the_create_form_narrows_desa_to_the_chosen_kecamatan(owner_client):
    html = owner_client.get(reverse("owner:sme_create")).content.decode()
    assert f'hx-get="{reverse("owner:desa_options")}"' in html
    tambun = Region.objects.get(code=TAMBUN_SELATAN)
    options = owner_client.get(reverse("owner:desa_options"), {"kecamatan": tambun.pk}).content.decode()
    assert desa_of(TAMBUN_SELATAN).name in options
    assert desa_of(CIKARANG_UTARA).name not in options


def test_desa_options_ignore_a_malformed_kecamatan(owner_client):
    response = owner_client.get(reverse("owner:desa_options"), {"kecamatan": "abc"})
    assert response.status_code == 200
    assert response.content.decode().count("<option") == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required"),
        ({"nib": "12345"}, "nib", "A NIB has 13 digits"),
        ({"phone": "12"}, "phone", ""),
        ({"kbli_code": "99999x"}, "kbli_code", ""),
        ({"capital": "-5"}, "capital", ""),
        ({"start_year": "2999"}, "start_year", ""),
        ({"desa": "__tambun__"}, "desa", "This desa is not in the kecamatan you chose"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_nothing_is_saved(owner_client, changes, field, message):
    if changes.get("desa") == "__tambun__":
        changes = {"desa": desa_of(TAMBUN_SELATAN).pk}
    html = owner_client.post(reverse("owner:sme_create"), form_data(**changes)).content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert not Sme.objects.exists()


def test_registering_a_nib_the_registry_holds_points_to_the_claim(owner_client):
    SmeFactory(nib="9120001234567")
    html = owner_client.post(reverse("owner:sme_create"), form_data(nib="9120001234567")).content.decode()
    assert "Claim it instead" in html
    assert Sme.objects.count() == 1


# --- overview, edit, submit --------------------------------------------------------------------


def test_an_owner_edits_an_unverified_business_directly(owner_client, sme_owner):
    sme = SmeFactory(name="Keripik Sari", accounts=[sme_owner], status=Sme.Status.SUBMITTED)
    response = owner_client.post(
        reverse("owner:sme_edit", args=[sme.public_id]), form_data(name="Keripik Sari Murni", capital="2 M")
    )
    assert response.status_code == 302
    sme.refresh_from_db()
    assert sme.name == "Keripik Sari Murni"
    assert sme.name_key == "keripiksarimurni"
    assert sme.scale == "small"
    assert not sme.change_requests.exists()
    entry = history_for(sme).get(verb="registry.sme.edited_by_owner")
    assert entry.changes["name"] == ["Keripik Sari", "Keripik Sari Murni"]
    # Personal data is masked in the audit trail.
    assert "+6281234567890" not in str(entry.changes)
    assert "Your changes are saved" in owner_client.get(response.url).content.decode()


def test_an_edit_that_changes_nothing_says_so(owner_client, sme_owner):
    owner_client.post(reverse("owner:sme_create"), form_data())
    sme = Sme.objects.get()
    response = owner_client.post(reverse("owner:sme_edit", args=[sme.public_id]), form_data(), follow=True)
    assert "Nothing was changed" in response.content.decode()


def test_the_edit_form_rejects_bad_input(owner_client, sme_owner):
    sme = SmeFactory(accounts=[sme_owner])
    html = owner_client.post(
        reverse("owner:sme_edit", args=[sme.public_id]), form_data(nib="abc")
    ).content.decode()
    assert 'id="id_nib_error"' in html
    sme.refresh_from_db()
    assert sme.nib is None


def test_an_owner_submits_a_draft_for_verification(owner_client, sme_owner):
    sme = SmeFactory(accounts=[sme_owner])
    response = owner_client.post(reverse("owner:sme_submit", args=[sme.public_id]), follow=True)
    sme.refresh_from_db()
    assert sme.status == Sme.Status.SUBMITTED
    assert "Submitted" in response.content.decode()
    assert history_for(sme).get(verb="registry.sme.submitted").changes == {"status": ["draft", "submitted"]}


def test_a_verified_business_cannot_be_submitted_again(owner_client, sme_owner):
    sme = SmeFactory(accounts=[sme_owner], status=Sme.Status.VERIFIED)
    response = owner_client.post(reverse("owner:sme_submit", args=[sme.public_id]), follow=True)
    sme.refresh_from_db()
    assert sme.status == Sme.Status.VERIFIED
    assert "Only a draft or a rejected record can be submitted" in response.content.decode()


def test_submitting_needs_a_post(owner_client, sme_owner):
    sme = SmeFactory(accounts=[sme_owner])
    assert owner_client.get(reverse("owner:sme_submit", args=[sme.public_id])).status_code == 405


@pytest.mark.parametrize("name", ["owner:sme_overview", "owner:sme_edit", "owner:sme_submit"])
def test_an_owner_never_reaches_another_owners_business(client, db, name):
    other = make_other_owner()
    sme = SmeFactory(phone=CANARY_PHONE, accounts=[other])
    from conftest import make_user

    intruder = make_user("lina_owner", "sme_owner")
    client.force_login(intruder)
    response = client.post(reverse(name, args=[sme.public_id]), form_data())
    assert response.status_code == 404
    assert CANARY_PHONE not in response.content.decode()
    sme.refresh_from_db()
    assert sme.status == Sme.Status.DRAFT


def test_an_inactive_business_cannot_be_edited(owner_client, sme_owner):
    sme = SmeFactory(accounts=[sme_owner], status=Sme.Status.INACTIVE)
    response = owner_client.get(reverse("owner:sme_edit", args=[sme.public_id]), follow=True)
    assert "This business is inactive" in response.content.decode()
