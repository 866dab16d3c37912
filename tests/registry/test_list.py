"""The officer's SME registry list: scope, filters, search, sorting, pages, htmx, query count."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sentra.regions.models import Region
from sentra.registry import views
from sentra.registry.models import Permit, Scale, Sme

from .factories import ForumFactory, PermitFactory, SmeFactory

URL = reverse("registry:sme_list")
# PostgreSQL reads a filtered page's keys before its rows (views.CountingPaginator, keys_first).
PAGE_KEYS_QUERY = 1 if connection.vendor == "postgresql" else 0


def names(response) -> list[str]:
    """Business names in the results table, in order."""
    html = response.content.decode()
    return re.findall(r'<td><a href="/registry/smes/[0-9a-f-]+/">([^<]+)</a>', html)


@pytest.fixture(params=["by key", "walking the index"])
def page_reading(request, monkeypatch):
    """Both ways the list reads a page: when the count finds few SMEs, by primary key; otherwise
    by walking the sort order's index. Test data is small, so the walk is forced."""
    if request.param == "walking the index":
        monkeypatch.setattr(views, "FEW_SMES", 0)
    return request.param


@pytest.fixture
def cikarang(kecamatan):
    return kecamatan["cikarang_utara"]


@pytest.fixture
def tambun(kecamatan):
    return kecamatan["tambun_selatan"]


def test_an_officer_sees_the_smes_of_their_kecamatan_with_the_listed_columns(
    en_client, officer, cikarang, tambun
):
    sme = SmeFactory(name="Batik Tulis Sari", kecamatan=cikarang, kbli_code="13134", kbli_category="C")
    SmeFactory(name="Dodol Tambun", kecamatan=tambun)
    en_client.force_login(officer)

    response = en_client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert names(response) == ["Batik Tulis Sari"]
    assert "1 SME" in html
    for shown in (sme.owner.name, "Cikarang Utara", sme.desa.name, "13134", "Micro", "Verified", sme.nib):
        assert shown in html
    assert reverse("registry:sme_detail", args=[sme.public_id]) in html


def test_a_regency_officer_sees_every_kecamatan(en_client, regency_officer, cikarang, tambun):
    SmeFactory(name="Batik Tulis Sari", kecamatan=cikarang)
    SmeFactory(name="Dodol Tambun", kecamatan=tambun)
    en_client.force_login(regency_officer)
    assert names(en_client.get(URL)) == ["Batik Tulis Sari", "Dodol Tambun"]


@pytest.mark.parametrize("role", ["sme_owner", "cashier", "partner", "buyer", "outsider"])
def test_the_list_is_closed_to_everyone_outside_the_dinas(client, personas, role):
    client.force_login(personas[role])
    assert client.get(URL).status_code == 403
    assert client.get(reverse("registry:sme_export_csv")).status_code == 403


def test_merged_records_are_not_listed(en_client, admin_user, cikarang):
    keeper = SmeFactory(name="Keripik Asli", kecamatan=cikarang)
    SmeFactory(name="Keripik Asli (dobel)", kecamatan=cikarang, merged_into=keeper)
    en_client.force_login(admin_user)
    assert names(en_client.get(URL)) == ["Keripik Asli"]


