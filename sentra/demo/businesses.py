"""The kinds of business the demo registry holds, each with its real KBLI 2020 code.

A kind ties together what a row says about one business: its KBLI code, the activity and products an
officer would write down, how such businesses are usually named, which permits they tend to hold and
how much capital they usually run on. Weights follow the shape of a regency register: mostly home
food industries, food stalls and small shops, then tailoring, crafts and services.
"""

from dataclasses import dataclass

# Where a kind of business is found. Coastal: the fishing villages on the Java Sea; rural: the rice
# and farming kecamatan of the north and east; urban: the industrial and housing belt along the toll road.
ANY, COASTAL, RURAL, URBAN = "any", "coastal", "rural", "urban"


@dataclass(frozen=True)
class BusinessKind:
    kbli: str
    activity: str
    # Products as an officer lists them; the first one or two name the business.
    products: tuple[str, ...]
    # Name patterns: {p} product, {n} owner's nickname, {h} honorific, {b} brand word, {d} desa.
    names: tuple[str, ...]
    weight: int
    capital: int  # typical capital (Rp), the median of a skewed spread
    sales_ratio: float  # yearly sales as a multiple of capital
    home_food: bool = False  # processed at home: P-IRT and halal certificates apply
    halal: bool = False
    bpom: str = ""  # "MD" processed food, "NA" cosmetics: only the larger producers register
    where: str = ANY
    can_grow: bool = True  # whether some of them reach small or medium scale


def _p(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split("|"))


