"""Demo data of the catalogue: storefronts and products of verified SMEs, photos, inquiries, events.

Products come from what each SME's record says it makes (the registry's "products" column), named
in Indonesian and English, priced as Bekasi sells them. Most are curated by the officer of their
kecamatan; some wait for curation or were returned with a note. The demo owner's businesses get
products and inquiries to answer. Promotion events of 2023–2024 (the Bekasi expo, Ramadan bazaars,
national fairs and a trade fair in Japan) have participants and the sales they reported, and one
event is still to come.

At scale (`--scale 50000` gives about 200,000 products) rows go in through `core.bulk.insert_rows`
with their audit entries built in bulk; the demo owner's products, photos, curation decisions and
inquiries go through the catalogue's services, as a person's would.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Iterable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw

from sentra.catalog import search, services
from sentra.catalog.categories import add_default_categories
from sentra.catalog.models import (
    Category,
    EventParticipant,
    EventSale,
    Inquiry,
    Product,
    PromotionEvent,
    Storefront,
)
from sentra.core.audit import build_entry
from sentra.core.bulk import insert_rows
from sentra.core.models import AuditEntry
from sentra.registry.models import Sme

from .generator import AS_OF
from .services import DemoContext

PRODUCTS_PER_SME = 4  # across all SMEs of the demo: --scale 50000 gives ~200,000 products
PHOTOS = 48  # products with real (generated) photos: enough for every page a reviewer opens
P, PK, BX, BT, KG, SET, PC = "pcs", "pack", "box", "bottle", "kg", "set", "portion"

# KBLI -> (category, [(Indonesian, English, price, unit), ...]): what the kinds of the demo registry
# (sentra/demo/businesses.py) sell through a catalogue. Services (laundry, barbers, repairs) sell none.
GOODS: dict[str, tuple[str, list[tuple[str, str, int, str]]]] = {
    "10794": ("makanan-ringan", [
        ("Keripik Singkong", "Cassava Chips", 15000, PK), ("Keripik Pisang", "Banana Chips", 18000, PK),
        ("Kerupuk Udang", "Prawn Crackers", 25000, PK), ("Rempeyek Kacang", "Peanut Crackers", 20000, PK),
        ("Keripik Tempe", "Tempeh Chips", 15000, PK), ("Rengginang", "Sticky Rice Crackers", 22000, PK),
        ("Kerupuk Kulit", "Beef Skin Crackers", 28000, PK)]),
    "10792": ("kue-dan-roti", [
        ("Kue Lapis", "Layer Cake", 35000, BX), ("Nagasari", "Banana Rice Cake", 25000, BX),
        ("Kue Cucur", "Palm Sugar Pancakes", 20000, BX), ("Lemper", "Chicken Sticky Rice", 30000, BX),
        ("Bika Ambon", "Bika Ambon Honeycomb Cake", 65000, BX), ("Putu Ayu", "Pandan Coconut Cupcakes", 25000, BX),
        ("Klepon", "Palm Sugar Rice Balls", 20000, BX), ("Kue Basah", "Assorted Traditional Cakes", 40000, BX)]),
    "10710": ("kue-dan-roti", [
        ("Roti Manis", "Sweet Bread", 12000, PK), ("Kue Kering", "Cookies", 75000, BX), ("Nastar", "Pineapple Tarts", 95000, BX),
        ("Kastengel", "Cheese Cookies", 100000, BX), ("Bolu Pandan", "Pandan Sponge Cake", 45000, P),
        ("Brownies", "Brownies", 55000, BX), ("Roti Sobek", "Pull-apart Bread", 25000, PK)]),
    "10796": ("makanan-olahan", [
        ("Dodol Betawi", "Betawi Dodol", 40000, BX), ("Dodol Durian", "Durian Dodol", 55000, BX),
        ("Dodol Ketan", "Sticky Rice Dodol", 35000, BX), ("Wajik", "Wajik Sticky Rice Sweets", 30000, BX),
        ("Geplak", "Coconut Geplak Sweets", 25000, BX)]),
    "10391": ("makanan-olahan", [
        ("Tempe Kedelai", "Soybean Tempeh", 8000, P), ("Tempe Bungkus Daun", "Leaf-wrapped Tempeh", 10000, P),
        ("Tempe Mendoan", "Mendoan Tempeh", 12000, PK)]),
    "10392": ("makanan-olahan", [
        ("Tahu Putih", "White Tofu", 10000, PK), ("Tahu Kuning", "Yellow Tofu", 12000, PK),
        ("Tahu Sumedang", "Sumedang Fried Tofu", 20000, PK), ("Tahu Bulat", "Round Fried Tofu", 15000, PK)]),
    "10772": ("makanan-olahan", [
        ("Sambal Bawang", "Shallot Chili Sauce", 25000, BT), ("Sambal Cumi", "Squid Chili Sauce", 35000, BT),
        ("Bumbu Pecel", "Peanut Sauce Mix", 18000, PK), ("Sambal Roa", "Smoked Fish Chili Sauce", 40000, BT),
        ("Bumbu Rendang", "Rendang Spice Paste", 22000, PK), ("Sambal Terasi", "Shrimp Paste Chili Sauce", 25000, BT)]),
    "10750": ("makanan-olahan", [
        ("Dimsum", "Dim Sum", 45000, PK), ("Nugget Ayam", "Chicken Nuggets", 38000, PK),
        ("Risoles Beku", "Frozen Risoles", 35000, PK), ("Siomay", "Fish Dumplings", 40000, PK),
        ("Pempek", "Pempek Fish Cakes", 60000, PK), ("Bakso Sapi", "Beef Meatballs", 55000, PK),
        ("Sosis Ayam", "Chicken Sausages", 35000, PK)]),
    "10130": ("makanan-olahan", [
        ("Abon Sapi", "Shredded Beef Floss", 65000, PK), ("Abon Ayam", "Shredded Chicken Floss", 55000, PK),
        ("Dendeng Sapi", "Beef Jerky", 85000, PK), ("Rendang Kemasan", "Packaged Beef Rendang", 95000, PK)]),
    "10211": ("hasil-tani-dan-ikan", [
        ("Ikan Asin Jambal", "Salted Jambal Fish", 60000, KG), ("Ikan Teri Asin", "Salted Anchovies", 90000, KG),
        ("Ikan Asin Peda", "Salted Peda Mackerel", 55000, KG), ("Cumi Asin", "Salted Squid", 120000, KG)]),
    "10214": ("hasil-tani-dan-ikan", [
        ("Bandeng Presto", "Pressure-cooked Milkfish", 45000, PK), ("Pindang Bandeng", "Pindang Milkfish", 40000, PK),
        ("Otak-otak Bandeng", "Milkfish Otak-otak", 50000, PK), ("Bandeng Asap", "Smoked Milkfish", 55000, PK)]),
    "10295": ("makanan-olahan", [
        ("Terasi Udang", "Shrimp Paste", 20000, PK), ("Udang Rebon Kering", "Dried Tiny Shrimp", 35000, PK),
        ("Petis Udang", "Shrimp Petis Paste", 25000, BT)]),
    "10733": ("makanan-ringan", [
        ("Manisan Pala", "Candied Nutmeg", 30000, PK), ("Manisan Mangga", "Candied Mango", 28000, PK),
        ("Manisan Salak", "Candied Snake Fruit", 30000, PK), ("Manisan Kolang-kaling", "Candied Palm Fruit", 25000, PK)]),
    "10761": ("minuman", [
        ("Kopi Bubuk Robusta", "Ground Robusta Coffee", 45000, PK), ("Kopi Arabika Sangrai", "Roasted Arabica Coffee", 85000, PK),
        ("Kopi Jahe", "Ginger Coffee", 30000, PK), ("Kopi Gula Aren", "Palm Sugar Coffee", 35000, PK)]),
    "56303": ("minuman", [
        ("Kopi Susu Literan", "Milk Coffee by the Litre", 75000, BT), ("Es Kopi Gula Aren", "Iced Palm Sugar Coffee", 22000, BT),
        ("Teh Tarik Sachet", "Pulled Tea Sachets", 30000, PK)]),
    "56304": ("minuman", [
        ("Jus Buah Botol", "Bottled Fruit Juice", 15000, BT), ("Es Cincau Botol", "Bottled Grass Jelly Drink", 12000, BT)]),
    "56210": ("makanan-olahan", [
        ("Nasi Kotak", "Boxed Rice Meal", 35000, BX), ("Tumpeng Mini", "Mini Tumpeng Rice Cone", 150000, SET),
        ("Snack Box", "Snack Box", 20000, BX), ("Nasi Liwet", "Liwet Rice Set", 250000, SET)]),
    "14120": ("busana-dan-aksesori", [
        ("Kebaya Modern", "Modern Kebaya", 450000, P), ("Gamis", "Gamis Dress", 250000, P), ("Kemeja Pria", "Men's Shirt", 175000, P)]),
    "14111": ("busana-dan-aksesori", [
        ("Kaos Sablon", "Screen-printed T-shirt", 75000, P), ("Seragam Kerja", "Work Uniform", 150000, P),
        ("Gamis", "Gamis Dress", 225000, P), ("Mukena", "Prayer Garment", 185000, P),
        ("Hijab", "Hijab", 65000, P), ("Kemeja Batik", "Batik Shirt", 195000, P)]),
    "14302": ("busana-dan-aksesori", [
        ("Kerudung Bordir", "Embroidered Veil", 95000, P), ("Mukena Bordir", "Embroidered Prayer Garment", 275000, P)]),
    "13134": ("batik-dan-kain", [
        ("Batik Tulis", "Hand-drawn Batik", 450000, P), ("Batik Cap", "Stamped Batik", 175000, P),
        ("Kain Batik Bekasi", "Bekasi Batik Cloth", 250000, P), ("Kemeja Batik", "Batik Shirt", 225000, P)]),
    "15121": ("busana-dan-aksesori", [
        ("Tas Kulit", "Leather Bag", 450000, P), ("Dompet Kulit", "Leather Wallet", 175000, P),
        ("Ikat Pinggang", "Leather Belt", 125000, P), ("Tas Rajut", "Knitted Bag", 150000, P)]),
    "15201": ("busana-dan-aksesori", [
        ("Sandal Jepit", "Flip-flops", 25000, P), ("Sandal Hotel", "Hotel Slippers", 8000, P),
        ("Sepatu Sekolah", "School Shoes", 175000, P), ("Sandal Kulit", "Leather Sandals", 150000, P)]),
    "16292": ("kerajinan-tangan", [
        ("Tas Anyaman", "Woven Bag", 125000, P), ("Keranjang Eceng Gondok", "Water Hyacinth Basket", 95000, P),
        ("Tikar Pandan", "Pandan Mat", 150000, P), ("Kotak Hantaran", "Woven Gift Box", 85000, P)]),
    "16293": ("kerajinan-tangan", [
        ("Hiasan Dinding Kayu", "Wooden Wall Decoration", 225000, P), ("Miniatur Perahu", "Model Boat", 350000, P),
        ("Ukiran Kaligrafi", "Carved Calligraphy", 750000, P), ("Souvenir Kayu", "Wooden Souvenir", 35000, P)]),
    "32903": ("kerajinan-tangan", [
        ("Souvenir Pernikahan", "Wedding Favours", 7500, P), ("Bunga Flanel", "Felt Flowers", 25000, P),
        ("Boneka Ondel-ondel", "Ondel-ondel Doll", 85000, P), ("Gantungan Kunci", "Key Ring", 10000, P),
        ("Kerajinan Manik", "Beadwork", 65000, P)]),
    "31001": ("mebel-dan-dekorasi", [
        ("Lemari Kayu", "Wooden Wardrobe", 2500000, P), ("Meja Makan", "Dining Table", 3500000, SET),
        ("Kursi Tamu", "Living Room Chairs", 4500000, SET), ("Tempat Tidur", "Wooden Bed", 3000000, P)]),
    "31002": ("mebel-dan-dekorasi", [
        ("Kursi Rotan", "Rattan Chair", 650000, P), ("Meja Bambu", "Bamboo Table", 450000, P), ("Rak Bambu", "Bamboo Shelf", 275000, P)]),
    "20232": ("kosmetik-dan-perawatan", [
        ("Sabun Herbal", "Herbal Soap", 25000, P), ("Lulur", "Body Scrub", 45000, P),
        ("Minyak Rambut", "Hair Oil", 35000, BT), ("Body Lotion", "Body Lotion", 55000, BT)]),
    "47723": ("minuman", [
        ("Jamu Kunyit Asam", "Turmeric Tamarind Jamu", 15000, BT), ("Beras Kencur", "Rice Galangal Jamu", 15000, BT),
        ("Wedang Jahe", "Ginger Drink", 25000, PK)]),
    "47911": ("makanan-ringan", [
        ("Camilan Kiloan", "Snacks by the Kilo", 65000, KG), ("Frozen Food Paket", "Frozen Food Bundle", 120000, SET)]),
    "01464": ("hasil-tani-dan-ikan", [
        ("Ayam Kampung", "Free-range Chicken", 85000, P), ("Telur Ayam Kampung", "Free-range Eggs", 35000, PK)]),
    "01136": ("hasil-tani-dan-ikan", [
        ("Jamur Tiram", "Oyster Mushrooms", 30000, KG), ("Keripik Jamur", "Mushroom Chips", 20000, PK)]),
}  # fmt: skip
FOOD_VARIANTS = [("", ""), ("Original", "Original"), ("Pedas", "Spicy"), ("Balado", "Balado"),
                 ("Kemasan 250 g", "250 g Pack"), ("Kemasan 500 g", "500 g Pack"), ("Premium", "Premium"),
                 ("Oleh-oleh Bekasi", "Bekasi Gift Pack")]  # fmt: skip
GOODS_VARIANTS = [("", ""), ("Motif Bekasi", "Bekasi Motif"), ("Ukuran Besar", "Large"), ("Ukuran Kecil", "Small"),
                  ("Premium", "Premium"), ("Edisi Ondel-ondel", "Ondel-ondel Edition")]  # fmt: skip
FOOD_CATEGORIES = {"makanan-ringan", "makanan-olahan", "kue-dan-roti", "minuman", "hasil-tani-dan-ikan"}
DESCRIPTIONS = {
    "id": "{name} buatan {sme}, {kecamatan}, Kabupaten Bekasi. Dibuat setiap hari dengan bahan pilihan.",
    "en": "{name} made by {sme} in {kecamatan}, Kabupaten Bekasi. Made fresh every day from selected ingredients.",
}
RETURN_NOTES = (
    "Foto produk belum ada; unggah foto kemasan yang jelas.",
    "Harga per satuan belum jelas: tulis isi kemasan (gram atau buah).",
    "Nama dalam bahasa Inggris perlu dilengkapi untuk pembeli luar negeri.",
)
INQUIRERS = (
    ("Rina Marlina", "Dinas Pendidikan Kabupaten Bekasi", "ID", "Kami butuh {q} untuk acara sekolah bulan depan. Bisa kirim ke Cikarang?"),
    ("Hendra Wijaya", "PT Jababeka Infrastruktur", "ID", "Apakah bisa pesan {q} untuk bingkisan karyawan? Mohon daftar harga grosir."),
    ("Kenji Sato", "Osaka Asia Foods", "JP", "We are looking for {q} for our shops in Osaka. Do you have export documents?"),
    ("Siti Aminah", "", "ID", "Assalamualaikum, apakah {q} bisa dikirim ke Jakarta Timur?"),
    ("Ahmad Faisal", "Koperasi Karyawan Lippo Cikarang", "ID", "Kami ingin menitipkan {q} di gerai koperasi. Berapa harga reseller?"),
    ("Lim Wei Ling", "Singapore Gourmet Trading", "SG", "Please quote FOB Tanjung Priok for {q}, first order about one pallet."),
)  # fmt: skip


def _status(rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.85:
        return Product.Status.APPROVED
    if draw < 0.91:
        return Product.Status.PENDING
    if draw < 0.94:
        return Product.Status.RETURNED
    return Product.Status.DRAFT


def _catalogue_of(kbli: str) -> tuple[str, list] | None:
    return GOODS.get(kbli)


def _round_price(price: float) -> int:
    step = 500 if price < 50_000 else 5_000 if price < 1_000_000 else 50_000
    return max(step, int(round(price / step)) * step)


def _plan_products(sme: dict, count: int, rng: random.Random) -> list[dict]:
    """`count` products of one SME: its listed products first, then variants of them."""
    category, goods = _catalogue_of(sme["kbli_code"])
    listed = [g for g in goods if g[0].lower() in (sme["products"] or "").lower()] or goods[:1]
    pool = listed + [g for g in goods if g not in listed]
    variants = FOOD_VARIANTS if category in FOOD_CATEGORIES else GOODS_VARIANTS
    planned, seen = [], set()
    for base_id, base_en, price, unit in (pool * 8)[: max(count * 3, count)]:
        variant_id, variant_en = rng.choice(variants) if (base_id in seen) else ("", "")
        name_id = f"{base_id} {variant_id}".strip()
        if name_id in seen:
            continue
        seen.add(base_id)
        seen.add(name_id)
        planned.append({
            "name_id": name_id, "name_en": f"{variant_en} {base_en}".strip(), "category": category,
            "price": _round_price(price * rng.uniform(0.8, 1.3)), "unit": unit,
            "min_order": rng.choice((1, 1, 1, 2, 5, 10)) if unit in (PK, BX, BT, P) else 1,
        })  # fmt: skip
        if len(planned) == count:
            break
    return planned


def load(context: DemoContext) -> str:
    officers = {"petugas": context.users["petugas"], "cikarang": context.users["petugas.cikarang"]}
    add_default_categories(Category)
    categories = {c.slug: c for c in Category.objects.all()}
    smes = list(
        Sme.objects.filter(status=Sme.Status.VERIFIED, merged_into__isnull=True, storefront__isnull=True)
        .order_by("pk")
        .values(
            "pk", "name", "brand", "products", "kbli_code", "regency_id", "kecamatan__name", "kecamatan__code"
        )
    )
    selling = [s for s in smes if _catalogue_of(s["kbli_code"])]
    owner_smes = set(Sme.objects.filter(accounts=context.users["pemilik"]).values_list("pk", flat=True))
    added_products = 0
    if selling:
        all_selling = Sme.objects.filter(status=Sme.Status.VERIFIED).count()
        # Each selling SME gets enough products for the whole demo to hold ~PRODUCTS_PER_SME per SME.
        per_sme = max(
            2.0, PRODUCTS_PER_SME * context.scale / max(1, all_selling * len(selling) / max(1, len(smes)))
        )
        added_products = _load_products(context, selling, per_sme, categories, officers)
    owned = _load_owner_products(context, owner_smes, categories)
    photos = _load_photos(context)
    inquiries = _load_inquiries(context, owner_smes)
    events = _load_events(context)
    if added_products or owned:
        search.rebuild_vocabulary()
    if added_products > 10_000:
        _analyze()
    if not (added_products or owned or photos or inquiries or events):
        return ""
    return (
        f"catalogue: {added_products + owned} products of {len(selling)} SMEs, {photos} photos, "
        f"{inquiries} inquiries, {events} promotion events"
    )


@transaction.atomic
def _load_products(context: DemoContext, smes: list[dict], per_sme: float, categories, officers) -> int:
    storefront_rows, product_rows, meta = [], [], []
    taken = set(Storefront.objects.values_list("slug", flat=True))
    now = timezone.now()
    for sme in smes:
        rng = random.Random(f"{context.seed}-catalog-{sme['name']}-{sme['pk']}")
        base = slugify(sme["brand"] or sme["name"])[:70] or "umkm"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        storefront_rows.append({
            "sme_id": sme["pk"], "slug": slug, "publish_whatsapp": rng.random() < 0.6, "featured": rng.random() < 0.03,
            "tagline_id": f"{sme['products'].split(',')[0].strip() if sme['products'] else ''} dari {sme['kecamatan__name']}"[:160],
        })  # fmt: skip
        count = max(1, int(per_sme) + (1 if rng.random() < per_sme % 1 else 0))
        slugs = set()
        for item in _plan_products(sme, count, rng):
            status = _status(rng)
            product_slug = slugify(item["name_id"])[:100]
            if product_slug in slugs:
                continue
            slugs.add(product_slug)
            officer = officers["cikarang"] if sme["kecamatan__code"] == "32.16.09" else officers["petugas"]
            curated = status in (Product.Status.APPROVED, Product.Status.RETURNED)
            when = now - dt.timedelta(days=rng.randint(1, 700), hours=rng.randint(0, 8))
            kecamatan = sme["kecamatan__name"] or ""
            sme_name = sme["brand"] or sme["name"]
            description_id = DESCRIPTIONS["id"].format(
                name=item["name_id"], sme=sme_name, kecamatan=kecamatan
            )
            description_en = DESCRIPTIONS["en"].format(
                name=item["name_en"], sme=sme_name, kecamatan=kecamatan
            )
            category = categories[item["category"]]
            product_rows.append({
                "sme_id": sme["pk"], "regency_id": sme["regency_id"], "slug": product_slug,
                "name_id": item["name_id"], "name_en": item["name_en"],
                "description_id": description_id, "description_en": description_en, "category_id": category.pk, "price": item["price"], "unit": item["unit"],
                "min_order": item["min_order"], "stock_status": rng.choice(("available",) * 8 + ("preorder", "out_of_stock")),
                "export_ready": item["category"] in ("batik-dan-kain", "kerajinan-tangan", "minuman") and rng.random() < 0.3,
                "status": status, "featured": status == Product.Status.APPROVED and rng.random() < 0.01,
                "curation_note": rng.choice(RETURN_NOTES) if status == Product.Status.RETURNED else "",
                "curated_by_id": officer.pk if curated else None, "curated_at": when if curated else None,
                "submitted_at": when - dt.timedelta(days=2) if status != Product.Status.DRAFT else None,
                "search_text": search.PRODUCT_INDEX.text(
                    description_id, description_en, category.name_id, category.name_en, sme["name"], sme["brand"],
                    kecamatan, boosted=(item["name_id"], item["name_en"]),
                ),
            })  # fmt: skip
            meta.append((officer if curated else None, status))
    insert_rows(Storefront, storefront_rows)
    ids = []
    for start in range(0, len(product_rows), 5000):
        ids += insert_rows(Product, product_rows[start : start + 5000], returning=True)
    _give_codes(ids)
    _audit_bulk(ids, product_rows, meta, context)
    return len(ids)


def _analyze() -> None:
    """Fresh statistics after a bulk load: without them SQLite reads a search's few candidates through
    the status index (every published product) instead of by id; FTS5 merges its segments."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO catalog_product_fts(catalog_product_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE catalog_product")
            cursor.execute("ANALYZE registry_sme")


