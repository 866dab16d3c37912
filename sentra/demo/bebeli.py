"""Demo Bebeli data: the regency's buyers, a ledger that adds up to the reported totals, orders under way.

Buyers: the demo `pembeli` orders for Dinas Pendidikan; other dinas and badan, the RSUD, the 23
kecamatan offices, schools, two companies and civil servants buying for themselves, each with a
yearly goods-and-services budget (some with a local-purchase target).

The ledger: verified, paid purchases imported from the earlier Bebeli application, one row each,
whose amounts add up exactly to the department's reported totals — Rp 90 billion in 2023 and Rp 103.4
billion in 2024 ("over Rp 100 billion") — and to demo figures for 2025 and 2026 (to November). They
are written with `core.bulk.insert_rows`, because the point of `--scale` is the size of the ledger:
`ledger_size(scale)` purchases, 20 per demo SME (2 million at `--scale 100000`). A few hundred of
2026's wait for an officer's verification, and some carry flags (late payment, over Rp 50 million).

Under way: a handful of orders through the real services, one at each step, for the demo SME
owner and `pembeli` to walk through.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from sentra.bebeli import flags, services, summaries
from sentra.bebeli.models import BuyerBudget, BuyerOrganisation, Purchase, PurchaseLine
from sentra.catalog.models import Product
from sentra.core.bulk import insert_rows
from sentra.regions.models import Region
from sentra.registry.models import Sme

YEAR_TOTALS = {2023: 90_000_000_000, 2024: 103_400_000_000, 2025: 108_750_000_000, 2026: 96_300_000_000}
LAST_MONTH = {2026: 11}
PENDING_2026 = 300
MIN_LEDGER = 12_000
PER_SME = 20
BATCH = 5_000
K = BuyerOrganisation.Kind
BUYERS = [
    ("Dinas Pendidikan Kabupaten Bekasi", K.DINAS, 9, 410_000_000_000, 60_000_000_000),
    ("Dinas Kesehatan Kabupaten Bekasi", K.DINAS, 6, 220_000_000_000, 30_000_000_000),
    ("Dinas Koperasi dan UKM Kabupaten Bekasi", K.DINAS, 3, 45_000_000_000, 15_000_000_000),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", K.DINAS, 4, 180_000_000_000, None),
    ("Dinas Perhubungan Kabupaten Bekasi", K.DINAS, 2, 60_000_000_000, None),
    ("Badan Perencanaan Pembangunan Daerah", K.BADAN, 2, 30_000_000_000, 8_000_000_000),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", K.BADAN, 2, 40_000_000_000, None),
    ("RSUD Kabupaten Bekasi", K.HOSPITAL, 6, 160_000_000_000, 25_000_000_000),
    ("SMP Negeri 1 Cikarang Utara", K.SCHOOL, 1, 4_000_000_000, None),
    ("SMA Negeri 1 Tambun Selatan", K.SCHOOL, 1, 4_500_000_000, None),
    ("PT Jababeka Infrastruktur", K.COMPANY, 2, 30_000_000_000, None),
    ("PT Bekasi Power", K.COMPANY, 1, 20_000_000_000, None),
    ("ASN Kabupaten Bekasi (pembelian pribadi)", K.ASN, 8, 0, None),
]  # fmt: skip
SEASON = [
    0.7,
    0.75,
    0.9,
    0.95,
    0.9,
    0.85,
    1.0,
    1.05,
    1.0,
    1.1,
    1.2,
    1.6,
]  # December: the year's last spending


def ledger_size(scale: int) -> int:
    return max(MIN_LEDGER, scale * PER_SME)


def _organisations(regency, users) -> list[tuple[BuyerOrganisation, int]]:
    """(organisation, weight of its share of purchases), created if missing; pembeli joins Disdik."""
    result = []
    kecamatan = list(Region.objects.filter(level=Region.Level.KECAMATAN, parent=regency).order_by("code"))
    rows = [
        *BUYERS,
        *((f"Kantor Kecamatan {k.name}", K.KECAMATAN, 1, 3_000_000_000, None) for k in kecamatan),
    ]
    for name, kind, weight, budget, target in rows:
        org, created = BuyerOrganisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "regency": regency, "address": f"{name}, Kabupaten Bekasi"}
        )
        if created and budget:
            for year in YEAR_TOTALS:
                BuyerBudget.objects.create(
                    organisation=org, year=year, goods_services=budget, local_target=target
                )
        result.append((org, weight))
    pembeli = users.get("pembeli")
    if pembeli is not None:
        result[0][0].members.add(pembeli)
    return result


def _dates(rng: random.Random, year: int, count: int) -> list[dt.date]:
    months = range(1, LAST_MONTH.get(year, 12) + 1)
    weights = [SEASON[m - 1] for m in months]
    chosen = rng.choices(list(months), weights=weights, k=count)
    return sorted(dt.date(year, m, rng.randint(1, 28)) for m in chosen)


def _amounts(rng: random.Random, total: int, count: int) -> list[int]:
    """`count` positive whole-Rupiah amounts adding up exactly to `total`, mostly small, a few large."""
    weights = [rng.paretovariate(1.6) for _ in range(count)]
    scale = total / sum(weights)
    amounts = [max(1, int(w * scale)) for w in weights]
    amounts[-1] += total - sum(amounts)
    if amounts[-1] <= 0:  # the rounding ate the last one: take it from the largest instead
        biggest = max(range(count), key=amounts.__getitem__)
        amounts[biggest] += amounts[-1] - 1
        amounts[-1] = 1
    return amounts


def load_ledger(*, count: int, seed: int, organisations, smes: list[int], say=lambda _m: None) -> int:
    """Write the imported ledger; returns the purchases written. Runs in the caller's transaction;
    the caller then runs `summaries.rebuild()` (bulk rows send no signals)."""
    rng = random.Random(f"bebeli-{seed}")
    orgs = [org for org, _w in organisations]
    weights = [w for _o, w in organisations]
    years = list(YEAR_TOTALS)
    share = [YEAR_TOTALS[y] for y in years]
    per_year = [int(count * s / sum(share)) for s in share]
    per_year[-1] += count - sum(per_year)
    now = timezone.now()
    written = 0
    regency_id = orgs[0].regency_id
    for year, n in zip(years, per_year, strict=True):
        dates, amounts = _dates(rng, year, n), _amounts(rng, YEAR_TOTALS[year], n)
        pending_from = n - PENDING_2026 if year == 2026 else n
        for start in range(0, n, BATCH):
            rows = []
            for i in range(start, min(start + BATCH, n)):
                paid_on = dates[i]
                delay = rng.choice((3, 5, 7, 10, 14, 14, 21, 25, 30, 45, 60))
                received = paid_on - dt.timedelta(days=delay)
                org = rng.choices(orgs, weights=weights)[0]
                found = ["large"] if amounts[i] > flags.LARGE_PURCHASE else []
                if delay > flags.PAYMENT_DAYS:
                    found.append("late_payment")
                rows.append({
                    "regency_id": regency_id, "organisation_id": org.pk, "sme_id": rng.choice(smes),
                    "source": Purchase.Source.IMPORT, "status": Purchase.Status.PAID,
                    "invoice_number": f"BBL/{year}/{i + 1:07d}", "total": amounts[i],
                    "ordered_on": received - dt.timedelta(days=rng.randint(2, 10)), "delivered_on": received,
                    "received_on": received, "paid_on": paid_on, "payment_reference": f"SP2D/{year}/{i + 1:07d}",
                    "payment_confirmed_at": now, "verified_at": None if i >= pending_from else now,
                    "flags": found, "import_key": f"demo:{seed}:{year}:{i + 1}",
                })  # fmt: skip
            ids = insert_rows(Purchase, rows, returning=True)
            insert_rows(
                PurchaseLine,
                ({"purchase_id": pk, "description": "Pengadaan barang/jasa (impor Bebeli lama)", "quantity": 1,
                  "unit_price": row["total"]} for pk, row in zip(ids, rows, strict=True)),
            )  # fmt: skip
            written += len(rows)
        say(f"bebeli {year}: {n} purchases")
    return written


def _under_way(context, organisations) -> int:
    """A few orders through the services, one at each step, from demo SMEs that have products."""
    pembeli = context.users.get("pembeli")
    owner = context.users.get("pemilik")
    if pembeli is None or owner is None:
        return 0
    org = organisations[0][0]
    products = list(Product.objects.public().filter(sme__accounts=owner).order_by("id")[:2])
    if not products:
        return 0
    sme = products[0].sme
    today = timezone.localdate()
    steps = ["ordered", "accepted", "delivered", "received", "paid"]
    for n, stop in enumerate(steps, start=1):
        purchase = services.place_order(
            user=pembeli, organisation=org, sme=sme, lines=[services.CartLine(products[0], 10 * n)],
            po_number=f"PO/DISDIK/{today.year}/{n:03d}", delivery_address=org.address, delivery_due=None,
        )  # fmt: skip
        if stop == "ordered":
            continue
        services.accept_order(purchase=purchase, user=owner)
        if stop == "accepted":
            continue
        lines = {line.pk: line.quantity for line in purchase.lines.all()}
        services.record_delivery(
            purchase=purchase, user=owner, quantities=lines, on=today, note="Surat jalan demo"
        )
        if stop == "delivered":
            continue
        services.confirm_receipt(purchase=purchase, user=pembeli, on=today)
        if stop == "received":
            continue
        services.record_payment(purchase=purchase, user=pembeli, on=today, reference=f"SP2D/DEMO/{n}")
        services.confirm_paid(purchase=purchase, user=owner)
    return len(steps)


def load(context) -> str:
    if Purchase.objects.filter(import_key__startswith=f"demo:{context.seed}:").exists():
        return ""
    smes = list(Sme.objects.verified().active().order_by("id").values_list("id", flat=True))
    if not smes:
        return ""
    with transaction.atomic():
        organisations = _organisations(context.regency, context.users)
        written = load_ledger(count=ledger_size(context.scale), seed=context.seed, organisations=organisations,
                              smes=smes, say=context.say)  # fmt: skip
        orders = _under_way(context, organisations)
        summaries.rebuild()
    return f"Bebeli: {len(organisations)} buyers, {written} ledger purchases, {orders} orders under way"
