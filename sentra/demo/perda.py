"""Demo Perda 30% obligations: a mall, a second mall, modern retail, a toll rest area, an industrial estate.

The story it tells, all in 2025 (a finished year, so the figures do not move with the calendar):

- Living Plaza Jababeka (the demo `mitra.mall` account) gives floor space to SMEs, reported
  quarterly: Q1 and Q2 met, Q3 partly met, Q4 submitted and waiting for the officer's review.
- Aeon Mall Deltamas, every semester: the first met (the Dekranasda outlet and an SME corner),
  the second never reported.
- Alfamart's Cikarang branches give shelf space quarterly: Q1 partly met, Q2 not met (nothing
  given), Q3 returned for correction, Q4 not reported.
- Rest Area KM 39 (Jakarta–Cikampek toll road), yearly on its space: partly met.
- Kawasan Industri Jababeka, yearly on its procurement value in Rupiah: met.

A report of a business that hosts a demo outlet points to it (loaded after the outlets): Living Plaza's
to its SME canteen, Aeon's to the Dekranasda gerai, whose consigning SMEs are its beneficiaries.

Everything goes through the Perda and partnership services; only the dates the services set to
"now" (submitted, reviewed) are moved to a few days after each period, as the story has them.
Idempotent: an obligation is looked up by its business and basis, a report by its period.
"""

from __future__ import annotations

import datetime as dt
import io
import zlib
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from sentra.outlets.services import consignors
from sentra.partners import services as partner_services
from sentra.partners.models import Partner
from sentra.perda import services
from sentra.perda.compliance import PeriodKind
from sentra.perda.models import Basis, Category, Obligation, Realisation
from sentra.regions.models import Region
from sentra.registry.models import Cooperative, Sme

NEW_PARTNERS = (
    # name, kind, kecamatan code, address
    ("Alfamart Cabang Cikarang (PT Sumber Alfaria Trijaya)", Partner.Kind.RETAIL, "32.16.09",
     "Jl. Raya Industri, Cikarang Utara"),
    ("Rest Area KM 39 Tol Jakarta–Cikampek", Partner.Kind.TOLL_REST_AREA, "32.16.12",
     "Jalan Tol Jakarta–Cikampek KM 39, Cikarang Barat"),
    ("Kawasan Industri Jababeka", Partner.Kind.INDUSTRIAL_ESTATE, "32.16.09",
     "Jl. Jababeka Raya, Cikarang Utara"),
)  # fmt: skip
PERDA = "Peraturan Daerah Kabupaten Bekasi Tahun 2023 tentang Kemudahan, Pelindungan dan Pemberdayaan Koperasi dan Usaha Mikro"
SPACE_ARTICLE = (
    "Pelaku usaha pusat perbelanjaan, toko swalayan, rest area dan kawasan industri wajib menyediakan "
    "paling sedikit 30% ruang usaha bagi usaha mikro, kecil dan koperasi (nomor dan pasal menunggu salinan resmi)."
)
# business, category, basis, period, reports: (period start, total, allocated, review)
# review: "accept", "return" or "" (left waiting)
OBLIGATIONS = (
    ("Living Plaza Jababeka", Category.SHOPPING_CENTRE, Basis.SPACE, PeriodKind.QUARTERLY, (
        ("2025-01-01", "12400", "3720", "accept"),
        ("2025-04-01", "12400", "3810.5", "accept"),
        ("2025-07-01", "12400", "2976", "accept"),
        ("2025-10-01", "12400", "3100", ""),
    )),
    ("Aeon Mall Deltamas", Category.SHOPPING_CENTRE, Basis.SPACE, PeriodKind.SEMESTER, (
        ("2025-01-01", "86000", "25800", "accept"),
    )),
    ("Alfamart Cabang Cikarang (PT Sumber Alfaria Trijaya)", Category.MODERN_RETAIL, Basis.SPACE, PeriodKind.QUARTERLY, (
        ("2025-01-01", "640", "96", "accept"),
        ("2025-04-01", "640", "0", "accept"),
        ("2025-07-01", "640", "192", "return"),
    )),
    ("Rest Area KM 39 Tol Jakarta–Cikampek", Category.TOLL_REST_AREA, Basis.SPACE, PeriodKind.YEARLY, (
        ("2025-01-01", "3200", "640", "accept"),
    )),
    ("Kawasan Industri Jababeka", Category.INDUSTRIAL_ESTATE, Basis.PROCUREMENT, PeriodKind.YEARLY, (
        ("2025-01-01", "48000000000", "15600000000", "accept"),
    )),
)  # fmt: skip