def _give_codes(ids: Iterable[int]) -> None:
    from django.db import connection

    ids = list(ids)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            cursor.execute(
                "UPDATE catalog_product SET code = 'P' || substr('000000' || id, -6, 6) WHERE id IN ({})".format(
                    ", ".join(["%s"] * len(chunk))
                )
                if connection.vendor == "sqlite"
                else "UPDATE catalog_product SET code = 'P' || lpad(id::text, 6, '0') WHERE id = ANY(%s)",
                chunk if connection.vendor == "sqlite" else [chunk],
            )


def _audit_bulk(ids, rows, meta, context) -> None:
    stub = Product()
    entries = []
    for pk, row, (officer, status) in zip(ids, rows, meta, strict=True):
        stub.pk, stub.name_id = pk, row["name_id"]
        entries.append(build_entry(actor=None, verb="catalog.product.created", obj=stub, action=AuditEntry.Action.CREATE,
                                   changes={"name_id": [None, row["name_id"]], "price": [None, row["price"]]}, note="demo data"))  # fmt: skip
        if officer is not None:
            verb = (
                "catalog.product.approved"
                if status == Product.Status.APPROVED
                else "catalog.product.returned"
            )
            entries.append(build_entry(actor=officer, verb=verb, obj=stub, changes={"status": ["pending", status]},
                                       note=row["curation_note"]))  # fmt: skip
    AuditEntry.objects.bulk_create(entries, batch_size=5000)