@pytest.mark.usefixtures("page_reading")
class TestFilters:
    @pytest.fixture(autouse=True)
    def smes(self, cikarang, tambun):
        today = timezone.localdate()
        forum = ForumFactory(kecamatan=cikarang, name="Forum UMKM Kecamatan Cikarang Utara")
        desa = Region.objects.desa().filter(parent=cikarang).order_by("code")
        self.forum, self.desa = forum, desa[0]
        a = SmeFactory(
            name="A Keripik",
            brand="",
            products="keripik",
            kecamatan=cikarang,
            desa=desa[0],
            kbli_code="10794",
            kbli_category="C",
            scale=Scale.MICRO,
            forum=forum,
            npwp="",
        )
        b = SmeFactory(
            name="B Warung",
            brand="",
            products="nasi uduk",
            kecamatan=cikarang,
            desa=desa[1],
            kbli_code="56102",
            kbli_category="I",
            scale=Scale.SMALL,
            nib=None,
            npwp="012345678901000",
            submitted=True,
        )
        SmeFactory(
            name="C Mebel",
            brand="",
            products="lemari",
            kecamatan=tambun,
            kbli_code="31001",
            kbli_category="C",
            scale=Scale.MEDIUM,
        )
        PermitFactory(sme=a, expires_on=today - dt.timedelta(days=3))
        PermitFactory(sme=a, pirt=True, expires_on=today - dt.timedelta(days=3))
        PermitFactory(sme=b, expires_on=today - dt.timedelta(days=3))
        PermitFactory(sme=b, number="ID3216999999999", expires_on=today + dt.timedelta(days=300))

    @pytest.fixture(autouse=True)
    def signed_in(self, en_client, regency_officer):
        en_client.force_login(regency_officer)
        self.client = en_client

    def listed(self, **params) -> list[str]:
        return names(self.client.get(URL, params))

    def test_by_kecamatan_and_desa(self):
        assert self.listed(kecamatan="32.16.09") == ["A Keripik", "B Warung"]
        assert self.listed(kecamatan="32.16.09", desa=self.desa.code) == ["A Keripik"]

    def test_a_desa_left_from_another_kecamatan_is_ignored(self):
        assert self.listed(kecamatan="32.16.06", desa=self.desa.code) == ["C Mebel"]

    def test_by_kbli_category_scale_status_and_forum(self):
        assert self.listed(kbli="C") == ["A Keripik", "C Mebel"]
        assert self.listed(scale="small") == ["B Warung"]
        assert self.listed(status="submitted") == ["B Warung"]
        assert self.listed(forum=self.forum.pk) == ["A Keripik"]

    def test_by_legality_gaps(self):
        assert self.listed(gap="no_nib") == ["B Warung"]
        assert self.listed(gap="no_npwp") == ["A Keripik", "C Mebel"]
        assert self.listed(gap="no_halal") == ["C Mebel"]
        # B still holds one valid halal certificate besides the expired one.
        assert self.listed(gap="halal_expired") == ["A Keripik"]
        assert self.listed(gap="pirt_expired") == ["A Keripik"]
        assert self.listed(gap=["no_npwp", "no_halal"]) == ["C Mebel"]

    def test_the_count_agrees_with_the_rows_for_every_gap(self):
        for gap, total in [("no_nib", 1), ("no_halal", 1), ("halal_expired", 1), ("pirt_expired", 1)]:
            html = self.client.get(URL, {"gap": gap}).content.decode()
            assert f"{total} SME" in html, gap

    def test_by_search(self):
        assert self.listed(q="kerip") == ["A Keripik"]
        assert self.listed(q="kerip", kecamatan="32.16.06") == []

    def test_filters_stay_in_the_export_links(self):
        html = self.client.get(URL, {"kecamatan": "32.16.09", "status": "verified"}).content.decode()
        assert "/registry/smes/export.csv?kecamatan=32.16.09&amp;status=verified" in html

    def test_a_bad_filter_value_is_shown_next_to_its_field_and_the_rest_still_applies(self):
        response = self.client.get(URL, {"status": "bogus", "kecamatan": "32.16.06"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "Select a valid choice. bogus is not one of the available choices." in html
        assert 'id="id_status_error"' in html
        assert names(response) == ["C Mebel"]


@pytest.mark.usefixtures("page_reading")
class TestLegalityGapsAtTheEdges:
    @pytest.fixture(autouse=True)
    def signed_in(self, en_client, admin_user):
        en_client.force_login(admin_user)
        self.client = en_client

    def listed(self, **params) -> list[str]:
        return names(self.client.get(URL, params))

    def test_a_certificate_without_an_expiry_date_is_still_valid(self, cikarang):
        PermitFactory(sme=SmeFactory(name="Dodol Abadi", kecamatan=cikarang), expires_on=None)
        expired = SmeFactory(name="Dodol Lama", kecamatan=cikarang)
        PermitFactory(sme=expired, expired=True)
        PermitFactory(sme=expired, expires_on=None, kind=Permit.Kind.PIRT, number="P-IRT 1")
        assert self.listed(gap="halal_expired") == ["Dodol Lama"]
        assert self.listed(gap="no_halal") == []
        assert self.listed(gap="pirt_expired") == []

    def test_a_permit_of_another_kind_does_not_count(self, cikarang):
        PermitFactory(sme=SmeFactory(name="Roti Pirt", kecamatan=cikarang), pirt=True, expired=True)
        assert self.listed(gap="pirt_expired") == ["Roti Pirt"]
        assert self.listed(gap="halal_expired") == []
        assert self.listed(gap="no_halal") == ["Roti Pirt"]

    def test_no_nib_means_none_recorded_or_left_blank(self, cikarang):
        SmeFactory(name="Tanpa NIB", kecamatan=cikarang, nib=None)
        SmeFactory(name="NIB Kosong", kecamatan=cikarang, nib="")
        SmeFactory(name="Ada NIB", kecamatan=cikarang)
        response = self.client.get(URL, {"gap": "no_nib"})
        assert names(response) == ["NIB Kosong", "Tanpa NIB"]
        assert "2 SMEs" in response.content.decode()

    def test_a_merged_record_with_a_gap_is_not_listed_or_counted(self, cikarang):
        keeper = SmeFactory(name="Kue Asli", kecamatan=cikarang)
        PermitFactory(sme=keeper, expired=True)
        PermitFactory(sme=SmeFactory(name="Kue Dobel", kecamatan=cikarang, merged_into=keeper), expired=True)
        response = self.client.get(URL, {"gap": "halal_expired"})
        assert names(response) == ["Kue Asli"]
        assert "1 SME" in response.content.decode()

    def test_a_gap_few_smes_have_is_listed_in_order_over_every_page(self, cikarang):
        for n in range(53):
            sme = SmeFactory(name=f"Usaha {n:02d}", kecamatan=cikarang, owner=None, nib=None)
            if n % 10:
                PermitFactory(sme=sme, expired=True)
        for n in range(5):
            PermitFactory(
                sme=SmeFactory(name=f"Usaha Lain {n}", kecamatan=cikarang, owner=None), expired=True
            )
        expected = [f"Usaha {n:02d}" for n in range(53) if n % 10] + [f"Usaha Lain {n}" for n in range(5)]

        first = self.client.get(URL, {"gap": "halal_expired"})
        second = self.client.get(URL, {"gap": "halal_expired", "page": 2})

        assert names(first) + names(second) == expected
        assert "52 SMEs" in first.content.decode()
        assert "Page 2 of 2" in second.content.decode()
        # Reversed, the other way round; with a second gap, only those that have both.
        assert self.listed(gap="halal_expired", sort="-name") == expected[::-1][:50]
        assert self.listed(gap=["halal_expired", "no_nib"]) == expected[:47]


class TestSorting:
    @pytest.fixture(autouse=True)
    def smes(self, en_client, admin_user, cikarang, tambun):
        SmeFactory(name="Bakso", kecamatan=tambun, scale=Scale.SMALL, status=Sme.Status.VERIFIED)
        SmeFactory(name="Apem", kecamatan=cikarang, scale=Scale.MEDIUM, submitted=True)
        SmeFactory(name="Cilok", kecamatan=cikarang, scale=Scale.MICRO, draft=True)
        Sme.objects.filter(name="Apem").update(updated_at=timezone.now() - dt.timedelta(days=2))
        Sme.objects.filter(name="Bakso").update(updated_at=timezone.now() - dt.timedelta(days=1))
        en_client.force_login(admin_user)
        self.client = en_client

    def order(self, sort: str) -> list[str]:
        return names(self.client.get(URL, {"sort": sort}))

    def test_by_name_either_way(self):
        assert self.order("name") == ["Apem", "Bakso", "Cilok"]
        assert self.order("-name") == ["Cilok", "Bakso", "Apem"]

    def test_by_scale_from_small_to_large(self):
        assert self.order("scale") == ["Cilok", "Bakso", "Apem"]
        assert self.order("-scale") == ["Apem", "Bakso", "Cilok"]

    def test_by_kecamatan_in_official_code_order(self):
        # Tambun Selatan is 32.16.06, Cikarang Utara 32.16.09.
        assert self.order("kecamatan") == ["Bakso", "Apem", "Cilok"]

    def test_by_status_and_by_last_update(self):
        assert self.order("status") == ["Cilok", "Apem", "Bakso"]  # draft, submitted, verified
        assert self.order("-updated") == ["Cilok", "Bakso", "Apem"]

    def test_the_sorted_column_says_so_to_screen_readers(self):
        html = self.client.get(URL, {"sort": "-scale"}).content.decode()
        assert 'aria-sort="descending"><a href="?sort=scale"' in html

    def test_an_unknown_sort_falls_back_to_name(self):
        assert self.order("password") == ["Apem", "Bakso", "Cilok"]


@pytest.mark.parametrize("sort", ["name", "-name", "kecamatan", "-kecamatan", "scale", "-scale", "status",
                                  "-status", "updated", "-updated"])  # fmt: skip
def test_pages_of_the_second_half_read_from_the_end_give_the_same_rows(
    en_client, admin_user, cikarang, tambun, monkeypatch, sort
):
    # Pages past the middle are read in the reverse order from the end; walking every page must
    # give exactly the rows of the whole list in its order (ties broken by id, no row twice).
    from sentra.registry import views

    scales, statuses = [Scale.MICRO, Scale.SMALL, ""], [Sme.Status.DRAFT, Sme.Status.VERIFIED]
    for n in range(11):
        SmeFactory(
            name=f"Usaha {n % 4}", kecamatan=[cikarang, tambun, None][n % 3], scale=scales[n % 3],
            status=statuses[n % 2], owner=None,
        )  # fmt: skip
    en_client.force_login(admin_user)
    whole = names(en_client.get(URL, {"sort": sort}))
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    pages = [names(en_client.get(URL, {"sort": sort, "page": n})) for n in range(1, 5)]
    assert [len(page) for page in pages] == [3, 3, 3, 2]
    assert sum(pages, []) == whole
    assert "Page 4 of 4" in en_client.get(URL, {"sort": sort, "page": 9}).content.decode()


def test_fifty_smes_a_page_with_the_total_shown(en_client, admin_user, cikarang):
    for n in range(55):
        SmeFactory(name=f"Usaha {n:02d}", kecamatan=cikarang, owner=None)
    en_client.force_login(admin_user)

    first = en_client.get(URL)
    second = en_client.get(URL, {"page": 2})

    assert len(names(first)) == 50
    assert names(second) == [f"Usaha {n}" for n in range(50, 55)]
    assert "55 SMEs" in first.content.decode()
    assert "Page 2 of 2" in second.content.decode()
    assert names(en_client.get(URL, {"page": "abc"})) == names(first)


def test_an_htmx_request_gets_only_the_results(en_client, admin_user, cikarang):
    SmeFactory(name="Apem", brand="", products="kue apem", kecamatan=cikarang)
    en_client.force_login(admin_user)

    partial = en_client.get(URL, {"q": "apem"}, HTTP_HX_REQUEST="true")
    restore = en_client.get(URL, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")

    assert "<html" not in partial.content.decode()
    assert names(partial) == ["Apem"]
    assert "HX-Request" in partial["Vary"]
    assert "<html" in restore.content.decode()


def test_desa_options_follow_the_chosen_kecamatan(en_client, officer):
    en_client.force_login(officer)
    response = en_client.get(reverse("registry:desa_options"), {"kecamatan": "32.16.09", "all": "1"})
    html = response.content.decode()
    expected = Region.objects.desa().filter(parent__code="32.16.09").count()
    assert html.count("<option") == expected + 1
    assert "All desa / kelurahan" in html
    # Outside the officer's scope there is nothing to offer.
    other = en_client.get(reverse("registry:desa_options"), {"kecamatan": "32.16.06"}).content.decode()
    assert other.count("<option") == 1


def test_the_filter_form_offers_desa_only_once_a_kecamatan_is_chosen(en_client, regency_officer):
    en_client.force_login(regency_officer)
    unchosen = en_client.get(URL).content.decode()
    chosen = en_client.get(URL, {"kecamatan": "32.16.09"}).content.decode()
    assert 'value="32.16.09.' not in unchosen
    assert 'value="32.16.09.' in chosen


def _queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"q": "keripik", "gap": "halal_expired", "sort": "-scale"}])
def test_the_number_of_queries_does_not_grow_with_the_rows(client, officer, cikarang, params):
    client.force_login(officer)
    for _ in range(3):
        PermitFactory(sme=SmeFactory(kecamatan=cikarang, name="Keripik Bu Siti"), expired=True)
    with_three = _queries(client, **params)
    for _ in range(27):
        PermitFactory(sme=SmeFactory(kecamatan=cikarang, name="Keripik Bu Siti"), expired=True)
    with_thirty = _queries(client, **params)
    assert with_three == with_thirty


