"""Demo export facilitation: foreign buyers, purchase orders shipped abroad, sales to Bali.

The department's sentence "almost 74 SME products have gone international" becomes records: by the
end of 2024 exactly 74 distinct products have left on recorded shipments (first shipments spread over
2021–2024), more follow in 2025–2026, some products are ordered again (shipped twice, counted once),
several SMEs export two or three products (each counted), Japan is the largest destination, some
shipments had customs' or the Dinas's facilitation. Deals still open sit at each stage, and SMEs sell
to souvenir shops in Bali. Everything goes through the export services, as an officer would record it.

It uses the export-ready products already in the catalogue (the catalogue's own demo data) and creates,
through `sentra.catalog.services.create_product`, the export-ready products still needed. A database
that already holds the demo buyers' deals is left alone: a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.catalog.models import Category, Product
from sentra.catalog.services import create_product
from sentra.exports import currencies, services
from sentra.exports.models import ForeignBuyer, PurchaseOrder
from sentra.registry.models import Sme

from .users import CIKARANG_UTARA

BY_END_OF_2024 = 74
# First shipments per year: 74 by the end of 2024, then more.
FIRST_SHIPMENTS = {2021: 8, 2022: 14, 2023: 22, 2024: 30, 2025: 8, 2026: 4}
REPEAT_ORDERS = 10  # products ordered and shipped again in a later year
OPEN_DEALS = 9  # products in deals not yet shipped

# (company, country, city, currency, contact name, position, weight of its share of orders)
BUYERS = [
    ("Osaka Shokuhin Trading Co., Ltd.", "JP", "Osaka", "JPY", "Haruto Sato", "Purchasing manager", 6),
    ("Nihon Asia Craft K.K.", "JP", "Tokyo", "JPY", "Yui Takahashi", "Buyer", 4),
    ("Fukuoka Halal Foods", "JP", "Fukuoka", "JPY", "Kenji Watanabe", "Director", 3),
    ("Syarikat Rasa Nusantara Sdn. Bhd.", "MY", "Kuala Lumpur", "MYR", "Nurul Aisyah binti Rahman", "Procurement", 4),
    ("Penang Heritage Goods Sdn. Bhd.", "MY", "George Town", "MYR", "Lim Wei Jie", "Owner", 2),
    ("Lion City Provisions Pte. Ltd.", "SG", "Singapore", "SGD", "Tan Mei Ling", "Category manager", 3),
    ("Al-Madinah Food Trading Est.", "SA", "Jeddah", "SAR", "Abdullah Al-Harbi", "General manager", 3),
    ("Holland Indo Import B.V.", "NL", "Rotterdam", "EUR", "Sanne de Vries", "Import manager", 2),
    ("Pacific Batik House LLC", "US", "Los Angeles", "USD", "Maria Santos", "Buyer", 2),
    ("Gulf Home Living FZE", "AE", "Dubai", "USD", "Omar Haddad", "Sourcing lead", 1),
    ("Seoul Tropical Mart Co.", "KR", "Seoul", "KRW", "Kim Ji-woo", "Buyer", 1),
    ("Sydney Island Traders Pty Ltd", "AU", "Sydney", "AUD", "Olivia Brown", "Director", 1),
]  # fmt: skip
# Demo exchange rates (Rupiah per unit, roughly the year's average; not official figures).
RATES = {
    "JPY": {2021: "130.40", 2022: "114.20", 2023: "110.10", 2024: "104.80", 2025: "108.30", 2026: "110.50"},
    "USD": {2021: "14310", 2022: "14850", 2023: "15240", 2024: "15850", 2025: "16300", 2026: "16600"},
    "MYR": {2021: "3450", 2022: "3380", 2023: "3350", 2024: "3460", 2025: "3650", 2026: "3720"},
    "SGD": {2021: "10640", 2022: "10770", 2023: "11330", 2024: "11850", 2025: "12400", 2026: "12600"},
    "SAR": {2021: "3815", 2022: "3955", 2023: "4060", 2024: "4225", 2025: "4345", 2026: "4425"},
    "EUR": {2021: "16920", 2022: "15630", 2023: "16480", 2024: "17150", 2025: "18000", 2026: "18400"},
    "KRW": {2021: "12.51", 2022: "11.50", 2023: "11.68", 2024: "11.62", 2025: "11.45", 2026: "11.60"},
    "AUD": {2021: "10750", 2022: "10300", 2023: "10120", 2024: "10450", 2025: "10500", 2026: "10800"},
}
# The kinds of business whose products travel, by KBLI code: (category slug, Rupiah price, unit,
# quantity range of an export order). A demo SME of such a kind exports what its registry record
# says it makes.
EXPORTING_KINDS = {
    "10794": ("makanan-ringan", 15000, "pack", (800, 3000)),
    "10710": ("kue-dan-roti", 35000, "box", (300, 1500)),
    "10796": ("kue-dan-roti", 30000, "box", (300, 1500)),
    "10772": ("makanan-olahan", 25000, "bottle", (500, 2400)),
    "10130": ("makanan-olahan", 65000, "pack", (200, 900)),
    "10214": ("hasil-tani-dan-ikan", 40000, "pack", (300, 1500)),
    "10733": ("makanan-olahan", 30000, "pack", (300, 1500)),
    "10761": ("minuman", 45000, "pack", (400, 2000)),
    "10391": ("makanan-olahan", 12000, "pack", (500, 3000)),
    "10750": ("makanan-olahan", 45000, "pack", (300, 2000)),
    "10211": ("hasil-tani-dan-ikan", 55000, "pack", (200, 1200)),
    "10295": ("makanan-olahan", 20000, "pack", (300, 2000)),
    "13134": ("batik-dan-kain", 250000, "pcs", (20, 200)),
    "14111": ("busana-dan-aksesori", 120000, "pcs", (100, 800)),
    "14302": ("busana-dan-aksesori", 150000, "pcs", (50, 400)),
    "15121": ("busana-dan-aksesori", 175000, "pcs", (50, 300)),
    "15201": ("busana-dan-aksesori", 60000, "pair", (200, 1500)),
    "16292": ("kerajinan-tangan", 85000, "pcs", (100, 600)),
    "16293": ("kerajinan-tangan", 150000, "pcs", (30, 200)),
    "32903": ("kerajinan-tangan", 45000, "pcs", (200, 1500)),
    "31001": ("mebel-dan-dekorasi", 1500000, "pcs", (10, 60)),
    "31002": ("mebel-dan-dekorasi", 450000, "pcs", (20, 150)),
    "20232": ("kosmetik-dan-perawatan", 25000, "pcs", (500, 3000)),
}
VARIANTS = (
    "Premium",
    "Kemasan Ekspor",
    "Edisi Khusus",
    "Ukuran Besar",
    "Mini",
    "Organik",
    "Hampers",
    "Klasik",
)
VARIANTS_EN = ("Premium", "Export Pack", "Special Edition", "Large", "Mini", "Organic", "Gift Set", "Classic")
ENGLISH = {
    "Keripik Singkong": "Cassava Chips", "Keripik Pisang": "Banana Chips", "Kerupuk Udang": "Prawn Crackers",
    "Rempeyek Kacang": "Peanut Crackers", "Keripik Tempe": "Tempeh Chips", "Rengginang": "Rice Crackers",
    "Kerupuk Kulit": "Beef Skin Crackers", "Roti Manis": "Sweet Bread", "Kue Kering": "Cookies",
    "Nastar": "Pineapple Tarts", "Kastengel": "Cheese Sticks", "Bolu Pandan": "Pandan Sponge Cake",
    "Brownies": "Brownies", "Roti Sobek": "Pull-apart Bread", "Dodol Betawi": "Betawi Dodol Sweets",
    "Dodol Durian": "Durian Dodol", "Dodol Ketan": "Sticky Rice Dodol", "Wajik": "Wajik Rice Cake",
    "Geplak": "Coconut Geplak", "Sambal Bawang": "Shallot Chili Sauce", "Sambal Cumi": "Squid Chili Relish",
    "Bumbu Pecel": "Pecel Peanut Sauce", "Sambal Roa": "Smoked Fish Chili Relish",
    "Bumbu Rendang": "Rendang Spice Paste", "Sambal Terasi": "Shrimp Paste Chili Sauce",
    "Abon Sapi": "Beef Floss", "Abon Ayam": "Chicken Floss", "Dendeng Sapi": "Beef Jerky",
    "Rendang Kemasan": "Packed Rendang", "Bandeng Presto": "Pressure-cooked Milkfish",
    "Pindang Bandeng": "Spiced Milkfish", "Otak-otak Bandeng": "Milkfish Otak-otak",
    "Bandeng Asap": "Smoked Milkfish", "Manisan Pala": "Candied Nutmeg", "Manisan Mangga": "Candied Mango",
    "Manisan Salak": "Candied Snake Fruit", "Manisan Kolang-kaling": "Candied Palm Fruit",
    "Kopi Bubuk Robusta": "Ground Robusta Coffee", "Kopi Arabika Sangrai": "Roasted Arabica Coffee",
    "Kopi Jahe": "Ginger Coffee", "Kopi Gula Aren": "Palm Sugar Coffee", "Batik Tulis": "Hand-drawn Batik",
    "Batik Cap": "Stamped Batik", "Kain Batik Bekasi": "Bekasi Batik Cloth", "Kemeja Batik": "Batik Shirt",
    "Kaos Sablon": "Screen-printed T-shirt", "Seragam Kerja": "Work Uniform", "Gamis": "Gamis Dress",
    "Mukena": "Prayer Robe (Mukena)", "Hijab": "Hijab", "Bordir Komputer": "Machine Embroidery",
    "Kerudung Bordir": "Embroidered Veil", "Mukena Bordir": "Embroidered Mukena",
    "Bordir Logo Seragam": "Embroidered Uniform Badges", "Tas Kulit": "Leather Bag",
    "Dompet Kulit": "Leather Wallet", "Ikat Pinggang": "Leather Belt", "Tas Rajut": "Knitted Bag",
    "Sandal Jepit": "Flip-flops", "Sandal Hotel": "Hotel Slippers", "Sepatu Sekolah": "School Shoes",
    "Sandal Kulit": "Leather Sandals", "Tas Anyaman": "Woven Bag", "Keranjang Eceng Gondok": "Water Hyacinth Basket",
    "Tikar Pandan": "Pandan Mat", "Kotak Hantaran": "Woven Gift Box", "Hiasan Dinding Kayu": "Wooden Wall Decor",
    "Miniatur Perahu": "Wooden Boat Miniature", "Ukiran Kaligrafi": "Carved Calligraphy",
    "Souvenir Kayu": "Wooden Souvenir", "Souvenir Pernikahan": "Wedding Souvenirs", "Bunga Flanel": "Felt Flowers",
    "Boneka Ondel-ondel": "Ondel-ondel Doll", "Gantungan Kunci": "Key Rings", "Kerajinan Manik": "Beadwork",
    "Lemari Kayu": "Wooden Wardrobe", "Meja Makan": "Dining Table", "Kursi Tamu": "Living Room Chairs",
    "Kusen Pintu": "Door Frames", "Tempat Tidur": "Bed Frame", "Kursi Rotan": "Rattan Chair",
    "Meja Bambu": "Bamboo Table", "Rak Bambu": "Bamboo Shelf", "Saung Bambu": "Bamboo Gazebo",
    "Tempe Kedelai": "Soybean Tempeh", "Tempe Bungkus Daun": "Leaf-wrapped Tempeh", "Tempe Mendoan": "Tempeh Mendoan",
    "Dimsum": "Dim Sum", "Nugget Ayam": "Chicken Nuggets", "Risoles Beku": "Frozen Risoles", "Siomay": "Siomay Dumplings",
    "Pempek": "Pempek Fish Cakes", "Bakso Sapi": "Beef Meatballs", "Sosis Ayam": "Chicken Sausages",
    "Ikan Asin Jambal": "Salted Jambal Fish", "Ikan Teri Asin": "Salted Anchovies", "Ikan Asin Peda": "Salted Peda Fish",
    "Cumi Asin": "Salted Squid", "Terasi Udang": "Shrimp Paste", "Udang Rebon Kering": "Dried Baby Shrimp",
    "Petis Udang": "Shrimp Petis",
    "Sabun Herbal": "Herbal Soap", "Lulur": "Body Scrub", "Minyak Rambut": "Hair Oil", "Body Lotion": "Body Lotion",
}  # fmt: skip
BALI_SHOPS = [
    ("Toko Oleh-oleh Krisna", "Denpasar"),
    ("Pusat Oleh-oleh Erlangga", "Denpasar"),
    ("Ubud Craft Corner", "Gianyar"),
    ("Kuta Souvenir Center", "Badung"),
    ("Joger Rasa Nusantara", "Badung"),
]
OTHER_REGIONS = [("Toko Oleh-oleh Mirota", "34", "Yogyakarta"), ("Sarinah Thamrin", "31", "Jakarta Pusat")]
PORTS = {"sea": "Tanjung Priok, Jakarta", "air": "Bandara Soekarno-Hatta (kargo udara)"}


def load(context) -> str:
    if PurchaseOrder.objects.filter(deal__buyer__name=BUYERS[0][0]).exists():
        return ""
    with transaction.atomic():
        return _load(context)


def _load(context) -> str:
    rng = random.Random(f"exports-{context.seed}")
    officer, cikarang_officer = context.users["petugas"], context.users["petugas.cikarang"]
    today = timezone.localdate()
    buyers = _buyers(officer)
    international = sum(FIRST_SHIPMENTS.values())
    products = _products(context, needed=international + OPEN_DEALS, actor=officer)
    if len(products) < international + OPEN_DEALS:
        return ""
    abroad, pending = products[:international], products[international:]
    # Spread each SME's products over the years: some export a second product years after the first.
    rng.shuffle(abroad)

    def actor_for(sme: Sme):
        return cikarang_officer if sme.kecamatan_id and sme.kecamatan.code == CIKARANG_UTARA else officer

    # First shipments: each year's products, grouped by SME, up to three products per purchase order.
    orders = 0
    first_year = {}
    cursor = 0
    for year, count in FIRST_SHIPMENTS.items():
        for product in abroad[cursor : cursor + count]:
            first_year[product.pk] = year
        cursor += count
    by_sme_year = defaultdict(list)
    for product in abroad:
        by_sme_year[(product.sme_id, first_year[product.pk])].append(product)
    plans = []
    for (_sme, year), group in sorted(by_sme_year.items(), key=lambda item: (item[0][1], item[0][0])):
        for start in range(0, len(group), 3):
            plans.append((year, group[start : start + 3]))
    # Repeat orders: some products shipped again in a later year.
    for product in rng.sample(abroad[:BY_END_OF_2024], REPEAT_ORDERS):
        later = [y for y in FIRST_SHIPMENTS if y > first_year[product.pk]]
        plans.append((rng.choice(later), [product]))
    for year, group in plans:
        if _ship(rng, buyers, group, year=year, actor=actor_for(group[0].sme), today=today):
            orders += 1
    _open_deals(rng, buyers, pending, actor_for=actor_for, today=today)
    sales = _domestic(rng, abroad + pending, actor=officer, today=today)
    _readiness(rng, abroad, pending, actor=officer)
    return _("%(buyers)s foreign buyers, %(orders)s shipped export orders, %(sales)s sales to other regions") % {
        "buyers": len(buyers), "orders": orders, "sales": sales,
    }  # fmt: skip


def _buyers(actor) -> list[tuple[ForeignBuyer, str, int]]:
    result = []
    for name, country, city, currency, contact, position, weight in BUYERS:
        buyer = ForeignBuyer.objects.filter(name=name).first()
        if buyer is None:
            slug = "".join(ch for ch in name.lower() if ch.isalnum())[:20]
            buyer = services.save_buyer(
                actor=actor,
                data={
                    "name": name,
                    "country": country,
                    "city": city,
                    "address": "",
                    "website": "",
                    "note": "",
                },
                contacts=[
                    {
                        "name": contact,
                        "position": position,
                        "email": f"{slug}@buyer-demo.example",
                        "phone": "",
                    }
                ],
            )
        result.append((buyer, currency, weight))
    return result


def _products(context, *, needed: int, actor) -> list[Product]:
    """Export-ready products of verified SMEs that make things: those the catalogue has, then, as
    needed, the products their registry records name, through the catalogue's service."""
    verified = Sme.objects.filter(
        regency=context.regency,
        status=Sme.Status.VERIFIED,
        merged_into__isnull=True,
        kbli_code__in=EXPORTING_KINDS,
    )
    products = list(
        Product.objects.filter(export_ready=True, sme__in=verified)
        .exclude(status=Product.Status.WITHDRAWN)
        .select_related("sme", "sme__kecamatan", "category")
        .order_by("code", "pk")[:needed]
    )
    # The demo owner's businesses come first, so the owner's own pages tell the story.
    owner_ids = set(context.users["pemilik"].smes.values_list("pk", flat=True))
    smes = sorted(verified.select_related("kecamatan"), key=lambda sme: (sme.pk not in owner_ids, sme.pk))
    categories = {c.slug: c for c in Category.objects.all()}
    taken = {p.pk for p in products}
    existing_names = {
        (sme_id, name): pk
        for pk, sme_id, name in Product.objects.filter(sme__in=verified).values_list(
            "pk", "sme_id", "name_id"
        )
    }
    # One product of each SME per round, the first it names first: SMEs export one product, some two
    # or three. A small demo (few SMEs) adds variants of what they make ("… Premium").
    for round_ in range(3 + len(VARIANTS)):
        for sme in smes:
            if len(products) >= needed:
                return products
            names = [name.strip() for name in sme.products.split(",") if name.strip()]
            if not names or (round_ < 3 and round_ >= len(names)):
                continue
            name_id = names[round_] if round_ < 3 else f"{names[0]} {VARIANTS[round_ - 3]}"
            name_id = name_id[:150]
            if (sme.pk, name_id) in existing_names:
                existing = Product.objects.select_related("sme", "category").get(
                    pk=existing_names[sme.pk, name_id]
                )
                if existing.export_ready and existing.pk not in taken:
                    products.append(existing)
                    taken.add(existing.pk)
                continue
            slug, price, unit, _quantity = EXPORTING_KINDS[sme.kbli_code]
            base_en = ENGLISH.get(names[0] if round_ >= 3 else name_id, "")
            name_en = f"{base_en} {VARIANTS_EN[round_ - 3]}" if round_ >= 3 and base_en else base_en
            product = create_product(
                actor=actor, sme=sme, name_id=name_id, name_en=name_en, category=categories[slug], price=price,
                unit=unit if unit in Product.Unit.values else Product.Unit.PIECE, export_ready=True,
                status=Product.Status.APPROVED,
                description_id=f"{name_id} buatan {sme.name}, Kabupaten Bekasi.",
                description_en=f"{name_en or name_id} made by {sme.name}, Bekasi Regency.",
            )  # fmt: skip
            products.append(product)
            taken.add(product.pk)
    return products