def _load_owner_products(context: DemoContext, owner_smes: set[int], categories) -> int:
    """The demo owner's businesses, through the services: a published product, one waiting, a draft."""
    owner = context.users["pemilik"]
    added = 0
    for sme in Sme.objects.filter(pk__in=owner_smes).order_by("pk"):
        if Product.objects.filter(sme=sme, name_id__startswith="Paket Oleh-oleh").exists():
            continue
        services.ensure_storefront(sme)
        plan = [
            ("Paket Oleh-oleh Khas Bekasi", "Bekasi Gift Hamper", 125000, Product.Status.APPROVED),
            ("Paket Oleh-oleh Lebaran", "Eid Gift Hamper", 175000, Product.Status.PENDING),
            ("Paket Oleh-oleh Kantor", "Office Gift Box", 95000, Product.Status.DRAFT),
        ]
        for name_id, name_en, price, status in plan:
            if sme.status != Sme.Status.VERIFIED and status == Product.Status.APPROVED:
                status = Product.Status.DRAFT
            product = services.create_product(
                actor=owner, sme=sme, name_id=name_id, name_en=name_en, category=categories["makanan-ringan"], price=price,
                unit="box", description_id=f"{name_id} berisi aneka camilan buatan {sme.name}.",
                description_en=f"{name_en} of assorted snacks made by {sme.name}.",
            )  # fmt: skip
            if status != Product.Status.DRAFT:
                product = services.submit_product(product=product, actor=owner)
            if status == Product.Status.APPROVED:
                services.approve_product(
                    product=product, officer=context.users["petugas.cikarang"], note="demo data"
                )
            added += 1
    return added


