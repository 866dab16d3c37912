import difflib
import random

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import make_user
from sentra.accounts.models import Role
from sentra.core.audit import history_for, log_action
from sentra.regions.models import Region
from sentra.registry.claims import name_key_for
from sentra.registry.duplicates import (
    SIMILAR_NAME_RATIO,
    MergeError,
    Reason,
    _similar_pairs,
    find_duplicates,
    merge_smes,
)
from sentra.registry.models import ChangeRequest, ClaimRequest, Forum, Permit, ScaleRecord, Sme

from .owner_factories import (
    CIKARANG_UTARA,
    TAMBUN_SELATAN,
    OwnerFactory,
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


def groups_by_reason(user) -> dict[str, list[set[str]]]:
    found: dict[str, list[set[str]]] = {}
    names = dict(Sme.objects.values_list("pk", "name"))
    for group in find_duplicates(user=user):
        for reason in group.reasons:
            found.setdefault(reason, []).append({names[pk] for pk in group.sme_ids})
    return found


def in_tambun(**kwargs) -> Sme:
    return SmeFactory(
        kecamatan=Region.objects.get(code=TAMBUN_SELATAN), desa=desa_of(TAMBUN_SELATAN), **kwargs
    )


# --- the name key ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("UD. Keripik  Sari", "keripik sari"),
        ("CV Batik Tulis Sukatani", "Batik-Tulis Sukatani"),
        ("Dodol Bétawi", "DODOL BETAWI"),
    ],
)
def test_names_spelled_differently_share_one_key(a, b):
    assert name_key_for(a) == name_key_for(b)


def test_different_names_keep_different_keys():
    assert name_key_for("Keripik Sari") != name_key_for("Keripik Sara Jaya")


# --- finding -----------------------------------------------------------------------------------


def test_records_with_the_same_nib_are_grouped(admin_user):
    SmeFactory(name="Dodol Ratna", nib="9120001234567")
    in_tambun(name="Ratna Food", nib="9120001234567")
    SmeFactory(name="Lain", nib="9120007654321")
    assert groups_by_reason(admin_user)[Reason.SAME_NIB] == [{"Dodol Ratna", "Ratna Food"}]


def test_records_of_one_owner_with_the_same_name_key_are_grouped(admin_user):
    owner = OwnerFactory()
    SmeFactory(name="Warung Bu Ani", owner=owner)
    in_tambun(name="WARUNG BU ANI", owner=owner)
    SmeFactory(name="Warung Bu Ani", owner=OwnerFactory())  # a namesake in another desa
    assert groups_by_reason(admin_user)[Reason.SAME_OWNER_NAME] == [{"Warung Bu Ani", "WARUNG BU ANI"}]


def test_near_identical_names_in_one_desa_are_grouped_but_not_across_desa(admin_user):
    SmeFactory(name="Keripik Singkong Sari Rasa")
    SmeFactory(name="Kripik Singkong Sari Rasa")
    SmeFactory(name="Keripik Singkong Sari Rasa", desa=desa_of(CIKARANG_UTARA, 1))
    SmeFactory(name="Bengkel Motor Jaya")
    found = groups_by_reason(admin_user)
    assert found[Reason.SIMILAR_NAME] == [{"Keripik Singkong Sari Rasa", "Kripik Singkong Sari Rasa"}]
    assert len(found[Reason.SIMILAR_NAME][0]) == 2


def test_a_group_found_by_several_rules_shows_once_with_every_reason(admin_user):
    owner = OwnerFactory()
    SmeFactory(name="Batik Sukatani", owner=owner, nib="9120001111111")
    SmeFactory(name="Batik Sukatani", owner=owner, nib="9120001111111")
    groups = find_duplicates(user=admin_user)
    assert len(groups) == 1
    assert set(groups[0].reasons) == {Reason.SAME_NIB, Reason.SAME_OWNER_NAME, Reason.SIMILAR_NAME}


def test_an_officer_finds_duplicates_only_in_their_kecamatan(officer):
    in_tambun(name="Toko Tambun", nib="9120002222222")
    in_tambun(name="Toko Tambun Dua", nib="9120002222222")
    assert find_duplicates(user=officer) == []


def test_merged_records_are_not_found_again(admin_user):
    kept = SmeFactory(name="Dodol Ratna", nib="9120001234567")
    SmeFactory(name="Dodol Ratna", nib="9120001234567", merged_into=kept, status=Sme.Status.INACTIVE)
    assert find_duplicates(user=admin_user) == []