def _photo(seed: int, name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    colour = (zlib.crc32(f"{seed}:{name}".encode()) % 200, 120, 90)
    Image.new("RGB", (320, 200), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(f"{name}.png", buffer.getvalue(), content_type="image/png")


def _partners(context, admin) -> dict[str, Partner]:
    names = [row[0] for row in OBLIGATIONS]
    existing = {p.name: p for p in Partner.objects.filter(name__in=names)}
    kecamatan = dict(Region.objects.kecamatan().values_list("code", "pk"))
    for name, kind, code, address in NEW_PARTNERS:
        if name not in existing:
            existing[name] = partner_services.create_partner(
                actor=admin,
                data={"name": name, "kind": kind, "address": address, "kecamatan_id": kecamatan.get(code),
                      "regency": context.regency},
            )  # fmt: skip
    if "Living Plaza Jababeka" not in existing:  # the partnerships demo makes it; alone, make it here
        existing["Living Plaza Jababeka"] = partner_services.create_partner(
            actor=admin,
            data={"name": "Living Plaza Jababeka", "kind": Partner.Kind.RETAIL, "regency": context.regency},
        )
    if "Aeon Mall Deltamas" not in existing:
        existing["Aeon Mall Deltamas"] = partner_services.create_partner(
            actor=admin,
            data={"name": "Aeon Mall Deltamas", "kind": Partner.Kind.RETAIL, "regency": context.regency},
        )
    mall, user = existing["Living Plaza Jababeka"], context.users["mitra.mall"]
    if not mall.users.filter(pk=user.pk).exists():
        partner_services.update_partner(partner=mall, actor=admin, data={}, users=[*mall.users.all(), user])
    return existing


def _beneficiaries(seed: int, name: str, smes: list[Sme], cooperatives: list[Cooperative]):
    if not smes:
        return [], []
    start = zlib.crc32(f"{seed}:{name}".encode()) % len(smes)
    picked = [smes[(start + i * 7) % len(smes)] for i in range(min(4, len(smes)))]
    coops = cooperatives[start % len(cooperatives) : start % len(cooperatives) + 1] if cooperatives else []
    return list(dict.fromkeys(picked)), coops


def load(context) -> str:
    admin, officer = context.users["admin"], context.users["petugas"]
    smes = list(Sme.objects.active().verified().order_by("pk")[:200])
    cooperatives = list(Cooperative.objects.filter(status=Cooperative.Status.ACTIVE).order_by("pk")[:50])
    made = reports = 0
    with transaction.atomic():
        partners = _partners(context, admin)
        for name, category, basis, period, rows in OBLIGATIONS:
            partner = partners[name]
            obligation = Obligation.objects.filter(partner=partner, basis=basis).first()
            if obligation is None:
                obligation = services.create_obligation(
                    actor=admin,
                    data={"partner": partner, "category": category, "legal_basis": PERDA, "article": SPACE_ARTICLE,
                          "percentage": Decimal(30), "basis": basis, "period": period,
                          "starts_on": dt.date(2025, 1, 1), "grace_days": 30, "officer": officer},
                )  # fmt: skip
                made += 1
            for start, total, allocated, review in rows:
                day = dt.date.fromisoformat(start)
                if obligation.reports.filter(period_start=day).exists():
                    continue
                reporter = context.users["mitra.mall"] if name == "Living Plaza Jababeka" else officer
                some_smes, some_coops = _beneficiaries(context.seed, f"{name}{start}", smes, cooperatives)
                outlet = services.hosted_outlets(obligation).first()
                if outlet is not None and (consigning := list(consignors(outlet).order_by("pk"))):
                    some_smes = consigning
                report = services.submit_report(
                    obligation=obligation,
                    actor=reporter,
                    period_start=day,
                    total=Decimal(total),
                    allocated=Decimal(allocated),
                    description="Ruang usaha untuk UMKM binaan: kios, booth atrium dan rak produk lokal.",
                    outlet=outlet,
                    smes=some_smes if Decimal(allocated) else [],
                    cooperatives=some_coops if Decimal(allocated) else [],
                    evidence=_photo(context.seed, f"ruang-umkm-{start}"),
                    evidence_kind="photo",
                    caption="Foto area UMKM",
                    today=dt.date(2026, 1, 1),
                )
                if review:
                    services.review_report(
                        report=report,
                        actor=officer,
                        accept=review == "accept",
                        note=""
                        if review == "accept"
                        else "Luas rak UMKM belum sesuai denah; lampirkan denah terbaru.",
                    )
                submitted = dt.datetime.combine(
                    report.period_end + dt.timedelta(days=10), dt.time(10), dt.UTC
                )
                reviewed = submitted + dt.timedelta(days=5) if review else None
                Realisation.objects.filter(pk=report.pk).update(submitted_at=submitted, reviewed_at=reviewed)
                reports += 1
    if not (made or reports):
        return ""
    return f"Perda 30%: {made} obligations, {reports} realisation reports"