def _photo(name: str, seed: int) -> bytes:
    """A simple real photo-like image: a coloured backdrop, a 'package', the product's initials."""
    rng = random.Random(seed)
    backdrop = tuple(rng.randint(170, 235) for _ in range(3))
    image = Image.new("RGB", (960, 720), backdrop)
    draw = ImageDraw.Draw(image)
    pack = tuple(rng.randint(40, 160) for _ in range(3))
    draw.rounded_rectangle((300, 140, 660, 600), radius=36, fill=pack)
    draw.ellipse((390, 230, 570, 410), fill=(250, 246, 235))
    initials = "".join(word[0] for word in name.split()[:2]).upper()
    draw.text((445, 290), initials, fill=pack, font_size=72)
    draw.text((320, 520), name[:22], fill=(255, 255, 255), font_size=30)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82)
    return out.getvalue()


def _load_photos(context: DemoContext) -> int:
    products = (
        Product.objects.public()
        .filter(photos__isnull=True)
        .select_related("sme")
        .order_by("-featured", "pk")[:PHOTOS]
    )
    if Product.objects.filter(photos__isnull=False).count() >= PHOTOS:
        return 0
    added = 0
    for product in products:
        upload = SimpleUploadedFile(
            f"{product.slug}.jpg", _photo(product.name_id, context.seed + product.pk), "image/jpeg"
        )
        services.add_photo(product=product, actor=context.users["admin"], upload=upload)
        added += 1
    return added


