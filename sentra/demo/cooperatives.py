"""Demo cooperatives: realistic names, kinds, members, annual meetings (RAT) and managers."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from sentra.core.audit import build_entry
from sentra.core.models import AuditEntry
from sentra.regions.models import Region
from sentra.registry.models import Cooperative, CooperativeManager

from .businesses import BRAND_WORDS
from .generator import AS_OF, KAMPUNG, KECAMATAN_TRAITS, RURAL, Kecamatan
from .names import make_person

MULTIPURPOSE, SAVINGS_LOAN, CONSUMER = (
    Cooperative.Kind.MULTIPURPOSE,
    Cooperative.Kind.SAVINGS_LOAN,
    Cooperative.Kind.CONSUMER,
)
PRODUCER, MARKETING, SERVICES = (
    Cooperative.Kind.PRODUCER,
    Cooperative.Kind.MARKETING,
    Cooperative.Kind.SERVICES,
)
GOVERNMENT_OFFICES = (
    "Dinas Pendidikan", "Dinas Kesehatan", "RSUD Kabupaten Bekasi", "Sekretariat Daerah",
    "Dinas Perhubungan", "Kantor Kecamatan {k}", "Guru SD Kecamatan {k}", "Puskesmas {k}",
    "Dinas Pekerjaan Umum", "Bappeda"
)  # fmt: skip
PESANTREN = (
    "Al-Hidayah", "Al-Ikhlas", "Nurul Huda", "Darul Ulum", "Al-Falah", "Miftahul Jannah",
    "Al-Barokah", "Riyadul Jannah", "Darussalam", "Al-Muhajirin", "Nurul Iman", "Baitul Quran",
    "Al-Ittihad", "Raudhatul Ulum", "Al-Amanah"
)  # fmt: skip
# Name patterns per kind: {b} brand word, {d} desa, {k} kecamatan, {o} government office, {p} pesantren.
PATTERNS = (
    (MULTIPURPOSE, 22, "Koperasi Serba Usaha {b}|KSU {b} {k}|KUD {b} {d}|Koperasi Desa Merah Putih {d}"),
    (MULTIPURPOSE, 4, "Koperasi Pondok Pesantren {p}"),
    (SAVINGS_LOAN, 24, "KSP {b}|Koperasi Simpan Pinjam {b} {k}|KSPPS {b} Syariah|Koperasi Wanita {b} {d}"),
    (CONSUMER, 22, "Koperasi Konsumen {b}|KPRI {o} Kabupaten Bekasi|Koperasi Karyawan {b} {k}"),
    (PRODUCER, 12, "Koperasi Produsen Tahu Tempe {k}|Koperasi Produsen {b}|Koperasi Tani {b} {d}"),
    (MARKETING, 8, "Koperasi Pemasaran UMKM {k}|Koperasi Pemasaran {b}"),
    (SERVICES, 8, "Koperasi Jasa {b}|Koperasi Angkutan {b} {k}|Koperasi Jasa Wisata {d}"),
)
POSITIONS = ("Ketua", "Sekretaris", "Bendahara")


@dataclass
class DemoCooperative:
    name: str
    kind: str
    kecamatan: Kecamatan
    desa_code: str
    address: str
    members: int
    last_rat: dt.date | None
    status: str
    legal_entity_number: str
    nik_koperasi: str
    managers: tuple[tuple[str, str], ...]


def cooperative_count(scale: int) -> int:
    """About one cooperative for every 15 SMEs, and never fewer than 20."""
    return max(20, scale // 15)


def generate_cooperatives(*, areas: Sequence[Kecamatan], count: int, seed: int) -> list[DemoCooperative]:
    """`count` cooperatives with unique names; the first n of a larger set are the set of n."""
    rng = random.Random(f"{seed}:cooperatives")
    areas = sorted(areas, key=lambda k: k.code)
    weights = [KECAMATAN_TRAITS.get(k.code, (100, ""))[0] for k in areas]
    patterns = [(kind, template) for kind, _w, text in PATTERNS for template in text.split("|")]
    pattern_weights = [w / len(text.split("|")) for _kind, w, text in PATTERNS for _t in text.split("|")]
    taken: set[str] = set()
    cooperatives = []
    while len(cooperatives) < count:
        kecamatan = rng.choices(areas, weights)[0]
        desa = rng.choice(kecamatan.desa)
        kind, template = rng.choices(patterns, pattern_weights)[0]
        values = {
            "b": rng.choice(BRAND_WORDS),
            "d": desa.name,
            "k": kecamatan.name,
            "o": rng.choice(GOVERNMENT_OFFICES).format(k=kecamatan.name),
            "p": f"{rng.choice(PESANTREN)} {desa.name}",
        }
        name = template.format(**values)
        if name.casefold() in taken:
            continue
        taken.add(name.casefold())
        cooperatives.append(_cooperative(rng, name, kind, kecamatan, desa.code, desa.name))
    return cooperatives


def _cooperative(rng, name, kind, kecamatan, desa_code, desa_name) -> DemoCooperative:
    new_village_coop = "Merah Putih" in name  # founded in 2025 under the national programme
    founded = 2025 if new_village_coop else rng.randint(1978, 2024)
    members = int(rng.lognormvariate(4.4, 0.9))
    if "KPRI" in name or "Karyawan" in name:
        members = rng.randint(150, 2500)
    draw = rng.random()
    if founded >= 2025 or draw < 0.07:
        last_rat = None
    elif draw < 0.3:
        # Overdue: the last meeting was more than a year ago.
        last_rat = dt.date(rng.randint(max(founded + 1, 2019), 2025), rng.randint(1, 6), rng.randint(1, 28))
    else:
        last_rat = dt.date(2026, rng.randint(1, 6), rng.randint(1, 28))
    if last_rat is not None and last_rat > AS_OF:
        last_rat = AS_OF
    status_draw = rng.random()
    status = (
        Cooperative.Status.ACTIVE
        if status_draw < 0.85 or founded >= 2025
        else Cooperative.Status.INACTIVE
        if status_draw < 0.97
        else Cooperative.Status.DISSOLVED
    )
    number = rng.randint(1000, 99999)
    if founded >= 2013:
        legal = f"AHU-{number:07d}.AH.01.26.TAHUN {max(founded, 2016)}"
    else:
        legal = f"{number % 1000}/BH/XVI/{founded}"
    nik_koperasi = kecamatan.code.replace(".", "") + f"{rng.randrange(10**10):010d}"
    landscape = KECAMATAN_TRAITS.get(kecamatan.code, (0, ""))[1]
    if landscape == RURAL or rng.random() < 0.5:
        address = f"Kp. {rng.choice(KAMPUNG)}, Desa {desa_name}"
    else:
        address = f"Jl. Raya {desa_name} No. {rng.randint(1, 200)}"
    managers = tuple((make_person(rng).name, position) for position in POSITIONS)
    return DemoCooperative(
        name=name,
        kind=kind,
        kecamatan=kecamatan,
        desa_code=desa_code,
        address=address,
        members=max(members, 20),
        last_rat=last_rat,
        status=status,
        legal_entity_number=legal,
        nik_koperasi=nik_koperasi,
        managers=managers,
    )


@transaction.atomic
def load_cooperatives(*, cooperatives: Sequence[DemoCooperative], regency: Region, actor) -> int:
    """Create the cooperatives not yet in the register (matched by name); returns how many were new."""
    existing = set(Cooperative.objects.filter(regency=regency).values_list("name", flat=True))
    missing = [c for c in cooperatives if c.name not in existing]
    if not missing:
        return 0
    regions = dict(
        Region.objects.filter(
            code__in={c.desa_code for c in missing} | {c.kecamatan.code for c in missing}
        ).values_list("code", "pk")
    )
    rows = [
        Cooperative(
            regency=regency,
            name=c.name,
            kind=c.kind,
            members_count=c.members,
            last_rat_date=c.last_rat,
            status=c.status,
            legal_entity_number=c.legal_entity_number,
            nik_koperasi=c.nik_koperasi,
            address=c.address,
            desa_id=regions.get(c.desa_code),
            kecamatan_id=regions.get(c.kecamatan.code),
        )
        for c in missing
    ]
    created = Cooperative.objects.bulk_create(rows, batch_size=1000)
    if any(c.pk is None for c in created):
        # Backends that do not return ids from a bulk insert: read them back by name.
        ids = dict(Cooperative.objects.filter(name__in=[c.name for c in missing]).values_list("name", "pk"))
        for cooperative in created:
            cooperative.pk = ids[cooperative.name]
    managers = [
        CooperativeManager(cooperative_id=row.pk, name=name, position=position)
        for row, demo in zip(created, missing, strict=True)
        for name, position in demo.managers
    ]
    CooperativeManager.objects.bulk_create(managers, batch_size=2000)
    entries = [
        build_entry(
            actor=actor,
            verb="registry.cooperative.created",
            obj=row,
            action=AuditEntry.Action.CREATE,
            changes={
                "name": [None, row.name],
                "kind": [None, row.kind],
                "members_count": [None, row.members_count],
            },
            note="demo data",
        )
        for row in created
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    return len(created)
