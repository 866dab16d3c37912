"""A deterministic generator of realistic SME rows for a regency, written as a Sentra import file.

Pure Python and one `random.Random(seed)`: the same seed and areas give the same rows, byte for
byte. Rows never depend on how many are asked for, so the first 300 rows of a 100,000-row set are
the 300-row set; that is what lets a larger demo extend a smaller one.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from stdnum import luhn

from sentra.registry.normalize import name_key_for

from .businesses import ANY, BRAND_WORDS, COASTAL, KINDS, RURAL, URBAN, BusinessKind
from .names import Person, make_person

# The Sentra import template, in this order; the importer matches these headers with no mapping.
TEMPLATE_HEADERS = (
    "Nama Usaha",
    "Merek",
    "Nama Pemilik",
    "NIK",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "No. HP/WA",
    "Email",
    "Alamat Usaha",
    "RT",
    "RW",
    "Desa/Kelurahan",
    "Kecamatan",
    "Latitude",
    "Longitude",
    "KBLI",
    "Kegiatan Usaha",
    "Produk",
    "Tahun Mulai",
    "Jumlah Tenaga Kerja",
    "Modal Usaha",
    "Omzet per Tahun",
    "NIB",
    "NPWP",
    "No. Sertifikat Halal",
    "Halal Berlaku Sampai",
    "No. P-IRT",
    "No. BPOM",
    "Forum UMKM",
)

# The data describe the regency as of this day, so a seed gives the same rows in any year.
AS_OF = dt.date(2026, 11, 1)

# Kabupaten Bekasi kecamatan by Kemendagri code: rough population (thousands) and landscape.
KECAMATAN_TRAITS = {
    "32.16.01": (170, COASTAL),  # Tarumajaya
    "32.16.02": (270, COASTAL),  # Babelan
    "32.16.03": (50, RURAL),  # Sukawangi
    "32.16.04": (45, RURAL),  # Tambelang
    "32.16.05": (190, URBAN),  # Tambun Utara
    "32.16.06": (500, URBAN),  # Tambun Selatan
    "32.16.07": (250, URBAN),  # Cibitung
    "32.16.08": (250, URBAN),  # Cikarang Barat
    "32.16.09": (280, URBAN),  # Cikarang Utara
    "32.16.10": (120, RURAL),  # Karang Bahagia
    "32.16.11": (120, URBAN),  # Cikarang Timur
    "32.16.12": (70, RURAL),  # Kedung Waringin
    "32.16.13": (100, RURAL),  # Pebayuran
    "32.16.14": (50, RURAL),  # Sukakarya
    "32.16.15": (80, RURAL),  # Sukatani
    "32.16.16": (55, COASTAL),  # Cabangbungin
    "32.16.17": (40, COASTAL),  # Muaragembong
    "32.16.18": (150, URBAN),  # Setu
    "32.16.19": (200, URBAN),  # Cikarang Selatan
    "32.16.20": (80, URBAN),  # Cikarang Pusat
    "32.16.21": (150, URBAN),  # Serang Baru
    "32.16.22": (100, RURAL),  # Cibarusah
    "32.16.23": (30, RURAL),  # Bojongmangu
}

STATUS_VERIFIED, STATUS_SUBMITTED, STATUS_DRAFT = "verified", "submitted", "draft"
# What an officer writes when verifying after a visit or a document check.
VERIFICATION_NOTES = (
    "Data sesuai dengan hasil kunjungan lapangan.",
    "Dokumen NIB dan KTP pemilik sudah dicek.",
    "Diverifikasi saat pendampingan di kantor kecamatan.",
    "Lokasi usaha dan produk sesuai foto yang dikirim pemilik.",
    "Data dicocokkan dengan daftar binaan Dinas tahun lalu.",
    "Diverifikasi pada bazar UMKM; pemilik hadir membawa dokumen.",
)

KAMPUNG = (
    "Babakan", "Pasir Gombong", "Rawa Bebek", "Pulo", "Bulak", "Gardu", "Kebon Kelapa",
    "Tegal Danas", "Cikedokan", "Kaum", "Tanjung", "Bojong", "Leuwi Malang", "Sukamaju",
    "Sukamulya", "Kali Jeruk", "Pondok", "Cabang", "Sawah Besar", "Rawa Kalong", "Poncol",
    "Kandang Sapi", "Pasar", "Cempaka", "Bendungan", "Kramat", "Jati", "Gempol", "Kedondong",
    "Pangkalan"
)  # fmt: skip
PERUMAHAN = (
    "Griya Asri", "Bumi Sentosa", "Taman Aster", "Villa Mutiara", "Graha Indah", "Puri Cendana",
    "Permata Hijau", "Pesona Bekasi", "Grand Residence", "Taman Sari", "Griya Harapan",
    "Bumi Lestari", "Cluster Anggrek", "Puri Asih", "Vila Gading Indah", "Taman Kencana",
    "Griya Setu Permai", "Perumnas Bumi Indah"
)  # fmt: skip
STREETS = (
    "Raya {d}", "Raya {d}", "H. Abdul Gani", "Masjid Al-Ikhlas", "Melati", "Kenanga", "Pramuka",
    "Veteran", "Pahlawan", "Inpres", "Flamboyan", "Kalimalang", "Irigasi", "Bhayangkara", "Pemuda",
    "Kemakmuran", "Sukaraya", "Ki Hajar Dewantara"
)  # fmt: skip
# Mobile prefixes after +62: Telkomsel, Indosat, XL, Axis, Tri, Smartfren.
MOBILE_PREFIXES = (
    "811", "812", "813", "821", "822", "823", "851", "852", "853", "814", "815", "816", "855",
    "856", "857", "858", "817", "818", "819", "859", "877", "878", "831", "832", "833", "838",
    "895", "896", "897", "898", "899", "881", "882", "883", "887", "888", "889"
)  # fmt: skip
# Never produced: the test suites plant these as recognisable fake personal data.
RESERVED = frozenset({"3216014407900012", "+6281299990000"})


@dataclass(frozen=True)
class Desa:
    code: str
    name: str


@dataclass(frozen=True)
class Kecamatan:
    code: str
    name: str
    desa: tuple[Desa, ...]
    # Outer boundary as (longitude, latitude) points, for placing businesses; None when unknown.
    ring: tuple[tuple[float, float], ...] | None = None


@dataclass
class DemoOwner:
    index: int
    person: Person
    nik: str
    birth_date: dt.date
    phone: str
    email: str
    kecamatan: Kecamatan
    desa: Desa


@dataclass
class DemoSme:
    index: int
    owner: DemoOwner
    kind: BusinessKind
    name: str
    brand: str
    kecamatan: Kecamatan
    desa: Desa
    address: str
    rt: str
    rw: str
    latitude: float
    longitude: float
    products: tuple[str, ...]
    start_year: int
    employees: int
    capital: int
    turnover: int
    nib: str = ""
    npwp: str = ""
    halal: str = ""
    halal_until: dt.date | None = None
    pirt: str = ""
    bpom: str = ""
    forum: str = ""
    status: str = STATUS_DRAFT
    note: str = ""
    verified_days_ago: int = 0
    # A second entry for a business already in the register, typed again with another spelling.
    duplicate_of: int | None = None


def forum_name(kecamatan_name: str) -> str:
    return f"Forum UMKM Kecamatan {kecamatan_name}"


def generate_smes(
    *, areas: Sequence[Kecamatan], scale: int, seed: int, first_kecamatan: str = "32.16.09"
) -> list[DemoSme]:
    """`scale` rows for the given kecamatan. Rows 0 and 1 belong to one owner (the demo SME owner)."""
    if not areas or any(not k.desa for k in areas):
        raise ValueError("every kecamatan needs at least one desa")
    return _Generator(areas, seed, first_kecamatan).rows(scale)


class _Generator:
    def __init__(self, areas: Sequence[Kecamatan], seed: int, first_kecamatan: str) -> None:
        self.rng = random.Random(seed)
        self.areas = sorted(areas, key=lambda k: k.code)
        codes = [k.code for k in self.areas]
        start = codes.index(first_kecamatan) if first_kecamatan in codes else 0
        # The first rows visit every kecamatan once, so even a small demo covers the whole regency.
        self.round_robin = self.areas[start:] + self.areas[:start]
        self.round_robin_done = 0
        self.area_weights = list(accumulate(KECAMATAN_TRAITS.get(k.code, (100, ANY))[0] for k in self.areas))
        self.kind_weights = {k.code: list(accumulate(_kind_weights(k))) for k in self.areas}
        self.desa_points = {k.code: self._desa_points(k) for k in self.areas}
        self.owners: list[DemoOwner] = []
        self.smes: list[DemoSme] = []
        self.niks: set[str] = set()
        self.nibs: set[str] = set()
        # Name keys in use per desa and per owner: the import takes a second business of the same
        # owner with the same name key for the same business, so owners' business names differ too.
        self.names_by_desa: dict[str, set[str]] = {}
        self.names_by_owner: dict[int, set[str]] = {}
        self.halal_serial = 0
        self.pirt_serial = 0

    def rows(self, scale: int) -> list[DemoSme]:
        for index in range(scale):
            self.smes.append(self._row(index))
        return self.smes

    # --- one row ----------------------------------------------------------------------------

    def _row(self, index: int) -> DemoSme:
        rng = self.rng
        if index > 1 and rng.random() < 0.004 and self.smes:
            return self._duplicate(index)
        if index == 1:
            owner = self.owners[0]
            kecamatan, desa = owner.kecamatan, owner.desa
        elif index > 1 and len(self.owners) > 1 and rng.random() < 0.06:
            # Some owners run a second business, usually close to home. The demo owner keeps two.
            owner = self.owners[rng.randrange(max(1, len(self.owners) - 500), len(self.owners))]
            kecamatan, desa = self._place_near(owner)
        else:
            kecamatan = self._pick_kecamatan()
            desa = rng.choice(kecamatan.desa)
            owner = self._new_owner(kecamatan, desa)
        kind = self._pick_kind(kecamatan)
        sme = self._business(index, owner, kind, kecamatan, desa)
        self._legality(sme)
        self._status(sme)
        return sme

    def _pick_kecamatan(self) -> Kecamatan:
        if self.round_robin_done < len(self.round_robin):
            self.round_robin_done += 1
            return self.round_robin[self.round_robin_done - 1]
        return self.rng.choices(self.areas, cum_weights=self.area_weights)[0]

    def _place_near(self, owner: DemoOwner) -> tuple[Kecamatan, Desa]:
        if self.rng.random() < 0.7:
            return owner.kecamatan, self.rng.choice(owner.kecamatan.desa)
        kecamatan = self.rng.choices(self.areas, cum_weights=self.area_weights)[0]
        return kecamatan, self.rng.choice(kecamatan.desa)

    def _pick_kind(self, kecamatan: Kecamatan) -> BusinessKind:
        return self.rng.choices(KINDS, cum_weights=self.kind_weights[kecamatan.code])[0]

    # --- people -----------------------------------------------------------------------------

    def _new_owner(self, kecamatan: Kecamatan, desa: Desa) -> DemoOwner:
        rng = self.rng
        person = make_person(rng)
        # Owners are 19 to 70, most in their thirties to fifties.
        age = int(rng.triangular(19, 70, 42))
        birth = AS_OF - dt.timedelta(days=age * 365 + rng.randrange(365))
        # Many moved house since their NIK was issued, so its kecamatan is not always today's.
        issued_in = kecamatan if rng.random() < 0.8 else rng.choice(self.areas)
        owner = DemoOwner(
            index=len(self.owners),
            person=person,
            nik=self._nik(issued_in, birth, person.gender),
            birth_date=birth,
            phone=self._phone(),
            email=self._email(person, birth) if rng.random() < 0.35 else "",
            kecamatan=kecamatan,
            desa=desa,
        )
        self.owners.append(owner)
        return owner

    def _nik(self, kecamatan: Kecamatan, birth: dt.date, gender: str) -> str:
        day = birth.day + (40 if gender == "F" else 0)
        stem = kecamatan.code.replace(".", "") + f"{day:02d}{birth:%m%y}"
        serial = self.rng.randint(101, 2500)
        while (nik := f"{stem}{serial:04d}") in self.niks or nik in RESERVED:
            serial += 1
        self.niks.add(nik)
        return nik

    def _phone(self) -> str:
        while True:
            length = self.rng.choice((7, 8, 8))
            phone = f"+62{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(10**length):0{length}d}"
            if phone not in RESERVED:
                return phone

    def _email(self, person: Person, birth: dt.date) -> str:
        parts = person.name.lower().replace("'", "").split()
        local = self.rng.choice((f"{parts[0]}.{parts[-1]}", f"{parts[0]}{parts[-1]}", parts[0]))
        # example.com is reserved for documentation: demo data must not reach real mailboxes.
        return f"{local}{birth:%y}@example.com"

    # --- the business -----------------------------------------------------------------------

    def _business(
        self, index: int, owner: DemoOwner, kind: BusinessKind, kecamatan: Kecamatan, desa: Desa
    ) -> DemoSme:
        rng = self.rng
        headline = rng.choice(kind.products)
        others = [p for p in kind.products if p != headline]
        products = (headline, *rng.sample(others, k=min(len(others), rng.choice((0, 1, 1, 2)))))
        brand_word = rng.choice(BRAND_WORDS)
        name = self._unique_name(kind, headline, owner, brand_word, desa)
        brand = brand_word if "{b}" not in name and rng.random() < 0.5 else ""
        if not brand and rng.random() < 0.3:
            brand = f"{brand_word} {owner.person.nickname}"
        capital, turnover, employees = self._money(kind)
        earliest = max(1985, owner.birth_date.year + 17)
        start_year = max(earliest, AS_OF.year - 1 - int(rng.expovariate(1 / 7)))
        lon, lat = self._point_in(kecamatan, desa)
        address, rt, rw = self._address(kecamatan, desa)
        return DemoSme(
            index=index,
            owner=owner,
            kind=kind,
            name=name,
            brand=brand,
            kecamatan=kecamatan,
            desa=desa,
            address=address,
            rt=rt,
            rw=rw,
            latitude=lat,
            longitude=lon,
            products=products,
            start_year=min(start_year, AS_OF.year),
            employees=employees,
            capital=capital,
            turnover=turnover,
        )

    def _unique_name(
        self, kind: BusinessKind, headline: str, owner: DemoOwner, brand: str, desa: Desa
    ) -> str:
        person = owner.person
        values = {"p": headline, "n": person.nickname, "h": person.honorific, "b": brand, "d": desa.name}
        templates = list(kind.names)
        self.rng.shuffle(templates)
        candidates = [t.format(**values) for t in templates]
        candidates += [f"{candidates[0]} {desa.name}", f"{candidates[0]} {person.name.split()[-1]}"]
        return self._claim_name(candidates, owner, desa)

    def _claim_name(self, candidates: list[str], owner: DemoOwner, desa: Desa) -> str:
        """The first candidate whose key is free in the desa and for the owner, numbered if none is."""
        in_desa = self.names_by_desa.setdefault(desa.code, set())
        of_owner = self.names_by_owner.setdefault(owner.index, set())
        for name in candidates:
            if _name_key(name) not in in_desa and _name_key(name) not in of_owner:
                break
        else:
            number = 2
            while (key := _name_key(name := f"{candidates[0]} {number}")) in in_desa or key in of_owner:
                number += 1
        in_desa.add(_name_key(name))
        of_owner.add(_name_key(name))
        return name

    def _money(self, kind: BusinessKind) -> tuple[int, int, int]:
        rng = self.rng
        draw = rng.random()
        if kind.can_grow and draw < 0.006:
            capital = rng.uniform(5.2e9, 9.6e9)  # medium
            employees = rng.randint(20, 80)
        elif kind.can_grow and draw < 0.04:
            capital = rng.uniform(1.05e9, 4.8e9)  # small
            employees = rng.randint(5, 19)
        else:
            capital = min(kind.capital * math.exp(rng.gauss(0, 0.85)), 9.5e8)
            employees = min(1 + int(rng.expovariate(0.9)), 4 if capital < 2e8 else 9)
        turnover = min(capital * kind.sales_ratio * math.exp(rng.gauss(0, 0.45)), 4.8e10)
        return _round_money(capital), _round_money(turnover), employees

    def _address(self, kecamatan: Kecamatan, desa: Desa) -> tuple[str, str, str]:
        rng = self.rng
        landscape = KECAMATAN_TRAITS.get(kecamatan.code, (0, ANY))[1]
        draw = rng.random()
        rt, rw = f"{rng.randint(1, 12):03d}", f"{rng.randint(1, 9):03d}"
        if landscape == URBAN and draw < 0.45:
            block = f"{rng.choice('ABCDEFGHJK')}{rng.randint(1, 12)}"
            return f"Perum {rng.choice(PERUMAHAN)} Blok {block} No. {rng.randint(1, 40)}", rt, rw
        if draw < 0.75:
            return f"Kp. {rng.choice(KAMPUNG)}", rt, rw
        street = rng.choice(STREETS).format(d=desa.name)
        return f"Jl. {street} No. {rng.randint(1, 150)}", rt, rw

    # --- permits and registration ------------------------------------------------------------

    def _legality(self, sme: DemoSme) -> None:
        rng = self.rng
        grown = sme.capital > 1_000_000_000
        if rng.random() < (0.95 if grown else 0.6):
            sme.nib = self._nib()
        if rng.random() < (0.9 if grown else 0.3):
            sme.npwp = sme.owner.nik if rng.random() < 0.55 else self._legacy_npwp()
        kind = sme.kind
        if kind.bpom and (grown or sme.capital > 100_000_000) and rng.random() < 0.5:
            sme.bpom = self._bpom(kind.bpom)
        elif kind.home_food and rng.random() < 0.45:
            sme.pirt = self._pirt()
        halal_share = 0.35 if kind.home_food else 0.5 if kind.bpom == "NA" else 0.15
        if kind.halal and rng.random() < halal_share:
            sme.halal, sme.halal_until = self._halal()

    def _nib(self) -> str:
        while (
            nib := self.rng.choice(("9120", "9120", "8120")) + f"{self.rng.randrange(10**9):09d}"
        ) in self.nibs:
            pass
        self.nibs.add(nib)
        return nib

    def _legacy_npwp(self) -> str:
        body = f"{self.rng.choice('4789')}{self.rng.randrange(10**6):06d}"
        head = f"0{body}"
        digits = head + luhn.calc_check_digit(head) + self.rng.choice(("407", "413", "431", "432")) + "000"
        return f"{digits[:2]}.{digits[2:5]}.{digits[5:8]}.{digits[8]}-{digits[9:12]}.{digits[12:]}"

    def _halal(self) -> tuple[str, dt.date | None]:
        self.halal_serial += 1
        year = self.rng.randint(2019, 2025)
        number = f"ID3216{self.rng.randint(1, 3)}{self.halal_serial:07d}{self.rng.randint(1, 12):02d}{year % 100:02d}"
        # Certificates issued before the 2023 law were valid four years; later ones do not expire.
        until = dt.date(year + 4, self.rng.randint(1, 12), self.rng.randint(1, 28)) if year <= 2022 else None
        return number, until

    def _pirt(self) -> str:
        self.pirt_serial += 1
        # A P-IRT runs five years from issue; those issued before 2021 have lapsed.
        expiry = self.rng.randint(2015, 2025) + 5
        digits = (
            f"{self.rng.randint(1, 5)}{self.rng.randint(1, 16):02d}3216"
            f"{self.rng.randint(1, 12):02d}{self.pirt_serial % 10000:04d}"
        )
        return f"P-IRT No. {digits}-{expiry % 100:02d}"

    def _bpom(self, prefix: str) -> str:
        if prefix == "NA":
            return f"NA18{self.rng.randrange(10**9):09d}"
        return f"MD2{self.rng.randrange(10**11):011d}"

    def _status(self, sme: DemoSme) -> None:
        rng = self.rng
        draw = rng.random()
        if sme.index == 0:
            draw = 0.0
        elif sme.index == 1:
            draw = 1.0  # a draft, so the demo owner has something to submit
        if draw < 0.7:
            sme.status = STATUS_VERIFIED
            sme.note = rng.choice(VERIFICATION_NOTES)
            sme.verified_days_ago = rng.randint(1, 720)
            if rng.random() < 0.45:
                sme.forum = forum_name(sme.kecamatan.name)
        elif draw < 0.85:
            sme.status = STATUS_SUBMITTED
        else:
            sme.status = STATUS_DRAFT

    def _duplicate(self, index: int) -> DemoSme:
        """The same business entered again by someone else: another spelling, no papers, a draft."""
        original = self.smes[self.rng.randrange(max(0, len(self.smes) - 300), len(self.smes))]
        misspelt = _misspell(original.name)
        name = self._claim_name([misspelt, f"{misspelt} {original.desa.name}"], original.owner, original.desa)
        copy = DemoSme(
            **{
                **original.__dict__,
                "index": index,
                "name": name,
                "nib": "",
                "npwp": "",
                "halal": "",
                "halal_until": None,
                "pirt": "",
                "bpom": "",
                "forum": "",
                "status": STATUS_DRAFT,
                "note": "",
                "verified_days_ago": 0,
                "duplicate_of": original.index,
            }
        )
        return copy

    # --- places -----------------------------------------------------------------------------

    def _desa_points(self, kecamatan: Kecamatan) -> dict[str, tuple[float, float]]:
        """A centre for each desa inside the kecamatan boundary; businesses cluster around it."""
        return {d.code: _random_point(kecamatan.ring, self.rng) for d in kecamatan.desa}

    def _point_in(self, kecamatan: Kecamatan, desa: Desa) -> tuple[float, float]:
        lon, lat = self.desa_points[kecamatan.code][desa.code]
        # About half a kilometre around the desa centre.
        return round(lon + self.rng.gauss(0, 0.004), 6), round(lat + self.rng.gauss(0, 0.004), 6)


# Kab. Bekasi's centre, for regions without a boundary.
_FALLBACK_CENTRE = (107.13, -6.25)


def _random_point(ring: tuple[tuple[float, float], ...] | None, rng: random.Random) -> tuple[float, float]:
    if not ring:
        return _FALLBACK_CENTRE[0] + rng.uniform(-0.1, 0.1), _FALLBACK_CENTRE[1] + rng.uniform(-0.1, 0.1)
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    for _attempt in range(200):
        point = (rng.uniform(min(lons), max(lons)), rng.uniform(min(lats), max(lats)))
        if _inside(point, ring):
            return point
    return sum(lons) / len(lons), sum(lats) / len(lats)


def _inside(point: tuple[float, float], ring: Sequence[tuple[float, float]]) -> bool:
    """Ray casting: a point is inside when a ray from it crosses the boundary an odd number of times."""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _kind_weights(kecamatan: Kecamatan) -> list[float]:
    landscape = KECAMATAN_TRAITS.get(kecamatan.code, (0, ANY))[1]
    weights = []
    for kind in KINDS:
        weight = float(kind.weight)
        if kind.where == COASTAL:
            weight *= 3 if landscape == COASTAL else 0
        elif kind.where == RURAL:
            weight *= 2 if landscape == RURAL else 0.3
        elif kind.where == URBAN:
            weight *= 1.5 if landscape == URBAN else 0.4
        weights.append(weight)
    return weights


def _round_money(amount: float) -> int:
    step = 100_000 if amount < 10_000_000 else 500_000 if amount < 1_000_000_000 else 10_000_000
    return max(step, int(round(amount / step)) * step)


def _name_key(name: str) -> str:
    # The importer's own key: two names it would take for one business must not both be generated.
    return name_key_for(name)


_MISSPELLINGS = (
    ("Keripik", "Kripik"),
    ("Kerupuk", "Krupuk"),
    ("Warung", "Wr."),
    ("Toko", "Tk."),
    ("Catering", "Katering"),
    ("Mebel", "Meubel"),
    ("Laundry", "Loundry"),
    ("Bakso", "Baso"),
    ("Sembako", "Sembilan Bahan Pokok"),
    ("Bu ", "Ibu "),
    ("Pak ", "Bapak "),
    ("Mpok ", "Mpo "),
    ("Teh ", "Teteh "),
    ("Kang ", "Akang "),
)


def _misspell(name: str) -> str:
    for right, wrong in _MISSPELLINGS:
        if right in name:
            return name.replace(right, wrong, 1)
    words = name.split()
    if len(words) > 2:
        return " ".join(words[:-1])  # the nickname left off
    return f"{name} Bekasi"


# --- the CSV file ------------------------------------------------------------------------------


def _date(value: dt.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def to_row(sme: DemoSme) -> list[str]:
    """One line of the import template, as a Dinas officer would type it."""
    owner = sme.owner
    return [
        sme.name,
        sme.brand,
        owner.person.name,
        owner.nik,
        "P" if owner.person.gender == "F" else "L",
        _date(owner.birth_date),
        owner.phone,
        owner.email,
        sme.address,
        sme.rt,
        sme.rw,
        sme.desa.name,
        sme.kecamatan.name,
        f"{sme.latitude:.6f}",
        f"{sme.longitude:.6f}",
        sme.kind.kbli,
        sme.kind.activity,
        ", ".join(sme.products),
        str(sme.start_year),
        str(sme.employees),
        str(sme.capital),
        str(sme.turnover),
        sme.nib,
        sme.npwp,
        sme.halal,
        _date(sme.halal_until),
        sme.pirt,
        sme.bpom,
        sme.forum,
    ]


def write_csv(smes: Iterable[DemoSme], path: Path) -> int:
    """Write the rows with the template headers (UTF-8 with BOM, so Excel shows names right)."""
    count = 0
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f)
        writer.writerow(TEMPLATE_HEADERS)
        for sme in smes:
            writer.writerow(to_row(sme))
            count += 1
    return count