def _load_inquiries(context: DemoContext, owner_smes: set[int]) -> int:
    """Inquiries to the demo owner's businesses (to answer) and to others, about published products."""
    if Inquiry.objects.exists():
        return 0
    rng = random.Random(f"{context.seed}-inquiries")
    published = list(Product.objects.public().filter(sme_id__in=owner_smes).select_related("sme"))
    others = list(
        Product.objects.public().exclude(sme_id__in=owner_smes).select_related("sme").order_by("pk")[:400]
    )
    chosen = [(p, i) for i, p in enumerate(published[:4] * 2)] + [
        (p, i) for i, p in enumerate(rng.sample(others, min(30, len(others))))
    ]
    added = 0
    for number, (product, i) in enumerate(chosen):
        name, organisation, country, message = INQUIRERS[(i + number) % len(INQUIRERS)]
        inquiry = services.send_inquiry(
            sme=product.sme, product=product, sender=f"demo-{number}", language="en" if country != "ID" else "id",
            data={"name": name, "organisation": organisation, "country": country,
                  "email": f"{name.split()[0].lower()}@{'example.com' if country != 'ID' else 'contoh.co.id'}",
                  "quantity": rng.choice((10, 25, 50, 100, 500)), "message": message.format(q=product.name_id)},
        )  # fmt: skip
        if number % 3 == 2:
            replier = context.users["pemilik"] if product.sme_id in owner_smes else None
            body = "Terima kasih, kami kirim daftar harga lewat email."
            services.reply_inquiry(inquiry=inquiry, actor=replier, body=body, notify=False)
            if number % 2:
                services.close_inquiry(inquiry=inquiry, actor=replier)
        added += 1
    return added