def _quantities(product: Product) -> tuple[int, int]:
    kind = EXPORTING_KINDS.get(product.sme.kbli_code)
    return kind[3] if kind else (100, 1000)


def _pick_buyer(rng, buyers, product):
    weighted = [(b, c) for b, c, w in buyers for _ in range(w)]
    if product.category.slug in ("mebel-dan-dekorasi", "batik-dan-kain", "kerajinan-tangan"):
        weighted += [(b, c) for b, c, _w in buyers if b.country.code in ("NL", "US", "AE", "AU")] * 2
    return rng.choice(weighted)


def _lines(rng, group, currency: str, rate: Decimal):
    info = currencies.get(currency)
    lines = []
    for product in group:
        low, high = _quantities(product)
        quantity = rng.randrange(low, high + 1, 10 if low >= 100 else 1)
        # Export price: the Rupiah price with a 20–45% margin, in the buyer's currency.
        major_price = Decimal(product.price) * Decimal(rng.randint(120, 145)) / 100 / rate
        minor = max(1, int(major_price.scaleb(info.exponent)))
        lines.append(services.LineInput(product, quantity, minor))
    return lines


def _ship(rng, buyers, group, *, year: int, actor, today: dt.date) -> bool:
    shipped_on = dt.date(year, rng.randint(2, 11), rng.randint(1, 28))
    if shipped_on > today - dt.timedelta(days=20):
        return False
    buyer, currency = _pick_buyer(rng, buyers, group[0])
    rate = Decimal(RATES[currency][year])
    ordered_on = shipped_on - dt.timedelta(days=rng.randint(18, 80))
    number = f"{buyer.country.code}-{ordered_on:%y%m}-{rng.randint(100, 999)}"
    while PurchaseOrder.objects.filter(deal__buyer=buyer, number=number).exists():
        number += "A"
    terms = rng.choice(["advance", "deposit", "deposit", "after", "lc_sight"])
    order = services.record_purchase_order(
        actor=actor, sme=group[0].sme, buyer=buyer, number=number, ordered_on=ordered_on, currency=currency, rate=rate,
        incoterm=rng.choice(["FOB", "FOB", "FOB", "CIF", "EXW", "DDP"]), incoterm_place="Jakarta",
        payment_terms=terms, lines=_lines(rng, group, currency, rate),
    )  # fmt: skip
    deal = order.deal
    if rng.random() < 0.7:
        services.start_production(
            actor=actor, deal=deal, started_on=ordered_on + dt.timedelta(days=rng.randint(1, 7))
        )
    if terms in ("advance", "deposit"):
        first = order.value_minor if terms == "advance" else order.value_minor * 3 // 10
        services.record_payment(
            actor=actor, deal=deal, received_on=ordered_on + dt.timedelta(days=3), amount_minor=first
        )
    transport = "air" if group[0].category.slug in ("minuman",) and rng.random() < 0.3 else "sea"
    customs, dinas = rng.random() < 0.4, rng.random() < 0.45
    services.record_shipment(
        actor=actor, deal=deal, shipped_on=shipped_on, port=PORTS[transport], transport=transport,
        peb_number=f"{rng.randint(0, 999999):06d}" if rng.random() < 0.92 else "",
        customs_facilitation=customs, dinas_facilitation=dinas,
        facilitation_note=("Klinik Ekspor Bea Cukai Bekasi: pendampingan PEB" if customs else "")
        + (" · Dinas: kurasi produk dan temu bisnis" if dinas else ""),
    )  # fmt: skip
    paid = services.paid_minor(order)
    balance_on = shipped_on + dt.timedelta(days=rng.randint(5, 40))
    if paid < order.value_minor and balance_on <= today and (year < 2026 or rng.random() < 0.5):
        services.record_payment(
            actor=actor, deal=deal, received_on=balance_on, amount_minor=order.value_minor - paid
        )
    return True


