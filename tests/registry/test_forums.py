"""SME forums: list with member counts, members page, editing, and the default forum per kecamatan."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sentra.core.models import AuditEntry
from sentra.regions.models import Region
from sentra.registry.models import Forum
from sentra.registry.services import ensure_default_forums

from .factories import ForumFactory, SmeFactory

LIST = reverse("registry:forum_list")


@pytest.fixture
def forums(kecamatan):
    cikarang = ForumFactory(name="Forum UMKM Kecamatan Cikarang Utara", kecamatan=kecamatan["cikarang_utara"])
    tambun = ForumFactory(name="Forum UMKM Kecamatan Tambun Selatan", kecamatan=kecamatan["tambun_selatan"])
    members = [
        SmeFactory(name=name, kecamatan=kecamatan["cikarang_utara"], forum=cikarang)
        for name in ("Apem Bu Tini", "Bakso Pak Kumis")
    ]
    SmeFactory(
        name="Cilok (dobel)", kecamatan=kecamatan["cikarang_utara"], forum=cikarang, merged_into=members[0]
    )
    cikarang.coordinator = members[1]
    cikarang.save()
    return {"cikarang": cikarang, "tambun": tambun, "members": members}


def test_the_forum_list_shows_member_counts_and_coordinators(en_client, regency_officer, forums):
    en_client.force_login(regency_officer)
    html = en_client.get(LIST).content.decode()
    rows = re.findall(
        r"<tr>\s*<td><a[^>]*>([^<]+)</a></td>\s*<td>([^<]*)</td>\s*<td>(\d+)</td>\s*<td>([^<]*)</td>", html
    )
    assert rows == [
        ("Forum UMKM Kecamatan Cikarang Utara", "Cikarang Utara", "2", "Bakso Pak Kumis"),
        ("Forum UMKM Kecamatan Tambun Selatan", "Tambun Selatan", "0", "—"),
    ]


def test_a_scoped_officer_sees_the_forums_of_their_kecamatan_only(en_client, officer, forums):
    en_client.force_login(officer)
    html = en_client.get(LIST).content.decode()
    assert "Cikarang Utara" in html and "Tambun Selatan" not in html
    assert en_client.get(reverse("registry:forum_detail", args=[forums["tambun"].pk])).status_code == 404
    assert en_client.get(reverse("registry:forum_edit", args=[forums["tambun"].pk])).status_code == 404


@pytest.mark.parametrize("role", ["sme_owner", "cashier", "partner", "buyer", "outsider"])
def test_forums_are_closed_outside_the_dinas(client, personas, forums, role):
    client.force_login(personas[role])
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("registry:forum_detail", args=[forums["cikarang"].pk])).status_code == 403


def test_the_forum_page_lists_its_members(en_client, officer, forums):
    en_client.force_login(officer)
    html = en_client.get(reverse("registry:forum_detail", args=[forums["cikarang"].pk])).content.decode()
    assert "Apem Bu Tini" in html and "Bakso Pak Kumis" in html
    assert "(dobel)" not in html
    assert "Coordinator: <a" in html


def test_an_officer_renames_a_forum_and_picks_a_member_as_coordinator(en_client, officer, forums):
    forum, apem = forums["cikarang"], forums["members"][0]
    en_client.force_login(officer)
    response = en_client.post(
        reverse("registry:forum_edit", args=[forum.pk]),
        {"name": "Forum UKM Cikarang Utara", "kecamatan": "32.16.09", "coordinator": str(apem.public_id)},
        follow=True,
    )
    forum.refresh_from_db()
    assert "The changes are saved." in response.content.decode()
    assert (forum.name, forum.coordinator) == ("Forum UKM Cikarang Utara", apem)
    entry = AuditEntry.objects.get(verb="registry.forum.updated", object_id=str(forum.pk))
    assert entry.changes["name"] == ["Forum UMKM Kecamatan Cikarang Utara", "Forum UKM Cikarang Utara"]


def test_the_edit_form_shows_the_current_coordinator_selected(en_client, officer, forums):
    en_client.force_login(officer)
    html = en_client.get(reverse("registry:forum_edit", args=[forums["cikarang"].pk])).content.decode()
    assert f'<option value="{forums["members"][1].public_id}" selected>' in html


def test_the_coordinator_must_be_a_member_and_the_name_is_required(en_client, officer, forums, kecamatan):
    outsider_sme = SmeFactory(kecamatan=kecamatan["cikarang_utara"])
    forum = forums["cikarang"]
    en_client.force_login(officer)
    response = en_client.post(
        reverse("registry:forum_edit", args=[forum.pk]),
        {"name": "", "kecamatan": "32.16.09", "coordinator": str(outsider_sme.public_id)},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_name_error"' in html and 'id="id_coordinator_error"' in html
    forum.refresh_from_db()
    assert forum.coordinator == forums["members"][1]
    assert not AuditEntry.objects.filter(verb="registry.forum.updated").exists()


def test_default_forums_are_created_once_for_each_kecamatan_without_one(db, forums):
    regency = Region.objects.get(code="32.16")
    forums["tambun"].name = "Forum Pelaku Usaha Tambun"  # renamed, but it is Tambun Selatan's forum
    forums["tambun"].save()

    created = ensure_default_forums(regency=regency)
    again = ensure_default_forums(regency=regency)

    kecamatan = Region.objects.kecamatan().within(regency)
    assert len(created) == kecamatan.count() - 2
    assert again == []
    assert Forum.objects.count() == kecamatan.count()
    assert Forum.objects.filter(name="Forum UMKM Kecamatan Tarumajaya", kecamatan__code="32.16.01").exists()
    assert AuditEntry.objects.filter(verb="registry.forum.created").count() == len(created)


def test_the_number_of_queries_does_not_grow_with_forums_or_members(client, regency_officer, kecamatan):
    client.force_login(regency_officer)

    def queries(url) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    forum = ForumFactory(kecamatan=kecamatan["cikarang_utara"])
    ForumFactory.create_batch(2)
    SmeFactory.create_batch(3, kecamatan=kecamatan["cikarang_utara"], forum=forum)
    detail = reverse("registry:forum_detail", args=[forum.pk])
    list_three, detail_three = queries(LIST), queries(detail)
    ForumFactory.create_batch(27)
    SmeFactory.create_batch(27, kecamatan=kecamatan["cikarang_utara"], forum=forum)
    # List: session, user, the officer's kecamatan (none: regency-wide), the count of forums,
    # the forums with kecamatan, coordinator and member count.
    assert queries(LIST) == list_three == 5
    # Detail: session, user, officer's kecamatan, forum, member count, members with regions and
    # owner, history, the forum's meetings and activities (programs).
    assert queries(detail) == detail_three == 8