EVENTS = (
    ("Bekasi Expo 2023", "Bekasi Expo 2023", "exhibition", "local", (2023, 8, 17), 5, "Stadion Wibawa Mukti", "Cikarang Timur", "ID",
     "Pemerintah Kabupaten Bekasi"),
    ("Bazar UMKM Ramadan 2024", "Ramadan SME Bazaar 2024", "bazaar", "local", (2024, 3, 25), 3, "Plaza Pemkab Bekasi", "Cikarang Pusat", "ID",
     "Dinas Koperasi dan UKM Kabupaten Bekasi"),
    ("Pameran Produk Unggulan Jawa Barat 2023", "West Java Leading Products Fair 2023", "exhibition", "national", (2023, 11, 9), 4,
     "Trans Convention Centre", "Bandung", "ID", "Dinas KUK Provinsi Jawa Barat"),
    ("INACRAFT 2024", "INACRAFT 2024", "trade_fair", "national", (2024, 4, 24), 5, "Jakarta Convention Center", "Jakarta", "ID", "ASEPHI"),
    ("Bekasi Expo 2024", "Bekasi Expo 2024", "exhibition", "local", (2024, 8, 14), 5, "Stadion Wibawa Mukti", "Cikarang Timur", "ID",
     "Pemerintah Kabupaten Bekasi"),
    ("Trade Expo Indonesia 2024", "Trade Expo Indonesia 2024", "trade_fair", "international", (2024, 10, 9), 5, "ICE BSD",
     "Tangerang", "ID", "Kementerian Perdagangan"),
    ("FOODEX Japan 2024", "FOODEX Japan 2024", "trade_fair", "international", (2024, 3, 5), 4, "Makuhari Messe", "Chiba", "JP",
     "ITPC Osaka dan Kementerian Perdagangan"),
    ("Bazar UMKM Akhir Tahun 2026", "Year-end SME Bazaar 2026", "bazaar", "local", None, 3, "Lapangan Sentra Grosir Cikarang",
     "Cikarang Utara", "ID", "Dinas Koperasi dan UKM Kabupaten Bekasi"),
)  # fmt: skip