KINDS: tuple[BusinessKind, ...] = (
    BusinessKind(
        "10794", "Produksi keripik, kerupuk dan rempeyek",
        _p("Keripik Singkong|Keripik Pisang|Kerupuk Udang|Rempeyek Kacang|Keripik Tempe|Rengginang|Kerupuk Kulit"),
        _p("{p} {h} {n}|{p} {b}|{p} {n}|Aneka Keripik {b}|Kerupuk {b}"),
        120, 15_000_000, 4.0, home_food=True, halal=True, bpom="MD",
    ),
    BusinessKind(
        "10792", "Pembuatan kue basah dan jajanan pasar",
        _p("Kue Basah|Kue Lapis|Nagasari|Kue Cucur|Lemper|Bika Ambon|Putu Ayu|Klepon"),
        _p("Kue Basah {h} {n}|Jajanan Pasar {b}|Aneka Kue {h} {n}|Dapur {h} {n}"),
        80, 8_000_000, 5.0, home_food=True, halal=True,
    ),
    BusinessKind(
        "10710", "Produksi roti dan kue kering",
        _p("Roti Manis|Kue Kering|Nastar|Kastengel|Bolu Pandan|Brownies|Roti Sobek"),
        _p("Roti {b}|Bakery {n}|Kue Kering {h} {n}|{b} Bakery|Bolu {b}"),
        60, 25_000_000, 3.5, home_food=True, halal=True, bpom="MD",
    ),
    BusinessKind(
        "10796", "Pembuatan dodol khas Betawi",
        _p("Dodol Betawi|Dodol Durian|Dodol Ketan|Wajik|Geplak"),
        _p("Dodol Betawi {h} {n}|Dodol {b}|Dodol {n}"),
        25, 12_000_000, 3.0, home_food=True, halal=True,
    ),
    BusinessKind(
        "10391", "Produksi tempe kedelai",
        _p("Tempe Kedelai|Tempe Bungkus Daun|Tempe Mendoan"),
        _p("Tempe {n}|Pengrajin Tempe {h} {n}|Tempe {b}"),
        30, 10_000_000, 6.0, home_food=True, halal=True,
    ),
    BusinessKind(
        "10392", "Produksi tahu kedelai",
        _p("Tahu Putih|Tahu Kuning|Tahu Sumedang|Tahu Bulat"),
        _p("Pabrik Tahu {h} {n}|Tahu {b}|Tahu {n}"),
        25, 30_000_000, 4.0, home_food=True, halal=True,
    ),
    BusinessKind(
        "10772", "Pembuatan sambal dan bumbu masak",
        _p("Sambal Bawang|Sambal Cumi|Bumbu Pecel|Sambal Roa|Bumbu Rendang|Sambal Terasi"),
        _p("Sambal {h} {n}|{p} {b}|Dapur Sambal {n}|Bumbu {b}"),
        40, 10_000_000, 4.0, home_food=True, halal=True, bpom="MD",
    ),
    BusinessKind(
        "10750", "Produksi makanan beku dan masakan olahan",
        _p("Dimsum|Nugget Ayam|Risoles Beku|Siomay|Pempek|Bakso Sapi|Sosis Ayam"),
        _p("Frozen Food {b}|{p} {h} {n}|Dapur {b}|{p} {b}"),
        45, 20_000_000, 4.0, home_food=True, halal=True, bpom="MD",
    ),
    BusinessKind(
        "10130", "Pengolahan abon dan dendeng",
        _p("Abon Sapi|Abon Ayam|Dendeng Sapi|Rendang Kemasan"),
        _p("Abon {b}|{p} {h} {n}|Olahan Daging {b}"),
        12, 35_000_000, 3.0, home_food=True, halal=True, bpom="MD",
    ),
    BusinessKind(
        "10211", "Penggaraman dan pengeringan ikan",
        _p("Ikan Asin Jambal|Ikan Teri Asin|Ikan Asin Peda|Cumi Asin"),
        _p("Ikan Asin {h} {n}|Ikan Asin {d}|Olahan Ikan {b}"),
        18, 12_000_000, 4.0, home_food=True, halal=True, where=COASTAL,
    ),
    BusinessKind(
        "10214", "Pemindangan dan presto ikan bandeng",
        _p("Bandeng Presto|Pindang Bandeng|Otak-otak Bandeng|Bandeng Asap"),
        _p("Bandeng Presto {h} {n}|Bandeng {b}|Bandeng {d}"),
        14, 15_000_000, 4.0, home_food=True, halal=True, where=COASTAL,
    ),
    BusinessKind(
        "10295", "Pembuatan terasi udang",
        _p("Terasi Udang|Udang Rebon Kering|Petis Udang"),
        _p("Terasi {d}|Terasi {h} {n}|Terasi {b}"),
        8, 8_000_000, 3.5, home_food=True, halal=True, where=COASTAL,
    ),
    BusinessKind(
        "10733", "Pembuatan manisan buah",
        _p("Manisan Pala|Manisan Mangga|Manisan Salak|Manisan Kolang-kaling"),
        _p("Manisan {b}|Manisan {h} {n}"),
        10, 8_000_000, 3.0, home_food=True, halal=True,
    ),
    BusinessKind(
        "10761", "Penyangraian dan penggilingan kopi",
        _p("Kopi Bubuk Robusta|Kopi Arabika Sangrai|Kopi Jahe|Kopi Gula Aren"),
        _p("Kopi {b}|Kopi Bubuk {n}|{b} Coffee Roastery"),
        12, 40_000_000, 2.5, home_food=True, halal=True, bpom="MD",
    ),
    BusinessKind(
        "11052", "Depot air minum isi ulang",
        _p("Air Minum Isi Ulang|Air RO|Galon Isi Ulang"),
        _p("Depot Air Minum {b}|Depot Air {b} {d}|Air Isi Ulang {n}"),
        35, 45_000_000, 2.0, can_grow=False,
    ),
    BusinessKind(
        "56102", "Warung makan",
        _p("Nasi Uduk|Nasi Rames|Soto Betawi|Pecel Lele|Nasi Padang|Gado-gado|Ketoprak|Sayur Asem"),
        _p("Warung Nasi {h} {n}|Warteg {b}|{p} {h} {n}|Rumah Makan {b}|Warung {h} {n}|{p} {b}"),
        130, 20_000_000, 5.0, halal=True,
    ),
    BusinessKind(
        "56103", "Kedai makanan",
        _p("Bakso|Mie Ayam|Seblak|Martabak Manis|Martabak Telur|Cilok|Batagor|Ayam Geprek"),
        _p("{p} {h} {n}|{p} {b}|Kedai {p} {n}|{p} Mantap {d}"),
        110, 12_000_000, 5.5, halal=True,
    ),
    BusinessKind(
        "56303", "Kedai kopi dan minuman",
        _p("Kopi Susu|Es Kopi Gula Aren|Teh Tarik|Kopi Tubruk|Roti Bakar"),
        _p("Kedai Kopi {b}|Kopi {n}|Warkop {h} {n}|{b} Coffee|Kopi {d}"),
        55, 35_000_000, 3.5, halal=True,
    ),
    BusinessKind(
        "56304", "Kedai minuman",
        _p("Es Teh Jumbo|Jus Buah|Es Kelapa Muda|Es Cincau|Es Doger|Boba"),
        _p("{p} {h} {n}|{p} {b}|Kedai {p} {n}"),
        45, 6_000_000, 6.0, halal=True, can_grow=False,
    ),
    BusinessKind(
        "56210", "Jasa boga untuk acara",
        _p("Nasi Kotak|Tumpeng|Prasmanan|Snack Box|Nasi Liwet"),
        _p("Catering {h} {n}|Katering {b}|Dapur {b} Catering|Aqiqah dan Catering {b}"),
        35, 30_000_000, 4.0, halal=True,
    ),
    BusinessKind(
        "14120", "Penjahitan pakaian sesuai pesanan",
        _p("Jahit Kebaya|Jahit Seragam Sekolah|Gamis|Kemeja|Permak Celana"),
        _p("Penjahit {n}|Modiste {h} {n}|Taylor {b}|Jahit {b}"),
        60, 8_000_000, 3.5,
    ),
    BusinessKind(
        "14111", "Konveksi pakaian jadi",
        _p("Kaos Sablon|Seragam Kerja|Gamis|Mukena|Hijab|Kemeja Batik"),
        _p("Konveksi {b}|Konveksi {n}|{b} Garment|Busana Muslim {b}"),
        40, 60_000_000, 3.0,
    ),
    BusinessKind(
        "14302", "Bordir dan sulaman pakaian",
        _p("Bordir Komputer|Kerudung Bordir|Mukena Bordir|Bordir Logo Seragam"),
        _p("Bordir {b}|Bordir {h} {n}|{b} Bordir"),
        15, 25_000_000, 3.0,
    ),
    BusinessKind(
        "13134", "Pembuatan batik tulis dan cap",
        _p("Batik Tulis|Batik Cap|Kain Batik Bekasi|Kemeja Batik"),
        _p("Batik Bekasi {b}|Batik {n}|Sanggar Batik {b}|Batik {d}"),
        12, 30_000_000, 2.5,
    ),
    BusinessKind(
        "15121", "Pembuatan tas dan dompet kulit",
        _p("Tas Kulit|Dompet Kulit|Ikat Pinggang|Tas Rajut"),
        _p("{b} Leather|Tas {b}|Kerajinan Kulit {n}"),
        10, 40_000_000, 2.5,
    ),
    BusinessKind(
        "15201", "Pembuatan sandal dan sepatu",
        _p("Sandal Jepit|Sandal Hotel|Sepatu Sekolah|Sandal Kulit"),
        _p("Sandal {b}|Sepatu {b}|Alas Kaki {n}"),
        8, 35_000_000, 3.0,
    ),
    BusinessKind(
        "16292", "Anyaman eceng gondok dan pandan",
        _p("Tas Anyaman|Keranjang Eceng Gondok|Tikar Pandan|Kotak Hantaran"),
        _p("Anyaman {b}|Kerajinan Eceng Gondok {d}|Anyaman {h} {n}"),
        10, 6_000_000, 3.0, where=RURAL,
    ),
    BusinessKind(
        "16293", "Kerajinan ukiran kayu",
        _p("Hiasan Dinding Kayu|Miniatur Perahu|Ukiran Kaligrafi|Souvenir Kayu"),
        _p("Ukiran {b}|Kerajinan Kayu {n}|Galeri Ukir {b}"),
        6, 15_000_000, 2.5,
    ),
    BusinessKind(
        "32903", "Kerajinan tangan dan suvenir",
        _p("Souvenir Pernikahan|Bunga Flanel|Boneka Ondel-ondel|Gantungan Kunci|Kerajinan Manik"),
        _p("Kerajinan {b}|Craft {n}|Souvenir {b}|Ondel-ondel Mini {n}"),
        20, 7_000_000, 3.0,
    ),
    BusinessKind(
        "31001", "Pembuatan mebel kayu",
        _p("Lemari Kayu|Meja Makan|Kursi Tamu|Kusen Pintu|Tempat Tidur"),
        _p("Mebel {b}|Meubel Jati {b}|Furniture {n}|Mebel {h} {n}"),
        20, 80_000_000, 2.0,
    ),
    BusinessKind(
        "31002", "Pembuatan mebel rotan dan bambu",
        _p("Kursi Rotan|Meja Bambu|Rak Bambu|Saung Bambu"),
        _p("Mebel Rotan {b}|Bambu {b}|Rotan {n}"),
        6, 25_000_000, 2.0, where=RURAL,
    ),
    BusinessKind(
        "20232", "Pembuatan sabun dan kosmetik herbal",
        _p("Sabun Herbal|Lulur|Minyak Rambut|Body Lotion"),
        _p("{b} Herbal|Sabun {b}|{b} Natural Care"),
        8, 30_000_000, 3.0, halal=True, bpom="NA",
    ),
    BusinessKind(
        "47112", "Toko sembako dan kelontong",
        _p("Beras|Minyak Goreng|Gula Pasir|Telur|Gas Elpiji|Sembako"),
        _p("Toko Sembako {b}|Warung {h} {n}|Toko {n}|Toko {b}|Agen Sembako {b}"),
        140, 25_000_000, 8.0,
    ),
    BusinessKind(
        "47711", "Toko pakaian",
        _p("Baju Muslim|Pakaian Anak|Kerudung|Pakaian Wanita|Seragam Sekolah"),
        _p("Toko Baju {b}|Butik {n}|{b} Collection|Galeri Busana {b}"),
        35, 35_000_000, 4.0,
    ),
    BusinessKind(
        "47911", "Penjualan makanan dan minuman secara daring",
        _p("Frozen Food|Camilan|Kue Kering|Minuman Kemasan|Sambal"),
        _p("{b} Online Shop|Jajan {n}|{b} Snack"),
        30, 8_000_000, 5.0, halal=True,
    ),
    BusinessKind(
        "47723", "Penjualan jamu dan obat tradisional",
        _p("Jamu Kunyit Asam|Beras Kencur|Jamu Pegal Linu|Wedang Jahe"),
        _p("Jamu {h} {n}|Jamu Gendong {h} {n}|Jamu {b}"),
        15, 3_000_000, 6.0, can_grow=False,
    ),
    BusinessKind(
        "96200", "Jasa laundry kiloan",
        _p("Cuci Kiloan|Cuci Setrika|Laundry Sepatu|Cuci Karpet"),
        _p("Laundry {b}|{b} Laundry Kiloan|{n} Laundry|Laundry {d}"),
        60, 20_000_000, 2.5, where=URBAN,
    ),
    BusinessKind(
        "96112", "Salon kecantikan",
        _p("Potong Rambut|Creambath|Rias Pengantin|Facial|Smoothing"),
        _p("Salon {n}|{b} Salon|Rias Pengantin {h} {n}|Salon Muslimah {b}"),
        30, 15_000_000, 3.0, can_grow=False,
    ),
    BusinessKind(
        "96111", "Pangkas rambut",
        _p("Potong Rambut Pria|Cukur Jenggot|Pangkas Anak"),
        _p("Pangkas Rambut {b}|Barbershop {n}|Cukur {b}"),
        20, 8_000_000, 3.0, can_grow=False,
    ),
    BusinessKind(
        "95120", "Servis telepon seluler",
        _p("Servis HP|Ganti LCD|Aksesoris HP|Pulsa dan Kuota"),
        _p("Servis HP {b}|{b} Cell|{n} Ponsel"),
        25, 15_000_000, 3.5, where=URBAN, can_grow=False,
    ),
    BusinessKind(
        "18111", "Percetakan dan sablon",
        _p("Undangan|Spanduk|Kartu Nama|Stiker|Kalender"),
        _p("Percetakan {b}|{b} Printing|Digital Printing {n}"),
        18, 50_000_000, 2.5, where=URBAN,
    ),
    BusinessKind(
        "01464", "Budidaya ayam kampung",
        _p("Ayam Kampung|Telur Ayam Kampung|DOC Ayam Kampung"),
        _p("Ternak Ayam {b}|Peternakan {h} {n}|Ayam Kampung {d}"),
        15, 20_000_000, 2.5, where=RURAL,
    ),
    BusinessKind(
        "01136", "Budidaya jamur tiram",
        _p("Jamur Tiram|Baglog Jamur|Keripik Jamur"),
        _p("Jamur Tiram {b}|Kumbung Jamur {n}|Jamur {d}"),
        10, 12_000_000, 2.5, where=RURAL,
    ),
)  # fmt: skip

