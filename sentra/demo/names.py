"""Indonesian personal names as they appear in a Kabupaten Bekasi register.

Bekasi is Betawi and Sundanese country with a large Javanese and mixed migrant population, so names
are drawn per person from one of those traditions. Most Indonesians have no family name; the few
clan or family names (Batak, Minang, Chinese-Indonesian) come from the "migrant" group.
"""

import random
from dataclasses import dataclass
from itertools import accumulate

SUNDANESE, BETAWI, JAVANESE, MIGRANT = "sunda", "betawi", "jawa", "migrant"
# Rough share of each tradition among SME owners in the regency.
TRADITIONS = ((SUNDANESE, 38), (BETAWI, 27), (JAVANESE, 27), (MIGRANT, 8))

GIVEN = {
    (SUNDANESE, "M"): (
        "Asep", "Dadang", "Deden", "Ujang", "Cecep", "Jajang", "Entis", "Usep", "Engkus", "Dede", "Yayan",
        "Wawan", "Agus", "Iwan", "Ade", "Ayi", "Dudi", "Encep", "Hendra", "Ridwan", "Rahmat", "Ruslan",
        "Yusuf", "Aep", "Ipan", "Oman", "Nanang", "Aceng", "Dani", "Rizal"
    ),
    (SUNDANESE, "F"): (
        "Euis", "Neneng", "Imas", "Iis", "Nining", "Enok", "Kokom", "Mimin", "Yati", "Tati", "Lilis", "Eti",
        "Cucu", "Nenden", "Rina", "Ai", "Dewi", "Siti", "Elis", "Teti", "Wulan", "Nia", "Ratna", "Ika",
        "Desi", "Yuyun", "Entin", "Popon", "Neng", "Nurul"
    ),
    (BETAWI, "M"): (
        "Muhammad", "Abdul", "Ahmad", "Haris", "Rojali", "Mamat", "Udin", "Sanusi", "Jaenudin", "Sarip",
        "Mukhlis", "Sahrul", "Rohman", "Maman", "Mansur", "Ali", "Husin", "Rohim", "Saman", "Ismail",
        "Komarudin", "Zainal", "Fikri", "Hasan", "Syaiful", "Rizky", "Ilham", "Fauzan", "Jamal", "Badru"
    ),
    (BETAWI, "F"): (
        "Siti", "Juleha", "Ijah", "Mumun", "Romlah", "Aminah", "Fatimah", "Halimah", "Maesaroh", "Khadijah",
        "Rohmah", "Saodah", "Zubaedah", "Munah", "Nurhasanah", "Hindun", "Marfuah", "Nori", "Mariam",
        "Rukiah", "Aisyah", "Nabila", "Salma", "Zahra", "Laila", "Nurjanah", "Sarah", "Hasanah", "Umi",
        "Rahma"
    ),
    (JAVANESE, "M"): (
        "Slamet", "Sutrisno", "Joko", "Bambang", "Wahyu", "Eko", "Budi", "Heri", "Sugeng", "Teguh", "Agung",
        "Dwi", "Tri", "Bayu", "Purnomo", "Suparman", "Daryanto", "Sugianto", "Wawan", "Arif", "Fajar",
        "Dimas", "Galih", "Yoga", "Anton", "Rudi", "Priyo", "Harjo", "Setyo", "Widodo"
    ),
    (JAVANESE, "F"): (
        "Sri", "Sumiati", "Suryani", "Lestari", "Endang", "Tuti", "Rini", "Yuli", "Wati", "Puji", "Ani",
        "Nani", "Ayu", "Indah", "Fitri", "Putri", "Dwi", "Retno", "Sulastri", "Wahyuni", "Kartini", "Tri",
        "Dyah", "Nur", "Ratih", "Sekar", "Anisa", "Rahayu", "Winarti", "Sumarni"
    ),
    (MIGRANT, "M"): (
        "Rudi", "Hendra", "Andi", "Roy", "Jefri", "Doni", "Daniel", "Yohanes", "Benny", "Fadli", "Irfan",
        "Rian", "Kevin", "Hans", "Ferry", "Marlon", "Arman", "Syahril", "Robert", "Yudi"
    ),
    (MIGRANT, "F"): (
        "Rina", "Maria", "Yohana", "Lina", "Sonia", "Grace", "Rosa", "Melati", "Fitria", "Yanti", "Susanti",
        "Debora", "Friska", "Nova", "Liza", "Yenni", "Riris", "Meliana", "Vera", "Cindy"
    ),
}  # fmt: skip

