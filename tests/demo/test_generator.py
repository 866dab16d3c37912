import csv
import re
from collections import Counter

import pytest
from stdnum.id import nik as stdnum_nik

from sentra.demo.businesses import KINDS
from sentra.demo.cooperatives import cooperative_count, generate_cooperatives
from sentra.demo.generator import TEMPLATE_HEADERS, generate_smes, to_row, write_csv
from sentra.imports.sme_spec import TEMPLATE_HEADERS as IMPORT_TEMPLATE_HEADERS
from sentra.registry import normalize
from sentra.registry.kbli import category_for


def test_the_same_seed_gives_the_same_rows(areas):
    first = [to_row(s) for s in generate_smes(areas=areas, scale=200, seed=7)]
    second = [to_row(s) for s in generate_smes(areas=areas, scale=200, seed=7)]
    assert first == second


def test_another_seed_gives_other_rows(areas):
    first = [to_row(s) for s in generate_smes(areas=areas, scale=50, seed=7)]
    other = [to_row(s) for s in generate_smes(areas=areas, scale=50, seed=8)]
    assert {row[0] for row in first} != {row[0] for row in other}
    assert {row[3] for row in first}.isdisjoint({row[3] for row in other})


def test_a_larger_set_begins_with_the_smaller_one(areas):
    small = [to_row(s) for s in generate_smes(areas=areas, scale=100, seed=2026)]
    large = [to_row(s) for s in generate_smes(areas=areas, scale=400, seed=2026)]
    assert large[:100] == small


def test_every_nik_is_valid_unique_per_owner_and_matches_birth_date_and_gender(areas):
    smes = generate_smes(areas=areas, scale=3000, seed=2026)
    owners = {s.owner.index: s.owner for s in smes}
    for owner in owners.values():
        assert stdnum_nik.is_valid(owner.nik), owner.nik
        assert normalize.normalize_nik(owner.nik) == owner.nik
        info = normalize.nik_info(owner.nik)
        assert info["birth_date"] == owner.birth_date
        assert info["gender"] == owner.person.gender
        assert info["regency_code"] == "32.16"
        assert info["warning"] is None
    assert len({o.nik for o in owners.values()}) == len(owners)


def test_rows_spread_across_all_23_kecamatan_and_their_desa(areas):
    smes = generate_smes(areas=areas, scale=300, seed=2026)
    assert len(areas) == 23
    assert {s.kecamatan.code for s in smes} == {k.code for k in areas}
    # The first rows visit each kecamatan in turn, so even a small set covers them all.
    assert len({s.kecamatan.code for s in generate_smes(areas=areas, scale=30, seed=5)}) == 23
    for sme in smes:
        assert sme.desa in sme.kecamatan.desa
        # Inside Kabupaten Bekasi (with a margin for the scatter around each desa).
        assert -6.55 < sme.latitude < -5.9 and 106.9 < sme.longitude < 107.35


def test_every_value_passes_the_import_normalisers(areas):
    for sme in generate_smes(areas=areas, scale=2000, seed=2026):
        row = dict(zip(TEMPLATE_HEADERS, to_row(sme), strict=True))
        assert normalize.normalize_phone(row["No. HP/WA"]) == row["No. HP/WA"]
        assert normalize.normalize_kbli(row["KBLI"]) == row["KBLI"]
        category_for(row["KBLI"], 2020)
        assert normalize.normalize_gender(row["Jenis Kelamin"]) in ("M", "F")
        assert normalize.normalize_date(row["Tanggal Lahir"]) == sme.owner.birth_date
        assert normalize.normalize_money(row["Modal Usaha"]) == sme.capital > 0
        assert normalize.normalize_money(row["Omzet per Tahun"]) == sme.turnover > 0
        assert normalize.normalize_year(row["Tahun Mulai"]) == sme.start_year
        if row["NIB"]:
            assert normalize.normalize_nib(row["NIB"]) == row["NIB"]
        if row["NPWP"]:
            assert normalize.normalize_npwp(row["NPWP"])
        if row["No. P-IRT"]:
            assert normalize.pirt_info(row["No. P-IRT"])["regency_code"] == "32.16"
        if row["No. BPOM"]:
            assert normalize.normalize_bpom(row["No. BPOM"]) == row["No. BPOM"]
        if row["No. Sertifikat Halal"]:
            assert normalize.normalize_halal(row["No. Sertifikat Halal"]) == row["No. Sertifikat Halal"]
        if row["Halal Berlaku Sampai"]:
            assert normalize.normalize_date(row["Halal Berlaku Sampai"]) == sme.halal_until
        if row["Email"]:
            assert row["Email"].endswith("@example.com")


def test_nib_are_unique_and_about_sixty_percent_have_one(areas):
    smes = [s for s in generate_smes(areas=areas, scale=3000, seed=2026) if s.duplicate_of is None]
    nibs = [s.nib for s in smes if s.nib]
    assert len(nibs) == len(set(nibs))
    assert 0.5 < len(nibs) / len(smes) < 0.7
    assert 0.2 < sum(1 for s in smes if s.npwp) / len(smes) < 0.4