def test_finding_costs_the_same_queries_for_many_records(admin_user, django_assert_num_queries):
    owner = OwnerFactory()
    for n in (3, 30):
        Sme.objects.all().delete()
        for i in range(n):
            SmeFactory(name=f"Keripik Nomor {i:03d}", nib=f"91200000000{i % 2:02d}", owner=owner)
        # same NIB: the rows whose NIB occurs twice; same owner and name: the rows whose (owner,
        # name key) occurs twice (each grouped in a subquery); near-identical names: the (desa,
        # name key) rows of the scope
        with django_assert_num_queries(3):
            assert find_duplicates(user=admin_user)


def test_many_similar_names_in_one_desa_cluster_together(admin_user):
    for i in range(40):
        SmeFactory(name=f"Warung Sembako Barokah Jaya {i:02d}")
    groups = find_duplicates(user=admin_user)
    assert len(groups) == 1 and len(groups[0].sme_ids) == 40


def test_the_fast_similar_name_search_finds_exactly_what_comparing_every_pair_finds():
    rng = random.Random(2026)

    def mutate(key: str) -> str:
        chars = list(key)
        for _ in range(rng.randint(0, 4)):
            at = rng.randrange(len(chars) + 1)
            roll = rng.random()
            if roll < 0.33 and chars:
                chars.pop(min(at, len(chars) - 1))
            elif roll < 0.66:
                chars.insert(at, rng.choice("abcde"))
            elif chars:
                chars[min(at, len(chars) - 1)] = rng.choice("abcde")
        return "".join(chars)

    def ratio(a: str, b: str) -> float:
        # Shorter key first, as the search compares them: difflib's ratio is not symmetric.
        first, second = sorted([a, b], key=lambda k: (len(k), k))
        return difflib.SequenceMatcher(None, first, second, autojunk=False).ratio()

    for _ in range(150):
        bases = ["".join(rng.choice("abcde") for _ in range(rng.randint(1, 40))) for _ in range(6)]
        keys = sorted({mutate(rng.choice(bases)) for _ in range(40)} - {""})
        every_pair = {
            (i, j)
            for i in range(len(keys))
            for j in range(i + 1, len(keys))
            if ratio(keys[i], keys[j]) >= SIMILAR_NAME_RATIO
        }
        assert {tuple(sorted(pair)) for pair in _similar_pairs(keys)} == every_pair


def test_the_search_can_be_narrowed_to_one_kecamatan(admin_user):
    SmeFactory(name="Dodol Ratna", nib="9120001234567")
    SmeFactory(name="Dodol Ratna Dua", nib="9120001234567")
    in_tambun(name="Toko Tambun", nib="9120002222222")
    in_tambun(name="Toko Tambun Dua", nib="9120002222222")
    tambun = Region.objects.get(code=TAMBUN_SELATAN)
    assert len(find_duplicates(user=admin_user)) == 2
    (group,) = find_duplicates(user=admin_user, kecamatan=tambun)
    assert set(Sme.objects.filter(pk__in=group.sme_ids).values_list("name", flat=True)) == {
        "Toko Tambun",
        "Toko Tambun Dua",
    }


# --- the page ----------------------------------------------------------------------------------


def test_the_duplicates_page_filters_by_kecamatan(client, admin_user):
    SmeFactory(name="Dodol Ratna", nib="9120001234567")
    SmeFactory(name="Dodol Ratna Dua", nib="9120001234567")
    in_tambun(name="Toko Tambun", nib="9120002222222")
    in_tambun(name="Toko Tambun Dua", nib="9120002222222")
    client.force_login(admin_user)
    tambun = Region.objects.get(code=TAMBUN_SELATAN)
    html = client.get(reverse("review:duplicates"), {"kecamatan": tambun.pk}).content.decode()
    assert "Toko Tambun" in html and "Dodol Ratna" not in html


def test_a_large_area_compares_names_only_within_a_chosen_kecamatan(client, admin_user, monkeypatch):
    monkeypatch.setattr("sentra.registry.duplicates.SIMILAR_NAME_SCAN_LIMIT", 1)
    SmeFactory(name="Keripik Singkong Sari Rasa")
    SmeFactory(name="Kripik Singkong Sari Rasa")
    client.force_login(admin_user)
    html = client.get(reverse("review:duplicates")).content.decode()
    assert "Choose a kecamatan to also find near-identical names" in html
    assert "Kripik Singkong" not in html
    cikarang = Region.objects.get(code=CIKARANG_UTARA)
    html = client.get(reverse("review:duplicates"), {"kecamatan": cikarang.pk}).content.decode()
    assert "Kripik Singkong" in html