def test_the_list_page_needs_a_fixed_handful_of_queries(client, officer, cikarang, django_assert_num_queries):
    SmeFactory.create_batch(5, kecamatan=cikarang)
    client.force_login(officer)
    # session, user, the officer's kecamatan (read once for every scope check), the count,
    # the keys of the five SMEs counted (few enough to read the page by key),
    # kecamatan choices, desa choices (of the officer's one kecamatan), forum choices,
    # the page of SMEs with owner, kecamatan and desa.
    with django_assert_num_queries(9):
        client.get(URL)
    # Filtered, on PostgreSQL the page's keys come first, then its rows.
    with django_assert_num_queries(9 + PAGE_KEYS_QUERY):
        client.get(URL, {"status": "verified"})


def test_a_list_of_many_smes_reads_its_page_without_their_keys(
    client, officer, cikarang, monkeypatch, django_assert_num_queries
):
    # More than "few" (PostgreSQL reads by key up to SPARSE_MATCHES, SQLite up to FEW_SMES).
    monkeypatch.setattr(views, "FEW_SMES", 4)
    monkeypatch.setattr(views, "SPARSE_MATCHES", 4)
    SmeFactory.create_batch(5, kecamatan=cikarang)
    client.force_login(officer)
    # As above, less the keys: the page walks the name index.
    with django_assert_num_queries(8):
        client.get(URL)