# Words Indonesians use in business and brand names: wishes for blessing, growth and taste.
BRAND_WORDS = (
    "Sari Rasa", "Mekar Jaya", "Berkah", "Barokah", "Rizki", "Sumber Rejeki", "Cahaya", "Lestari",
    "Putri", "Juara", "Nikmat", "Sejahtera", "Makmur", "Jaya Abadi", "Sinar Harapan",
    "Karya Mandiri", "Bintang", "Harapan Baru", "Maju Jaya", "Amanah", "Al-Hidayah", "Bunda",
    "Dapur Ibu", "Citra", "Mulia", "Sehati", "Kencana", "Permata", "Anugrah", "Sentosa", "Kharisma",
    "Baraya", "Mandiri", "Sakinah", "Wangi", "Galuh", "Pusaka", "Raos", "Kite", "Sahabat",
    "Pelangi", "Melati", "Mawar", "Kenanga", "Nusantara", "Sumber Alam", "Tunas Muda", "Rahayu",
    "Dua Putri", "Tiga Saudara", "Abadi", "Sukses", "Jaya Makmur", "Alam Sari", "Berkah Ilahi",
    "Insan Mulia", "Nur Ilahi", "Mitra Usaha", "Bina Karya", "Sri Rejeki", "Gemilang", "Mustika",
    "Primadona"
)  # fmt: skip