def test_an_officer_cannot_widen_the_duplicates_page_to_another_kecamatan(client, officer):
    in_tambun(name="Toko Tambun", nib="9120002222222")
    in_tambun(name="Toko Tambun Dua", nib="9120002222222")
    client.force_login(officer)
    tambun = Region.objects.get(code=TAMBUN_SELATAN)
    html = client.get(reverse("review:duplicates"), {"kecamatan": tambun.pk}).content.decode()
    assert "Toko Tambun" not in html


def test_the_duplicates_page_lists_groups_with_a_merge_form(client, officer):
    a = SmeFactory(name="Dodol Ratna", nib="9120001234567")
    b = SmeFactory(name="Ratna Food", nib="9120001234567")
    client.force_login(officer)
    html = client.get(reverse("review:duplicates")).content.decode()
    assert "Same NIB" in html
    assert str(a.public_id) in html and str(b.public_id) in html
    assert 'name="keep"' in html and 'name="merge"' in html


def test_the_duplicates_page_costs_the_same_queries_for_many_groups(
    client, admin_user, django_assert_num_queries
):
    client.force_login(admin_user)
    for n in (2, 12):
        Sme.objects.all().delete()
        for i in range(n):
            SmeFactory(name=f"Dodol {i}", nib=f"91200000001{i:02d}")
            SmeFactory(name=f"Food {i}", nib=f"91200000001{i:02d}")
        # session, user, the kecamatan choices, the count deciding whether names are compared, the
        # three finding queries (see above), the page's records with permit counts
        with django_assert_num_queries(2 + 1 + 1 + 3 + 1):
            assert client.get(reverse("review:duplicates")).status_code == 200


@pytest.mark.parametrize("role", ["sme_owner", "cashier", "partner", "buyer", "outsider"])
def test_only_dinas_staff_open_the_duplicates_page(client, personas, role):
    client.force_login(personas[role])
    assert client.get(reverse("review:duplicates")).status_code == 403
    assert client.get(reverse("review:merge")).status_code == 403


# --- merging -----------------------------------------------------------------------------------


@pytest.fixture
def pair(sme_owner):
    """Two records of one business: the verified one to keep, and an imported one with extra data."""
    forum = Forum.objects.create(name="Forum UMKM Kecamatan Cikarang Utara")
    keep = SmeFactory(name="Dodol Ratna", nib="9120001234567", status=Sme.Status.VERIFIED, brand="")
    merge = SmeFactory(
        name="Dodol Betawi Ratna",
        nib="9120001234567",
        brand="Ratna Food",
        kbli_code="10794",
        kbli_version=2020,
        kbli_category="C",
        capital=2_000_000_000,
        scale="small",
        scale_basis="capital",
        forum=forum,
        source=Sme.Source.SIDT,
        accounts=[sme_owner],
    )
    Permit.objects.create(sme=keep, kind=Permit.Kind.HALAL, number="ID32110000123450823")
    Permit.objects.create(sme=merge, kind=Permit.Kind.HALAL, number="ID32110000123450823")
    Permit.objects.create(sme=merge, kind=Permit.Kind.PIRT, number="206321601012327")
    ScaleRecord.objects.create(sme=merge, scale="small", basis="capital", capital=2_000_000_000)
    ClaimRequest.objects.create(sme=merge, user=sme_owner, proof=ClaimRequest.Proof.NIK)
    ChangeRequest.objects.create(sme=merge, requested_by=sme_owner, changes={"brand": "Ratna"})
    forum.coordinator = merge
    forum.save()
    return keep, merge


