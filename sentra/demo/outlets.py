"""Demo data of the outlets: three consignment outlets with months of sales, two cooperation outlets.

Gerai Dekranasda at Aeon Mall Deltamas (the demo `kasir` works its till), the SME gallery at Lippo
Cikarang and a rest area gallery on the Jakarta–Cikampek toll road get stock-in notes of curated
products (the demo owner's among them), then sales from July to October 2026 through the real till
service, a few voids and returns; July–October are closed, July–September paid. The mall canteen
(Rp 40–60 million a month) and the Gedung Juang museum outlet (Rp 70–80 million) report monthly
turnover with a photo of the partner's report. Everything derives from the seed; a second run adds
nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from sentra.catalog.models import Product
from sentra.outlets import services
from sentra.outlets.models import Outlet
from sentra.partners.models import Partner
from sentra.regions.models import Region

MONTHS = [(2026, 7), (2026, 8), (2026, 9), (2026, 10)]
PAID_MONTHS = MONTHS[:3]
CONSIGNMENT = [
    # code, name, kind, kecamatan, address, partner, rate (bp), rent, hours, sales a day
    ("AEON", "Gerai Dekranasda Aeon Mall Deltamas", Outlet.Kind.MALL_GALLERY, "32.16.20",
     "Aeon Mall Deltamas Lt. 1, Jl. Ganesha Boulevard, Cikarang Pusat", "Aeon Mall Deltamas", 2000, 0, "10.00–22.00", 6),
    ("LIPPO", "Galeri UMKM Lippo Cikarang", Outlet.Kind.MALL_GALLERY, "32.16.19",
     "Lippo Cikarang, Jl. M.H. Thamrin, Cikarang Selatan", None, 1500, 2_500_000, "10.00–21.00", 4),
    ("KM39", "Gerai UMKM Rest Area KM 39 Jakarta–Cikampek", Outlet.Kind.REST_AREA, "32.16.08",
     "Rest Area KM 39 arah Cikampek, Cikarang Barat", None, 2500, 1_500_000, "24 jam", 3),
]  # fmt: skip
COOPERATION = [
    ("KANTIN", "Kantin UMKM Living Plaza Jababeka", Outlet.Kind.CANTEEN, "32.16.09",
     "Living Plaza Jababeka, Jl. Niaga Raya Kav. 1, Cikarang Utara", "Living Plaza Jababeka", 1000, (40, 60)),
    ("JUANG", "Gerai UMKM Museum Gedung Juang 45", Outlet.Kind.MUSEUM, "32.16.06",
     "Gedung Juang 45, Jl. Sultan Hasanudin, Tambun Selatan", None, 1500, (70, 80)),
]  # fmt: skip

# The measured sales floor of the gerai (the Perda 30% reports of their hosts point to them).
FLOOR_M2 = {"AEON": Decimal("48"), "LIPPO": Decimal("36"), "KM39": Decimal("24"), "KANTIN": Decimal("120")}


def _report_photo(name: str, month: tuple[int, int]) -> SimpleUploadedFile:
    image = Image.new("RGB", (480, 320), "white")
    draw = ImageDraw.Draw(image)
    draw.text((20, 20), f"Laporan omzet {name}", fill="black")
    draw.text((20, 50), f"{month[1]:02d}/{month[0]}", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return SimpleUploadedFile(
        f"omzet-{month[0]}-{month[1]:02d}.jpg", buffer.getvalue(), content_type="image/jpeg"
    )


def _outlet(row, kecamatan, partners, agreement) -> Outlet:
    code, name, kind, kec, address, partner, rate = row[:7]
    return Outlet.objects.create(
        code=code,
        name=name,
        kind=kind,
        kecamatan_id=kecamatan[kec],
        address=address,
        partner=partners.get(partner),
        agreement=agreement,
        rate_bp=rate,
        rent=row[7] if agreement == Outlet.Agreement.COMMISSION else 0,
        opening_hours=row[8] if agreement == Outlet.Agreement.COMMISSION else "08.00–17.00",
        floor_m2=FLOOR_M2.get(code),
    )


def _products(context) -> list[Product]:
    owner = list(
        Product.objects.filter(sme__accounts=context.users["pemilik"], code__isnull=False).order_by("id")[:3]
    )
    others = list(
        Product.objects.public()
        .filter(code__isnull=False)
        .exclude(pk__in=[p.pk for p in owner])
        .order_by("id")[:15]
    )
    return owner + others


def _sell_month(rng, outlet, products, cashier, per_day, year, month) -> int:
    sales = 0
    start, end = services.month_bounds(year, month)
    day = start
    while day <= end:
        for n in range(rng.randint(per_day - 2, per_day + 2)):
            at = timezone.make_aware(
                dt.datetime(day.year, day.month, day.day, 10 + n % 11, rng.randint(0, 59))
            )
            cart = [(p, rng.randint(1, 3)) for p in rng.sample(products, rng.randint(1, 3))]
            try:
                recorded = services.record_sale(
                    outlet=outlet,
                    cashier=cashier,
                    lines=cart,
                    payment=rng.choice(["cash", "cash", "qris", "qris", "transfer", "debit"]),
                    cash_received=-(-sum(p.price * q for p, q in cart) // 50_000) * 50_000,
                    client_key=f"demo-{outlet.code}-{day:%Y%m%d}-{n}",
                    at=at,
                )
            except services.OutletError:
                continue  # sold out: the next stock-in comes at the start of the month
            sales += 1
            if rng.random() < 0.01:
                services.void_sale(sale=recorded.sale, reason="Salah input jumlah", actor=cashier)
        day += dt.timedelta(days=1)
    return sales


def load(context) -> str:
    if Outlet.objects.filter(code__in=[row[0] for row in CONSIGNMENT + COOPERATION]).exists():
        return ""
    rng = random.Random(context.seed * 31 + 8)
    admin, officer, kasir = context.users["admin"], context.users["petugas"], context.users["kasir"]
    kecamatan = dict(Region.objects.filter(level=Region.Level.KECAMATAN).values_list("code", "pk"))
    partners = {
        p.name: p for p in Partner.objects.filter(name__in=[r[5] for r in CONSIGNMENT + COOPERATION if r[5]])
    }
    products = _products(context)
    if not products:
        return ""
    sales = 0
    for row in CONSIGNMENT:
        outlet = _outlet(row, kecamatan, partners, Outlet.Agreement.COMMISSION)
        cashier = kasir if row[0] == "AEON" else officer
        if row[0] == "AEON":
            services.assign_cashier(outlet=outlet, user=kasir, actor=admin)
        stocked = rng.sample(products, min(12, len(products)))
        for p in products[:3]:
            if p not in stocked:
                stocked.append(p)
        for year, month in MONTHS:
            by_sme: dict[int, list] = {}
            for p in stocked:
                retail = p.price
                by_sme.setdefault(p.sme_id, []).append(
                    services.StockInLine(
                        p, rng.randint(60, 90) * row[9] // 4, retail * (10000 - row[6]) // 10000, retail
                    )
                )
            for sme_lines in by_sme.values():
                note = services.receive_stock(
                    outlet=outlet, sme=sme_lines[0].product.sme, lines=sme_lines, actor=officer
                )
                note.created_at = timezone.make_aware(dt.datetime(year, month, 1, 8))
                note.save(update_fields=["created_at"])
            sales += _sell_month(rng, outlet, stocked, cashier, row[9], year, month)
        services.count_stock(outlet=outlet, product=stocked[0], counted=max(0, services.on_hand(outlet, stocked[0]) - 1),
                             reason="Satu kemasan rusak saat dihitung", actor=officer)  # fmt: skip
        for year, month in MONTHS:
            services.close_month(outlet=outlet, year=year, month=month, actor=officer)
            if (year, month) in PAID_MONTHS:
                for statement in outlet.statements.filter(year=year, month=month):
                    paid = services.month_bounds(year, month)[1] + dt.timedelta(days=10)
                    services.mark_paid(
                        statement=statement,
                        paid_on=paid,
                        reference=f"TRF-{outlet.code}-{year}{month:02d}-{statement.sme_id}",
                        actor=officer,
                    )
    reports = 0
    for row in COOPERATION:
        outlet = _outlet(row, kecamatan, partners, Outlet.Agreement.REVENUE_SHARE)
        low, high = row[7]
        for year, month in MONTHS:
            start, end = services.month_bounds(year, month)
            services.record_turnover(
                outlet=outlet,
                starts_on=start,
                ends_on=end,
                turnover=rng.randint(low * 1000, high * 1000) * 1000,
                evidence=_report_photo(row[1], (year, month)),
                evidence_kind="photo",
                actor=officer,
            )
            reports += 1
    return (
        f"Outlets: {len(CONSIGNMENT) + len(COOPERATION)} outlets, {sales} sales, {reports} turnover reports"
    )