def test_the_pager_jumps_to_the_first_and_the_last_page(en_client, admin_user, cikarang, monkeypatch):
    from sentra.registry import views

    for n in range(10):
        SmeFactory(name=f"Usaha {n}", kecamatan=cikarang, owner=None)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    en_client.force_login(admin_user)
    first = en_client.get(URL).content.decode()
    middle = en_client.get(URL, {"page": 3}).content.decode()
    assert "page=5" in first and "Last page" in first and "First page" not in first
    assert "First page" in middle and "page=1" in middle and "Last page" in middle
    assert names(en_client.get(URL, {"page": 5})) == ["Usaha 8", "Usaha 9"]


class TestAPaginatorWithACap:
    """CountingPaginator(cap=…): PostgreSQL counts a search only up to SEARCH_COUNT_CAP."""

    @pytest.fixture
    def smes(self, cikarang):
        for n in range(7):
            SmeFactory(name=f"Usaha {n}", kecamatan=cikarang, owner=None)
        return Sme.objects.order_by("name", "id")

    def paginator(self, smes, **options):
        return views.CountingPaginator(smes, 2, count_from=smes, **options)

    def test_it_counts_no_further_than_the_cap_and_says_there_are_more(self, smes):
        capped = self.paginator(smes, cap=4)
        assert (capped.count, capped.capped, capped.num_pages) == (4, True, 2)
        uncapped = self.paginator(smes, cap=7)
        assert (uncapped.count, uncapped.capped) == (7, False)

    def test_its_last_page_is_read_from_the_front_since_the_end_is_unknown(self, smes):
        # Read from the end (as an exact count allows) page 2 would be the list's last two rows.
        page = self.paginator(smes, cap=4).page(2)
        assert [sme.name for sme in page] == ["Usaha 2", "Usaha 3"]

    @pytest.mark.parametrize("number", [1, 3, 4])
    def test_reading_a_pages_keys_first_gives_the_same_rows_in_the_same_order(self, smes, number):
        plain = [sme.pk for sme in self.paginator(smes).page(number)]
        keys_first = [sme.pk for sme in self.paginator(smes, keys_first=True).page(number)]
        assert keys_first == plain and plain
        capped = [sme.pk for sme in self.paginator(smes, keys_first=True, cap=6).page(min(number, 3))]
        assert capped == [sme.pk for sme in self.paginator(smes).page(min(number, 3))]