def test_merging_moves_everything_to_the_kept_record(officer, sme_owner, pair):
    keep, merge = pair
    merge_smes(keep=keep, merge=merge, officer=officer, reason="Same NIB, same address.")
    keep.refresh_from_db()
    merge.refresh_from_db()
    # The kept record's values win; its gaps are filled from the other.
    assert keep.name == "Dodol Ratna"
    assert keep.brand == "Ratna Food"
    assert (keep.kbli_code, keep.kbli_category) == ("10794", "C")
    assert keep.capital == 2_000_000_000 and keep.scale == "small"
    assert keep.status == Sme.Status.VERIFIED and keep.source == Sme.Source.MANUAL
    assert keep.forum.name == "Forum UMKM Kecamatan Cikarang Utara"
    assert Forum.objects.get().coordinator == keep
    # Permits move, except the exact duplicate.
    assert sorted(keep.permits.values_list("kind", flat=True)) == ["halal", "pirt"]
    assert not Permit.objects.filter(sme=merge).exists()
    assert ScaleRecord.objects.get().sme == keep
    assert ClaimRequest.objects.get().sme == keep
    assert ChangeRequest.objects.get().sme == keep
    assert list(keep.accounts.all()) == [sme_owner] and not merge.accounts.exists()
    assert merge.merged_into == keep and merge.status == Sme.Status.INACTIVE


def test_merging_keeps_both_histories_readable(officer, pair):
    keep, merge = pair
    log_action(actor=officer, verb="registry.sme.verified", obj=keep)
    log_action(actor=None, verb="imports.sme.created", obj=merge)
    merge_smes(keep=keep, merge=merge, officer=officer, reason="Same NIB.")
    kept_history = list(history_for(keep).values_list("verb", flat=True))
    merged_history = list(history_for(merge).values_list("verb", flat=True))
    assert kept_history[0] == "registry.sme.merged_from" and "registry.sme.verified" in kept_history
    assert merged_history[0] == "registry.sme.merged_into" and "imports.sme.created" in merged_history
    note = history_for(keep).first().note
    assert "Dodol Betawi Ratna" in note and str(merge.public_id) in note and "Same NIB." in note
    assert history_for(keep).first().changes["brand"] == ["", "Ratna Food"]


def test_a_merged_record_disappears_from_lists_and_its_owner_reaches_the_kept_one(
    client, officer, sme_owner, pair
):
    keep, merge = pair
    merge_smes(keep=keep, merge=merge, officer=officer, reason="Same NIB.")
    assert list(Sme.objects.for_user(officer)) == [keep]
    client.force_login(sme_owner)
    assert client.get(reverse("owner:sme_overview", args=[merge.public_id])).status_code == 404
    assert client.get(reverse("owner:sme_overview", args=[keep.public_id])).status_code == 200


def test_the_kept_record_page_lists_the_merged_one_and_its_history(client, officer, pair):
    keep, merge = pair
    log_action(actor=None, verb="imports.sme.created", obj=merge, note="umkm-2025.xlsx, row 12")
    merge_smes(keep=keep, merge=merge, officer=officer, reason="Same NIB.")
    client.force_login(officer)
    client.cookies["sentra_language"] = "en"
    html = client.get(reverse("registry:sme_detail", args=[keep.public_id])).content.decode()
    assert "Merged into this record" in html and "Dodol Betawi Ratna" in html
    # The merged record's own history (its import) reads on the kept record's page, labelled.
    assert "umkm-2025.xlsx, row 12" in html and "merged record: Dodol Betawi Ratna" in html


def test_a_link_to_a_merged_record_leads_to_the_kept_one(client, officer, pair):
    keep, merge = pair
    merge_smes(keep=keep, merge=merge, officer=officer, reason="Same NIB.")
    client.force_login(officer)
    response = client.get(reverse("registry:sme_detail", args=[merge.public_id]))
    assert response.status_code == 302
    assert response.url == reverse("registry:sme_detail", args=[keep.public_id])


def test_a_merged_record_out_of_scope_stays_a_404(client, kecamatan, officer, pair):
    # Following the link would tell an officer of another kecamatan that the record exists.
    keep, merge = pair
    merge_smes(keep=keep, merge=merge, officer=officer, reason="Same NIB.")
    client.force_login(make_tambun_officer(kecamatan))
    assert client.get(reverse("registry:sme_detail", args=[merge.public_id])).status_code == 404


def test_money_filled_by_a_merge_recomputes_the_scale(officer):
    keep = SmeFactory(name="Roti Bakar", turnover=1_000_000_000, scale="micro", scale_basis="turnover")
    merge = SmeFactory(name="Roti Bakar", capital=3_000_000_000)
    merge_smes(keep=keep, merge=merge, officer=officer, reason="Same shop.")
    keep.refresh_from_db()
    assert (keep.scale, keep.scale_basis) == ("small", "capital")
    assert ScaleRecord.objects.get(sme=keep).scale == "small"