SECOND = {
    (SUNDANESE, "M"): (
        "Saepudin", "Hidayat", "Suryana", "Sobari", "Sulaeman", "Kusnadi", "Mulyana", "Ramdani", "Permana",
        "Nugraha", "Sudrajat", "Rustandi", "Gunawan", "Hermawan", "Firmansyah", "Supriadi", "Rohendi",
        "Sopian", "Kurnia", "Mulyadi"
    ),
    (SUNDANESE, "F"): (
        "Rostika", "Komalasari", "Kurniasih", "Nurhayati", "Rohaeti", "Suryani", "Mulyani", "Herawati",
        "Nurlela", "Sumiati", "Rahmawati", "Juariah", "Nuraeni", "Rosmiati", "Fitriani", "Yuliani",
        "Sukaesih", "Dewi", "Hasanah", "Aisah"
    ),
    (BETAWI, "M"): (
        "Ridwan", "Rojak", "Hidayatullah", "Syarifudin", "Hasanudin", "Nurdin", "Fauzi", "Hakim", "Maulana",
        "Sholeh", "Mahmud", "Rasyid", "Ramli", "Salim", "Rahman", "Syahputra", "Zakaria", "Kholil", "Irfan",
        "Bahri"
    ),
    (BETAWI, "F"): (
        "Nurjanah", "Maryam", "Aisyah", "Zahro", "Fauziah", "Hasanah", "Rohimah", "Sholihah", "Mardiyah",
        "Nurlaela", "Azizah", "Rahmah", "Safitri", "Latifah", "Munawaroh", "Hamidah", "Ulfah", "Zakiah",
        "Rofiah", "Umayah"
    ),
    (JAVANESE, "M"): (
        "Santoso", "Wibowo", "Prasetyo", "Susanto", "Setiawan", "Saputra", "Kurniawan", "Hartono",
        "Nugroho", "Wijayanto", "Suprapto", "Sutrisno", "Haryanto", "Purwanto", "Sulistyo", "Rahardjo",
        "Utomo", "Pamungkas", "Handoko", "Riyadi"
    ),
    (JAVANESE, "F"): (
        "Rahayu", "Lestari", "Wulandari", "Handayani", "Purwanti", "Setiawati", "Susilawati", "Ningsih",
        "Pertiwi", "Anggraeni", "Widayati", "Kusumawati", "Hastuti", "Utami", "Sulistyowati",
        "Wahyuningsih", "Mulyaningsih", "Pratiwi", "Saraswati", "Astuti"
    ),
}  # fmt: skip

# Family and clan names that stay with a person in migrant families settled in Bekasi.
FAMILY = (
    "Simanjuntak", "Siregar", "Nasution", "Harahap", "Lubis", "Sitompul", "Hutapea", "Panjaitan",
    "Situmorang", "Sinaga", "Manurung", "Tambunan", "Chaniago", "Tanjung", "Koto", "Wijaya",
    "Tanuwijaya", "Halim", "Santoso", "Pangemanan", "Lumban Gaol", "Sembiring", "Ginting", "Tarigan"
)  # fmt: skip

# How the neighbourhood addresses a business owner, which often becomes part of the business name.
HONORIFICS = {
    (SUNDANESE, "M"): ("Kang", "Mang", "Pak", "Abah"),
    (SUNDANESE, "F"): ("Teh", "Ceu", "Bu", "Ambu"),
    (BETAWI, "M"): ("Bang", "Pak", "Babeh", "Haji"),
    (BETAWI, "F"): ("Mpok", "Bu", "Nyak", "Hajah"),
    (JAVANESE, "M"): ("Pak", "Mas", "Cak", "Pakde"),
    (JAVANESE, "F"): ("Bu", "Mbak", "Mbok", "Bude"),
    (MIGRANT, "M"): ("Pak", "Bang", "Om"),
    (MIGRANT, "F"): ("Bu", "Kak", "Tante"),
}


@dataclass(frozen=True)
class Person:
    name: str
    gender: str  # "M" or "F", as Owner.gender
    tradition: str
    # The short form neighbours use ("Siti", "Asep"), for names like "Keripik Bu Siti".
    nickname: str
    honorific: str


_TRADITION_NAMES = [name for name, _share in TRADITIONS]
_TRADITION_CUMULATIVE = list(accumulate(share for _name, share in TRADITIONS))


def pick_tradition(rng: random.Random) -> str:
    return rng.choices(_TRADITION_NAMES, cum_weights=_TRADITION_CUMULATIVE)[0]


def make_person(rng: random.Random, *, gender: str | None = None) -> Person:
    gender = gender or ("F" if rng.random() < 0.6 else "M")
    tradition = pick_tradition(rng)
    given = rng.choice(GIVEN[tradition, gender])
    if tradition == MIGRANT:
        parts = [given, rng.choice(FAMILY)]
    else:
        parts = [given, rng.choice(SECOND[tradition, gender])]
        # Many Sundanese and Betawi names have three parts; a few Javanese have only one.
        if tradition in (SUNDANESE, BETAWI) and rng.random() < 0.2:
            middle = rng.choice(GIVEN[tradition, gender])
            if middle != given:
                parts.insert(1, middle)
        elif tradition == JAVANESE and rng.random() < 0.08:
            parts = [given + rng.choice(("yanto", "wati" if gender == "F" else "yono"))]
    if len(parts) > 1 and parts[0] == parts[-1]:
        parts.pop()
    return Person(
        name=" ".join(parts),
        gender=gender,
        tradition=tradition,
        nickname=given,
        honorific=rng.choice(HONORIFICS[tradition, gender]),
    )