@pytest.mark.parametrize("filters", [{}, {"status": "verified"}], ids=["search alone", "search + filter"])
def test_a_search_matching_more_smes_than_are_counted_says_more_than(
    en_client, admin_user, cikarang, monkeypatch, filters
):
    for n in range(7):
        SmeFactory(name=f"Keripik {n}", products="keripik", kecamatan=cikarang, owner=None, status="verified")
    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 4)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(views, "FEW_SMES", 0)
    monkeypatch.setattr(views, "SPARSE_MATCHES", 0)
    en_client.force_login(admin_user)

    first = en_client.get(URL, {"q": "keripik", **filters}).content.decode()
    second = en_client.get(URL, {"q": "keripik", "page": 2, **filters})

    if not filters and connection.vendor == "sqlite":
        # SQLite counts a search alone exactly, from the full-text index.
        assert "7 SMEs" in first and "Page 1 of 4" in first and "More than" not in first
        return
    assert "More than 4 SMEs" in first
    assert "Page 1</span>" in first and "Page 1 of" not in first and "Last page" not in first
    assert "sort=-name" in first and "reverse the order" in first
    assert names(second) == ["Keripik 2", "Keripik 3"]
    reversed_first = names(en_client.get(URL, {"q": "keripik", "sort": "-name", **filters}))
    assert reversed_first == ["Keripik 6", "Keripik 5"]
    # Fewer than the cap: counted exactly, as ever.
    exact = en_client.get(URL, {"q": "keripik 5", **filters}).content.decode()
    assert "1 SME" in exact and "More than" not in exact
