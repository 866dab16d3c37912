"""KBLI (Klasifikasi Baku Lapangan Usaha Indonesia) categories and their 2-digit divisions.

A code's first two digits name its division (golongan pokok); each division belongs to one
category (kategori, a letter). The version is stored with every code because KBLI 2025 reletters
the categories from K on.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from sentra.registry.normalize import NormalizationError


class Category(NamedTuple):
    letter: str
    title_id: str
    title_en: str
    divisions: tuple[tuple[int, int], ...]  # inclusive ranges of 2-digit division numbers


# Peraturan BPS 2/2020. Category titles as published; the divisions are those of ISIC Rev. 4,
# which KBLI 2020 follows at division level.
KBLI_2020 = (
    Category("A", "Pertanian, Kehutanan dan Perikanan", "Agriculture, forestry and fishing", ((1, 3),)),
    Category("B", "Pertambangan dan Penggalian", "Mining and quarrying", ((5, 9),)),
    Category("C", "Industri Pengolahan", "Manufacturing", ((10, 33),)),
    Category(
        "D",
        "Pengadaan Listrik, Gas, Uap/Air Panas dan Udara Dingin",
        "Electricity, gas, steam and air conditioning supply",
        ((35, 35),),
    ),
    Category(
        "E",
        "Treatment Air, Treatment Air Limbah, Treatment dan Pemulihan Material Sampah, "
        "dan Aktivitas Remediasi",
        "Water supply; sewerage, waste management and remediation activities",
        ((36, 39),),
    ),
    Category("F", "Konstruksi", "Construction", ((41, 43),)),
    Category(
        "G",
        "Perdagangan Besar dan Eceran; Reparasi dan Perawatan Mobil dan Sepeda Motor",
        "Wholesale and retail trade; repair of motor vehicles and motorcycles",
        ((45, 47),),
    ),
    Category("H", "Pengangkutan dan Pergudangan", "Transportation and storage", ((49, 53),)),
    Category(
        "I",
        "Penyediaan Akomodasi dan Penyediaan Makan Minum",
        "Accommodation and food service activities",
        ((55, 56),),
    ),
    Category("J", "Informasi dan Komunikasi", "Information and communication", ((58, 63),)),
    Category("K", "Aktivitas Keuangan dan Asuransi", "Financial and insurance activities", ((64, 66),)),
    Category("L", "Real Estat", "Real estate activities", ((68, 68),)),
    Category(
        "M",
        "Aktivitas Profesional, Ilmiah dan Teknis",
        "Professional, scientific and technical activities",
        ((69, 75),),
    ),
    Category(
        "N",
        "Aktivitas Penyewaan dan Sewa Guna Usaha Tanpa Hak Opsi, Ketenagakerjaan, Agen Perjalanan "
        "dan Penunjang Usaha Lainnya",
        "Administrative and support service activities",
        ((77, 82),),
    ),
    Category(
        "O",
        "Administrasi Pemerintahan, Pertahanan dan Jaminan Sosial Wajib",
        "Public administration and defence; compulsory social security",
        ((84, 84),),
    ),
    Category("P", "Pendidikan", "Education", ((85, 85),)),
    Category(
        "Q",
        "Aktivitas Kesehatan Manusia dan Aktivitas Sosial",
        "Human health and social work activities",
        ((86, 88),),
    ),
    Category("R", "Kesenian, Hiburan dan Rekreasi", "Arts, entertainment and recreation", ((90, 93),)),
    Category("S", "Aktivitas Jasa Lainnya", "Other service activities", ((94, 96),)),
    Category(
        "T",
        "Aktivitas Rumah Tangga sebagai Pemberi Kerja; Aktivitas yang Menghasilkan Barang dan Jasa "
        "oleh Rumah Tangga yang Digunakan untuk Memenuhi Kebutuhan Sendiri",
        "Activities of households as employers; undifferentiated goods- and services-producing "
        "activities of households for own use",
        ((97, 98),),
    ),
    Category(
        "U",
        "Aktivitas Badan Internasional dan Badan Ekstra Internasional Lainnya",
        "Activities of extraterritorial organizations and bodies",
        ((99, 99),),
    ),
)

# Peraturan BPS 7/2025, which adopts ISIC Rev. 5: the old J is split into J (publishing,
# broadcasting, content) and K (telecommunication, computing), so letters from K on shift by one.
# VERIFIED against the regulation's art. 3: letters A-V and the Indonesian titles A-J.
# NOT VERIFIED, taken from ISIC Rev. 5 pending a check against the regulation's annex: the
# Indonesian titles K-V, and the division ranges, notably G = 46-47 (ISIC Rev. 5 moved the
# motor-vehicle trade of old division 45 into 46-47 and its repair into 95).
KBLI_2025 = (
    Category("A", "Pertanian, Kehutanan, dan Perikanan", "Agriculture, forestry and fishing", ((1, 3),)),
    Category("B", "Pertambangan dan Penggalian", "Mining and quarrying", ((5, 9),)),
    Category("C", "Industri", "Manufacturing", ((10, 33),)),
    Category(
        "D",
        "Penyediaan Listrik, Gas, Uap/Air Panas, dan Udara Dingin",
        "Electricity, gas, steam and air conditioning supply",
        ((35, 35),),
    ),
    Category(
        "E",
        "Penyediaan Air, Pengelolaan Air Limbah, Penanganan Limbah, dan Remediasi",
        "Water supply; sewerage, waste management and remediation activities",
        ((36, 39),),
    ),
    Category("F", "Konstruksi", "Construction", ((41, 43),)),
    Category("G", "Perdagangan Besar dan Eceran", "Wholesale and retail trade", ((46, 47),)),
    Category("H", "Transportasi dan Penyimpanan", "Transportation and storage", ((49, 53),)),
    Category(
        "I",
        "Aktivitas Penyediaan Akomodasi dan Makan Minum",
        "Accommodation and food service activities",
        ((55, 56),),
    ),
    Category(
        "J",
        "Aktivitas Penerbitan, Penyiaran, serta Produksi dan Distribusi Konten",
        "Publishing, broadcasting, and content production and distribution activities",
        ((58, 60),),
    ),
    Category(
        "K",
        "Aktivitas Telekomunikasi, Pemrograman Komputer, Konsultansi, Infrastruktur Komputasi, "
        "dan Jasa Informasi Lainnya",
        "Telecommunication, computer programming, consultancy, computing infrastructure, "
        "and other information service activities",
        ((61, 63),),
    ),
    Category("L", "Aktivitas Keuangan dan Asuransi", "Financial and insurance activities", ((64, 66),)),
    Category("M", "Real Estat", "Real estate activities", ((68, 68),)),
    Category(
        "N",
        "Aktivitas Profesional, Ilmiah, dan Teknis",
        "Professional, scientific and technical activities",
        ((69, 75),),
    ),
    Category(
        "O",
        "Aktivitas Administratif dan Penunjang Usaha",
        "Administrative and support service activities",
        ((77, 82),),
    ),
    Category(
        "P",
        "Administrasi Pemerintahan, Pertahanan, dan Jaminan Sosial Wajib",
        "Public administration and defence; compulsory social security",
        ((84, 84),),
    ),
    Category("Q", "Pendidikan", "Education", ((85, 85),)),
    Category(
        "R",
        "Aktivitas Kesehatan Manusia dan Aktivitas Sosial",
        "Human health and social work activities",
        ((86, 88),),
    ),
    Category("S", "Kesenian, Olahraga, dan Rekreasi", "Arts, sports and recreation", ((90, 93),)),
    Category("T", "Aktivitas Jasa Lainnya", "Other service activities", ((94, 96),)),
    Category(
        "U",
        "Aktivitas Rumah Tangga sebagai Pemberi Kerja dan Aktivitas Rumah Tangga yang Menghasilkan "
        "Barang dan Jasa untuk Kebutuhan Sendiri",
        "Activities of households as employers; undifferentiated goods- and services-producing "
        "activities of households for own use",
        ((97, 98),),
    ),
    Category(
        "V",
        "Aktivitas Badan Internasional dan Badan Ekstra Internasional Lainnya",
        "Activities of extraterritorial organizations and bodies",
        ((99, 99),),
    ),
)

VERSIONS = {2020: KBLI_2020, 2025: KBLI_2025}


def _table(version: int) -> tuple[Category, ...]:
    try:
        return VERSIONS[version]
    except KeyError:
        raise NormalizationError(
            "kbli_version_unknown",
            _("KBLI %(version)s is not a supported version."),
            params={"version": version},
        ) from None


@cache
def _division_map(version: int) -> dict[str, Category]:
    return {
        f"{division:02d}": category
        for category in _table(version)
        for low, high in category.divisions
        for division in range(low, high + 1)
    }


def divisions(version: int) -> frozenset[str]:
    """The 2-digit divisions that exist in a KBLI version, e.g. "01", "47"."""
    return frozenset(_division_map(version))


def categories(version: int) -> tuple[Category, ...]:
    return _table(version)


def category_for(code: str, version: int) -> Category:
    """The category of a KBLI code (any length from the 2-digit division on)."""
    category = _division_map(version).get(code[:2])
    if category is None:
        raise NormalizationError(
            "kbli_division_unknown",
            _("Division %(division)s does not exist in KBLI %(version)s."),
            params={"division": code[:2], "version": version},
        )
    return category