def _load_events(context: DemoContext) -> int:
    rng = random.Random(f"{context.seed}-events")
    smes = list(
        Sme.objects.filter(
            status=Sme.Status.VERIFIED, merged_into__isnull=True, storefront__isnull=False
        ).order_by("pk")[:600]
    )
    if not smes:
        return 0
    admin = context.users["admin"]
    added = 0
    for name_id, name_en, kind, reach, start, days, venue, city, country, organiser in EVENTS:
        starts_on = dt.date(*start) if start else AS_OF + dt.timedelta(days=55)
        if PromotionEvent.objects.filter(name_id=name_id).exists():
            continue
        event = services.create_event(actor=admin, data={
            "name_id": name_id, "name_en": name_en, "kind": kind, "reach": reach, "starts_on": starts_on,
            "ends_on": starts_on + dt.timedelta(days=days - 1), "venue": venue, "city": city, "country": country,
            "organiser": organiser, "regency_id": context.regency.pk,
            "description_id": f"{name_id}: UMKM Kabupaten Bekasi binaan Dinas Koperasi dan UKM memamerkan produk unggulan.",
            "description_en": f"{name_en}: SMEs coached by the Department of Cooperatives and SMEs of Kabupaten Bekasi show their best products.",
        })  # fmt: skip
        size = {"local": 40, "national": 15, "international": 6}[reach]
        chosen = rng.sample(smes, min(size, len(smes)))
        services.invite_smes(event=event, smes=chosen, actor=admin)
        past = event.ends_on < AS_OF
        sales = []
        for participant in event.participants.select_related("sme"):
            draw = rng.random()
            if draw < 0.1:
                participant.status = EventParticipant.Status.DECLINED
            elif past or draw < 0.6:
                participant.status = (
                    EventParticipant.Status.ATTENDED if past else EventParticipant.Status.CONFIRMED
                )
            participant.booth = f"{chr(65 + rng.randrange(6))}-{rng.randint(1, 40):02d}"
            participant.save(update_fields=["status", "booth", "updated_at"])
            if participant.status != EventParticipant.Status.ATTENDED:
                continue
            scale = {"local": 1_500_000, "national": 4_000_000, "international": 15_000_000}[reach]
            if rng.random() < 0.4:
                sales.append(EventSale(participant=participant, sold_on=event.ends_on, whole_event=True, verified=True,
                                       amount=_round_price(scale * days * rng.uniform(0.4, 1.8)), reported_by=admin))  # fmt: skip
            else:
                for day in range(days):
                    sales.append(EventSale(participant=participant, sold_on=event.starts_on + dt.timedelta(days=day),
                                           amount=_round_price(scale * rng.uniform(0.2, 2.0)), verified=rng.random() < 0.8,
                                           reported_by=admin))  # fmt: skip
        EventSale.objects.bulk_create(sales)
        added += 1
    return added
