import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from sentra.accounts.models import Role, User
from sentra.core.models import AuditEntry
from sentra.demo.models import DemoDataset
from sentra.demo.users import DEMO_PASSWORD
from sentra.imports.models import ImportJob
from sentra.registry.models import Cooperative, CooperativeManager, Owner, Permit, Sme

SCALE = DEMO_SCALE = 60


@pytest.fixture
def demo(demo_data, db):
    """The demo data, loaded once for this module (conftest.demo_data)."""


def counts() -> dict[str, int]:
    models = (Sme, Owner, Permit, Cooperative, CooperativeManager, User, AuditEntry, ImportJob, DemoDataset)
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.parametrize(
    "username, role",
    [
        ("admin", Role.ADMIN),
        ("petugas", Role.OFFICER),
        ("petugas.cikarang", Role.OFFICER),
        ("kasir", Role.CASHIER),
        ("pemilik", Role.SME_OWNER),
        ("mitra", Role.PARTNER),
        ("pembeli", Role.BUYER),
    ],
)
def test_each_demo_account_signs_in_with_the_documented_password(client, demo, username, role):
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.wsgi_request.user.username == username
    assert home.wsgi_request.user.role == role


def test_demo_accounts_carry_their_organisation_and_scope(demo):
    assert User.objects.get(username="kasir").organisation == "Gerai Dekranasda Aeon Mall Deltamas"
    assert User.objects.get(username="mitra").organisation == "Bank BJB Cabang Cikarang"
    assert User.objects.get(username="pembeli").organisation == "Dinas Pendidikan Kabupaten Bekasi"
    assert User.objects.get(username="petugas").kecamatan_scope() is None
    scoped = User.objects.get(username="petugas.cikarang").kecamatan.values_list("code", flat=True)
    assert list(scoped) == ["32.16.09"]


def test_the_smes_arrive_through_the_spreadsheet_import(demo):
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE
    assert job.total == SCALE
    assert job.rejected == 0
    assert job.uploaded_by.username == "admin"
    assert Sme.objects.filter(source=Sme.Source.IMPORT).count() == job.created
    assert Sme.objects.values("kecamatan").distinct().count() == 23


def test_a_second_run_changes_nothing(demo):
    before = counts()
    call_command("demo", scale=SCALE, verbosity=0)
    assert counts() == before


def test_a_larger_scale_adds_only_the_missing_rows(demo):
    smes = Sme.objects.count()
    call_command("demo", scale=SCALE + 20, verbosity=0)
    second = ImportJob.objects.order_by("-pk").first()
    assert second.total == 20
    assert Sme.objects.count() == smes + second.created
    assert DemoDataset.objects.get().scale == SCALE + 20


def test_the_demo_owner_account_holds_two_businesses(demo):
    owner = User.objects.get(username="pemilik")
    smes = list(Sme.objects.for_user(owner))
    assert len(smes) == 2
    assert smes[0].owner_id == smes[1].owner_id
    assert owner.get_full_name() == smes[0].owner.name


def test_most_smes_are_verified_by_the_officer_of_their_kecamatan_with_a_note(demo):
    verified = Sme.objects.filter(status=Sme.Status.VERIFIED).select_related("verified_by", "kecamatan")
    assert verified.count() > SCALE / 2
    for sme in verified:
        assert sme.status_note and sme.verified_at is not None
        expected = "petugas.cikarang" if sme.kecamatan.code == "32.16.09" else "petugas"
        assert sme.verified_by.username == expected
    assert Sme.objects.filter(status=Sme.Status.SUBMITTED).exists()
    assert Sme.objects.filter(status=Sme.Status.DRAFT).exists()
    assert AuditEntry.objects.filter(verb="registry.sme.verified").count() == verified.count()


def test_the_registry_history_is_dated_as_the_records_tell_it(demo):
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    today = timezone.localdate()
    sme_type = ContentType.objects.get_for_model(Sme)
    for sme in Sme.objects.filter(status=Sme.Status.VERIFIED):
        entries = AuditEntry.objects.filter(content_type=sme_type, object_id=str(sme.pk))
        verified = entries.get(verb="registry.sme.verified")
        assert verified.at == sme.verified_at
        imported = entries.get(verb="registry.sme.imported")
        assert imported.at < sme.verified_at
    # The entries of the registry's demo loading (other areas' loaders date theirs themselves).
    verbs = [
        "registry.sme.imported",
        "registry.sme.verified",
        "registry.sme.submitted",
        "registry.sme.account_linked",
    ]
    registry = AuditEntry.objects.filter(content_type=sme_type, verb__in=verbs)
    assert registry.exists()
    assert not [e.verb for e in registry if timezone.localdate(e.at) == today]


def test_verified_smes_join_the_forum_of_their_kecamatan(demo):
    members = Sme.objects.filter(forum__isnull=False).select_related("forum", "kecamatan")
    assert members.exists()
    for sme in members:
        assert sme.forum.kecamatan_id == sme.kecamatan_id


def test_cooperatives_come_with_their_managers(demo):
    assert Cooperative.objects.count() == 20
    assert CooperativeManager.objects.count() == 60
    assert set(CooperativeManager.objects.values_list("position", flat=True)) == {
        "Ketua",
        "Sekretaris",
        "Bendahara",
    }


def test_a_database_with_one_seed_refuses_another(demo):
    with pytest.raises(CommandError, match="2026"):
        call_command("demo", scale=SCALE, seed=1, verbosity=0)