def test_most_smes_are_micro_some_small_and_a_few_medium(areas):
    scales = Counter(
        normalize.classify_scale(capital=s.capital, turnover=s.turnover)[0]
        for s in generate_smes(areas=areas, scale=5000, seed=2026)
    )
    assert scales["micro"] > 0.9 * 5000
    assert scales["small"] > 50
    assert 0 < scales["medium"] < scales["small"]
    assert scales["large"] == 0


def test_names_products_and_activities_match_the_kbli_code(areas):
    kinds = {kind.kbli: kind for kind in KINDS}
    for sme in generate_smes(areas=areas, scale=1000, seed=2026):
        kind = kinds[sme.kind.kbli]
        assert set(sme.products) <= set(kind.products)
        assert sme.kind.activity == kind.activity
    names = {s.name for s in generate_smes(areas=areas, scale=1000, seed=2026) if s.kind.kbli == "10794"}
    assert any(word in name for name in names for word in ("Keripik", "Kerupuk", "Rempeyek", "Rengginang"))


def test_halal_and_permits_include_some_that_have_expired(areas):
    smes = generate_smes(areas=areas, scale=3000, seed=2026)
    halal = [s for s in smes if s.halal]
    pirt = [s for s in smes if s.pirt]
    assert any(s.halal_until and s.halal_until.year < 2026 for s in halal)
    assert any(s.halal_until is None for s in halal)
    assert any(normalize.pirt_info(s.pirt)["expiry_year"] < 2026 for s in pirt)
    assert any(normalize.pirt_info(s.pirt)["expiry_year"] > 2026 for s in pirt)
    assert all(s.kind.home_food for s in pirt)
    assert any(s.bpom.startswith("MD") for s in smes)


def test_the_demo_owner_has_two_businesses_and_some_other_owners_too(areas):
    smes = generate_smes(areas=areas, scale=1000, seed=2026)
    assert smes[0].owner is smes[1].owner
    assert sum(1 for s in smes if s.owner is smes[0].owner) == 2
    per_owner = Counter(s.owner.index for s in smes if s.duplicate_of is None)
    assert sum(1 for n in per_owner.values() if n > 1) > 20
    assert Counter(s.owner.person.gender for s in smes).keys() == {"M", "F"}


def test_business_names_are_unique_within_a_desa(areas):
    smes = generate_smes(areas=areas, scale=5000, seed=2026)
    keys = Counter((s.desa.code, re.sub(r"[^0-9a-z]", "", s.name.casefold())) for s in smes)
    assert max(keys.values()) == 1


def test_the_csv_has_exactly_the_sentra_template_headers(areas, tmp_path):
    assert TEMPLATE_HEADERS == IMPORT_TEMPLATE_HEADERS
    path = tmp_path / "demo.csv"
    assert write_csv(generate_smes(areas=areas, scale=30, seed=2026), path) == 30
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert tuple(rows[0]) == TEMPLATE_HEADERS
    assert len(rows) == 31
    for row in rows[1:]:
        values = dict(zip(rows[0], row, strict=True))
        assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", values["Tanggal Lahir"])
        assert re.fullmatch(r"\d+", values["Modal Usaha"]) and re.fullmatch(r"\d+", values["Omzet per Tahun"])
        assert values["No. HP/WA"].startswith("+628")


def test_the_generator_never_produces_the_canary_personal_data(areas):
    from conftest import CANARY_NIK, CANARY_PHONE

    smes = generate_smes(areas=areas, scale=3000, seed=2026)
    assert CANARY_NIK not in {s.owner.nik for s in smes}
    assert CANARY_PHONE not in {s.owner.phone for s in smes}


@pytest.mark.parametrize("scale", [1, 300, 1500])
def test_cooperatives_are_one_per_fifteen_smes_at_least_twenty_with_unique_names(areas, scale):
    count = cooperative_count(scale)
    assert count == max(20, scale // 15)
    cooperatives = generate_cooperatives(areas=areas, count=count, seed=2026)
    assert len(cooperatives) == count
    assert len({c.name for c in cooperatives}) == count
    assert all(len(c.managers) == 3 for c in cooperatives)
    assert generate_cooperatives(areas=areas, count=10, seed=2026) == cooperatives[:10]


def test_no_two_rows_are_the_same_business_for_the_import(areas):
    """The import's upsert key: NIB, then owner NIK with the spelling-insensitive business name."""
    from sentra.imports.rows import name_key

    smes = generate_smes(areas=areas, scale=20000, seed=2026)
    keys = Counter((s.owner.nik, name_key(s.name)) for s in smes)
    assert max(keys.values()) == 1
    duplicates = [s for s in smes if s.duplicate_of is not None]
    assert duplicates  # near-identical entries for the duplicate finder
    for copy in duplicates:
        original = smes[copy.duplicate_of]
        assert copy.desa == original.desa and copy.owner is original.owner and copy.name != original.name


def test_no_owner_gets_two_businesses_the_importer_would_take_for_one(areas):
    # The importer keys an owner's business by NIK and name_key_for: "UD Kopi Asep" and "Kopi Asep"
    # are one business to it, and the second row is rejected as a duplicate.
    smes = generate_smes(areas=areas, scale=32_000, seed=2026)  # the old key collided at row 31,235
    keys = [(s.owner.nik, normalize.name_key_for(s.name)) for s in smes]
    assert len(set(keys)) == len(keys)