def _open_deals(rng, buyers, products, *, actor_for, today: dt.date) -> None:
    """Deals still under way at each stage, and one cancelled."""
    stages = [
        "inquiry",
        "inquiry",
        "quoted",
        "quoted",
        "ordered",
        "ordered",
        "production",
        "production",
        "cancelled",
    ]
    for product, stage in zip(products, stages, strict=False):
        buyer, currency = _pick_buyer(rng, buyers, product)
        actor = actor_for(product.sme)
        asked = today - dt.timedelta(days=rng.randint(40, 90))
        deal = services.open_deal(
            actor=actor, sme=product.sme, buyer=buyer, inquiry_on=asked, source=rng.choice(["catalogue", "event", "officer"]),
            inquiry_text=f"Interested in {product.name_en or product.name_id}: price per unit FOB Jakarta and monthly capacity.",
        )  # fmt: skip
        if stage == "inquiry":
            continue
        year = min(asked.year, max(RATES[currency]))
        rate = Decimal(RATES[currency][year])
        lines = _lines(rng, [product], currency, rate)
        services.add_quotation(
            actor=actor, deal=deal, quoted_on=asked + dt.timedelta(days=5), currency=currency,
            amount_minor=lines[0].quantity * lines[0].unit_price_minor, valid_until=asked + dt.timedelta(days=35),
        )  # fmt: skip
        if stage == "cancelled":
            services.cancel_deal(actor=actor, deal=deal, reason="Pembeli memilih pemasok lain (harga).")
            continue
        if stage == "quoted":
            continue
        ordered_on = asked + dt.timedelta(days=12)
        services.record_purchase_order(
            actor=actor, deal=deal, number=f"{buyer.country.code}-{ordered_on:%y%m}-{rng.randint(100, 999)}P",
            ordered_on=ordered_on, currency=currency, rate=rate, incoterm="FOB", payment_terms="deposit", lines=lines,
        )  # fmt: skip
        deal.refresh_from_db()
        if stage == "production":
            services.start_production(actor=actor, deal=deal, started_on=ordered_on + dt.timedelta(days=4))