def test_a_desa_of_another_kecamatan_is_not_copied(officer):
    keep = SmeFactory(desa=None)
    merge = SmeFactory(kecamatan=Region.objects.get(code=TAMBUN_SELATAN), desa=desa_of(TAMBUN_SELATAN))
    merge_smes(keep=keep, merge=merge, officer=make_user("zaki_admin", Role.ADMIN), reason="x")
    keep.refresh_from_db()
    assert keep.desa is None and keep.kecamatan.code == CIKARANG_UTARA


def test_a_record_cannot_be_merged_into_itself(officer, pair):
    keep, _merge = pair
    with pytest.raises(MergeError, match="itself"):
        merge_smes(keep=keep, merge=keep, officer=officer, reason="x")


def test_records_of_different_regencies_cannot_be_merged(admin_user):
    jawa_barat = Region.objects.get(code="32")
    kota_bekasi = Region.objects.create(
        code="32.75", name="Kota Bekasi", level=Region.Level.REGENCY, kind=Region.Kind.KOTA, parent=jawa_barat
    )
    keep = SmeFactory(name="Sate Maranggi")
    other = SmeFactory(name="Sate Maranggi", regency=kota_bekasi, kecamatan=None, desa=None)
    with pytest.raises(MergeError, match="different regencies"):
        merge_smes(keep=keep, merge=other, officer=admin_user, reason="x")
    other.refresh_from_db()
    assert other.merged_into is None


def test_an_officer_cannot_merge_records_outside_their_kecamatan(kecamatan, pair):
    keep, merge = pair
    with pytest.raises(MergeError, match="within your area"):
        merge_smes(keep=keep, merge=merge, officer=make_tambun_officer(kecamatan), reason="x")
    merge.refresh_from_db()
    assert merge.merged_into is None and merge.permits.count() == 2


def test_a_merge_needs_a_reason(officer, pair):
    keep, merge = pair
    with pytest.raises(MergeError, match="reason"):
        merge_smes(keep=keep, merge=merge, officer=officer, reason="  ")


def test_a_record_merged_once_cannot_be_merged_again(officer, pair):
    keep, merge = pair
    merge_smes(keep=keep, merge=merge, officer=officer, reason="x")
    third = SmeFactory()
    with pytest.raises(MergeError, match="already been merged"):
        merge_smes(keep=third, merge=merge, officer=officer, reason="x")


# --- the merge page ----------------------------------------------------------------------------


def test_the_merge_page_compares_and_then_merges(client, officer, pair):
    keep, merge = pair
    client.force_login(officer)
    url = reverse("review:merge")
    page = client.get(url, {"keep": keep.public_id, "merge": merge.public_id}).content.decode()
    assert "Dodol Ratna" in page and "Dodol Betawi Ratna" in page
    assert "filled from the other" in page
    response = client.post(url, {"keep": keep.public_id, "merge": merge.public_id, "reason": "Same NIB."})
    assert response.status_code == 302
    assert response.url == reverse("registry:sme_detail", args=[keep.public_id])
    merge.refresh_from_db()
    assert merge.merged_into == keep


def test_the_merge_page_asks_for_a_reason(client, officer, pair):
    keep, merge = pair
    client.force_login(officer)
    html = client.post(
        reverse("review:merge"), {"keep": keep.public_id, "merge": merge.public_id}
    ).content.decode()
    assert 'id="id_reason_error"' in html
    merge.refresh_from_db()
    assert merge.merged_into is None


def test_the_merge_page_refuses_a_record_into_itself(client, officer, pair):
    keep, _merge = pair
    client.force_login(officer)
    params = {"keep": keep.public_id, "merge": keep.public_id, "reason": "x"}
    assert "cannot be merged into itself" in client.post(reverse("review:merge"), params).content.decode()
    assert "cannot be merged into itself" in client.get(reverse("review:merge"), params).content.decode()


def test_the_merge_page_answers_404_out_of_scope_or_for_nonsense(client, kecamatan, pair):
    keep, merge = pair
    client.force_login(make_tambun_officer(kecamatan))
    url = reverse("review:merge")
    assert client.get(url, {"keep": keep.public_id, "merge": merge.public_id}).status_code == 404
    params = {"keep": keep.public_id, "merge": merge.public_id, "reason": "x"}
    assert client.post(url, params).status_code == 404
    assert client.get(url, {"keep": "not-a-uuid", "merge": ""}).status_code == 404
    merge.refresh_from_db()
    assert merge.merged_into is None
