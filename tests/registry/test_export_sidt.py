"""The registry list in the national SIDT layout: 49 columns, one row per business, and back again."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import CANARY_NIK, CANARY_PHONE
from sentra.core.models import AccessLog
from sentra.imports import services
from sentra.registry.models import Owner, Sme
from tests.imports.conftest import SIDT_HEADERS

from .factories import OwnerFactory, SmeFactory

SIDT = reverse("registry:sme_export_sidt")
PERSONAL = {
    "nik_pengusaha", "tanggal_lahir", "kontak_hp", "kec_pengusaha", "kel_pengusaha", "alamat_pengusaha",
    "rt_pengusaha", "rw_pengusaha",
}  # fmt: skip


def sidt_text(response) -> str:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="sidt-umkm-' in response["Content-Disposition"]
    return b"".join(response.streaming_content).decode("utf-8")


def read_sidt(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(sidt_text(response))))


@pytest.fixture
def registry(kecamatan):
    """Two businesses of one owner, and one of an owner who lives outside the regency."""
    cikarang, tambun = kecamatan["cikarang_utara"], kecamatan["tambun_selatan"]
    siti = OwnerFactory(
        name="Siti Rahayu", nik=CANARY_NIK, phone=CANARY_PHONE, female=True, kecamatan=tambun,
        has_disability=True, education="SMA/SMK", address="Perum Griya Asri Blok C2 No. 7", rt="003", rw="011",
    )  # fmt: skip
    budi = OwnerFactory(
        name="Budi Santoso", nik="3175031208800007", female=False, kecamatan=None, desa=None,
        has_disability=False, rt="", rw="",
    )  # fmt: skip
    keripik = SmeFactory(
        name="Keripik Singkong Bu Siti", owner=siti, phone=siti.phone, kecamatan=cikarang,
        kbli_code="10794", legal_form="Perorangan", capital=150_000_000, turnover=480_000_000,
        assets=90_000_000, start_year=2012, start_month=7, latitude=Decimal("-6.270100"),
        longitude=Decimal("107.139800"), workers_paid_male=3, workers_paid_female=1,
        workers_paid_disabled_male=1, workers_paid_disabled_female=0, workers_unpaid_male=1,
        workers_unpaid_female=2, workers_unpaid_disabled_male=0, workers_unpaid_disabled_female=1,
        source=Sme.Source.SIDT, source_ref="SIDT-000123",
    )  # fmt: skip
    SmeFactory(name="Katering Siti", owner=siti, phone=siti.phone, kecamatan=cikarang, kbli_code="56210")
    SmeFactory(
        name="Bengkel Las Budi", owner=budi, phone=budi.phone, kecamatan=tambun, nib=None, kbli_code="25111"
    )
    return keripik


def test_the_sidt_export_has_the_49_columns_in_order_and_one_row_per_business(
    client, regency_officer, registry
):
    client.force_login(regency_officer)
    text = sidt_text(client.get(SIDT, {"personal": "1"}))
    assert not text.startswith("\ufeff")
    header = next(csv.reader(io.StringIO(text)))
    assert header == SIDT_HEADERS
    assert len(header) == 49
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["nama_usaha"] for r in rows) == [
        "Bengkel Las Budi",
        "Katering Siti",
        "Keripik Singkong Bu Siti",
    ]
    keripik = next(r for r in rows if r["nama_usaha"] == "Keripik Singkong Bu Siti")
    assert keripik["id_data_badan_usaha"] == "SIDT-000123"
    # The owner's columns are repeated on each of their businesses.
    siti_rows = [r for r in rows if r["nama_pengusaha"] == "Siti Rahayu"]
    assert len(siti_rows) == 2 and {r["nik_pengusaha"] for r in siti_rows} == {CANARY_NIK}
    assert (keripik["jenis_kelamin"], keripik["is_disabilitas"], keripik["pendidikan_formal"]) == (
        "Perempuan", "Ya", "SMA/SMK",
    )  # fmt: skip
    assert (keripik["prov_pengusaha"], keripik["kab_pengusaha"], keripik["kec_pengusaha"]) == (
        "JAWA BARAT", "KABUPATEN BEKASI", "TAMBUN SELATAN",
    )  # fmt: skip
    assert (keripik["prov_usaha"], keripik["kab_usaha"], keripik["kec_usaha"]) == (
        "JAWA BARAT", "KABUPATEN BEKASI", "CIKARANG UTARA",
    )  # fmt: skip
    assert (keripik["kode_kbli"], keripik["kategori_kbli"], keripik["skala_usaha"]) == ("10794", "C", "Mikro")
    assert (keripik["modal_pendirian"], keripik["bulan_mulai_operasi"], keripik["tahun_mulai_operasi"]) == (
        "150000000", "7", "2012",
    )  # fmt: skip
    assert (keripik["alamat_latitude"], keripik["tk_not_dibayar_disabil_perempua"]) == ("-6.270100", "1")
    assert keripik["tanggal_lahir"] == registry.owner.birth_date.isoformat()
    budi = next(r for r in rows if r["nama_pengusaha"] == "Budi Santoso")
    assert (budi["is_disabilitas"], budi["kab_pengusaha"], budi["nib"]) == ("Tidak", "", "")


def test_personal_columns_are_blank_unless_asked_for_and_only_then_logged(client, regency_officer, registry):
    client.force_login(regency_officer)
    text = sidt_text(client.get(SIDT))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert all(not r[column] for r in rows for column in PERSONAL)
    assert CANARY_NIK not in text and CANARY_PHONE not in text
    assert rows[0]["nama_pengusaha"]  # the rest of the owner's columns stay
    assert not AccessLog.objects.exists()

    personal = sidt_text(client.get(SIDT, {"personal": "1"}))
    assert CANARY_NIK in personal and CANARY_PHONE in personal
    log = AccessLog.objects.get()
    assert (log.user, log.kind, log.row_count) == (regency_officer, "export", 3)
    assert all(field in log.fields for field in ("owner.nik", "owner.birth_date", "phone", "owner.address"))


def test_a_scoped_officer_exports_only_their_kecamatan(client, officer, registry):
    client.force_login(officer)
    rows = read_sidt(client.get(SIDT))
    assert sorted(r["nama_usaha"] for r in rows) == ["Katering Siti", "Keripik Singkong Bu Siti"]


def test_the_sidt_export_follows_the_lists_filters(client, regency_officer, registry):
    client.force_login(regency_officer)
    rows = read_sidt(client.get(SIDT, {"q": "bengkel"}))
    assert [r["nama_usaha"] for r in rows] == ["Bengkel Las Budi"]


def snapshot() -> tuple[set, set]:
    """What the SIDT layout carries of each business and its owner (it has no brand, email, NPWP,
    permits, forum or total of employees; and one contact number, the owner's)."""
    smes = {
        (
            s.name, s.nib, s.source_ref, s.owner.nik if s.owner else None, s.kbli_code, s.kbli_category,
            s.main_activity, s.products, s.legal_form, s.scale, s.capital, s.turnover, s.assets,
            s.start_month, s.start_year, s.kecamatan_id, s.desa_id, s.address, s.rt, s.rw, s.latitude,
            s.longitude, s.phone, s.workers_paid_male, s.workers_paid_female, s.workers_paid_disabled_male,
            s.workers_paid_disabled_female, s.workers_unpaid_male, s.workers_unpaid_female,
            s.workers_unpaid_disabled_male, s.workers_unpaid_disabled_female,
        )
        for s in Sme.objects.select_related("owner")
    }  # fmt: skip
    owners = {
        (
            o.nik, o.name, o.gender, o.birth_date, o.birth_year, o.has_disability, o.education, o.phone,
            o.address, o.rt, o.rw, o.kecamatan_id, o.desa_id, o.smes.count(),
        )
        for o in Owner.objects.all()
    }  # fmt: skip
    return smes, owners


def test_the_export_imports_into_an_empty_sentra_with_no_mapping_as_the_same_registry(
    client, regency_officer, admin_user, registry, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    for sme in Sme.objects.exclude(pk=registry.pk):
        sme.phone = sme.owner.phone  # one contact number per owner, as SIDT has
        sme.save()
    before = snapshot()
    client.force_login(regency_officer)
    path = tmp_path / "sidt.csv"
    path.write_text(sidt_text(client.get(SIDT, {"personal": "1"})), encoding="utf-8")
    Sme.objects.all().delete()
    Owner.objects.all().delete()

    job = services.import_file(path=path, actor=admin_user)

    assert (job.status, job.created, job.rejected, job.warned) == ("done", 3, 0, 0)
    assert job.source == "sidt"
    assert all(job.mapping), dict(zip(job.headers, job.mapping, strict=True))
    assert snapshot() == before
    assert Sme.objects.filter(source=Sme.Source.SIDT).count() == 3


def test_the_export_of_an_imported_sidt_file_gives_back_its_rows(client, admin_user, tmp_path, settings):
    """From the other side: a file as SIDT writes it, imported and exported, keeps every value."""
    from tests.imports.conftest import sidt_row, write_csv

    settings.MEDIA_ROOT = tmp_path / "media"
    rows = [sidt_row(1), sidt_row(2, nama_usaha="Katering Fauzi 2", kel_pengusaha="JATIMULYA")]
    job = services.import_file(path=write_csv(tmp_path / "sidt.csv", SIDT_HEADERS, rows), actor=admin_user)
    assert (job.created, job.rejected) == (2, 0), services.read_plan(job)
    client.force_login(admin_user)
    exported = {r["id_data_badan_usaha"]: r for r in read_sidt(client.get(SIDT, {"personal": "1"}))}
    # What Sentra does not keep (the photo, SIDT's bookkeeping), or writes its own way.
    not_kept = {"foto_usaha", "pulled_at", "updated_at", "source_page"}
    for given in rows:
        back = exported[given["id_data_badan_usaha"]]
        for column in SIDT_HEADERS:
            if column in not_kept:
                continue
            want, got = given[column], back[column]
            if column in ("alamat_latitude", "alamat_longitude"):
                want, got = Decimal(want), Decimal(got)
            elif column in ("rt_pengusaha", "rw_pengusaha", "rt_usaha", "rw_usaha"):
                want = want.zfill(3)
            elif column == "tanggal_lahir":
                want = dt.date.fromisoformat(want).isoformat()
            assert got == want, column