def _domestic(rng, products, *, actor, today: dt.date) -> int:
    """Sales to souvenir shops in Bali (and a few elsewhere) by some of the exporting SMEs."""
    count = 0
    sellers = products[::6][:10]
    for product in sellers:
        for _sale in range(rng.randint(2, 4)):
            sold_on = dt.date(rng.choice([2023, 2024, 2025, 2026]), rng.randint(1, 10), rng.randint(1, 28))
            if sold_on > today:
                continue
            if rng.random() < 0.85:
                shop, city = rng.choice(BALI_SHOPS)
                province = "51"
            else:
                shop, province, city = rng.choice(OTHER_REGIONS)
            quantity = rng.randint(50, 400)
            services.record_domestic_sale(
                actor=actor, sme=product.sme,
                data={"product": product, "buyer_name": shop, "province": province, "city": city, "sold_on": sold_on,
                      "quantity": quantity, "amount": quantity * product.price * 85 // 100,
                      "invoice_number": f"INV/{sold_on:%Y%m}/{rng.randint(1, 999):03d}", "verified": rng.random() < 0.8},
            )  # fmt: skip
            count += 1
    return count


def _readiness(rng, abroad, pending, *, actor) -> None:
    """Export facts: complete for products that have gone abroad, partial for those still trying."""
    for product in abroad:
        services.save_product_readiness(
            actor=actor, product=product,
            data={"monthly_capacity": rng.choice([500, 1000, 2000, 5000]), "english_label": True,
                  "usd_price_minor": max(1, product.price * 130 // 15850), "samples": True, "note": ""},
        )  # fmt: skip
    for product in pending:
        services.save_product_readiness(
            actor=actor, product=product,
            data={"monthly_capacity": rng.choice([None, 300, 800]), "english_label": rng.random() < 0.5,
                  "usd_price_minor": None, "samples": rng.random() < 0.5, "note": ""},
        )  # fmt: skip
