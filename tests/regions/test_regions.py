import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from sentra.regions.models import Region, region_key
from sentra.regions.services import load_home_regency


@pytest.mark.django_db
def test_kabupaten_bekasi_is_loaded_with_all_its_kecamatan_and_desa():
    bekasi = Region.objects.get(code="32.16")
    assert bekasi.name == "Kabupaten Bekasi"
    assert bekasi.parent.name == "Jawa Barat"
    assert Region.objects.kecamatan().within(bekasi).count() == 23
    desa = Region.objects.desa().within(bekasi)
    assert desa.count() == 187
    assert desa.filter(kind=Region.Kind.KELURAHAN).count() == 8
    assert Region.objects.get(code="32.16.01.1007").name == "Setia Asih"


@pytest.mark.django_db
def test_loading_again_changes_nothing():
    before = Region.objects.count()
    result = load_home_regency()
    assert (result.created, result.updated) == (0, 0)
    assert Region.objects.count() == before


@pytest.mark.parametrize(
    "spelling", ["Karang Bahagia", "KARANGBAHAGIA", "Kec. Karang Bahagia", "kecamatan karang-bahagia"]
)
def test_spellings_of_one_kecamatan_share_a_key(spelling):
    assert region_key(spelling) == "karangbahagia"


@pytest.fixture
def kota_bekasi(tmp_path):
    kecamatan = tmp_path / "kec.csv"
    kecamatan.write_text("code,name,bps_code\n32.75.01,Bekasi Timur,3275010\n32.75.02,Bekasi Barat,3275020\n")
    desa = tmp_path / "desa.csv"
    desa.write_text(
        "code,name,kecamatan_code,type\n"
        "32.75.01.1001,Margahayu,32.75.01,kelurahan\n"
        "32.75.02.1001,Bintara,32.75.02,kelurahan\n"
    )
    return kecamatan, desa


@pytest.mark.django_db
def test_another_regency_loads_from_csv_files_with_one_command(kota_bekasi):
    kecamatan, desa = kota_bekasi
    call_command("loadregions", regency="32.75", kecamatan=kecamatan, desa=desa)
    kota = Region.objects.get(code="32.75")
    assert kota.name == "Kota Bekasi" and kota.kind == Region.Kind.KOTA
    assert list(Region.objects.desa().within(kota).values_list("name", flat=True)) == ["Margahayu", "Bintara"]
    # Kabupaten Bekasi is still there: one installation can hold several regencies.
    assert Region.objects.kecamatan().within(Region.objects.get(code="32.16")).count() == 23


@pytest.mark.django_db
def test_a_desa_outside_the_kecamatan_file_is_refused_and_nothing_is_loaded(tmp_path, kota_bekasi):
    kecamatan, _ = kota_bekasi
    desa = tmp_path / "bad.csv"
    desa.write_text("code,name,kecamatan_code,type\n32.75.09.1001,Jatiasih,32.75.09,kelurahan\n")
    with translation.override("en"), pytest.raises(CommandError, match="line 2"):
        call_command("loadregions", regency="32.75", kecamatan=kecamatan, desa=desa)
    assert not Region.objects.filter(code__startswith="32.75").exists()


@pytest.mark.django_db
def test_a_file_without_the_expected_columns_is_refused(tmp_path, kota_bekasi):
    _, desa = kota_bekasi
    kecamatan = tmp_path / "kec.csv"
    kecamatan.write_text("kode,nama\n32.75.01,Bekasi Timur\n")
    with translation.override("en"), pytest.raises(CommandError, match="code, name"):
        call_command("loadregions", regency="32.75", kecamatan=kecamatan, desa=desa)


@pytest.mark.django_db
def test_an_unknown_regency_needs_its_name(kota_bekasi, tmp_path):
    kecamatan = tmp_path / "k.csv"
    kecamatan.write_text("code,name\n35.99.01,Somewhere\n")
    desa = tmp_path / "d.csv"
    desa.write_text("code,name,kecamatan_code,type\n")
    with translation.override("en"), pytest.raises(CommandError, match="--name"):
        call_command("loadregions", regency="35.99", kecamatan=kecamatan, desa=desa)
    call_command("loadregions", regency="35.99", name="Kabupaten Contoh", kecamatan=kecamatan, desa=desa)
    assert Region.objects.get(code="35.99").parent.name == "Jawa Timur"


@pytest.mark.django_db
def test_a_new_record_belongs_to_the_home_regency_unless_told_otherwise(kota_bekasi):
    from sentra.registry.models import Cooperative

    coop = Cooperative.objects.create(name="Koperasi Maju Bersama", kind=Cooperative.Kind.CONSUMER)
    assert coop.regency.code == "32.16"
    kecamatan, desa = kota_bekasi
    call_command("loadregions", regency="32.75", kecamatan=kecamatan, desa=desa)
    other = Cooperative.objects.create(
        name="Koperasi Kota", kind=Cooperative.Kind.CONSUMER, regency=Region.objects.get(code="32.75")
    )
    assert other.regency.code == "32.75"
