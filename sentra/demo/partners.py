"""Demo partnerships: the partners the Dinas works with, their agreements, a foster parent, consent, offers.

The story it tells:

- Kejaksaan Negeri Kabupaten Bekasi is the foster parent (Jaksa Asuh UMKM) of Kecamatan Tambun
  Selatan, with a list of adopted SMEs, goals and four activities; several adopted SMEs obtained an
  NIB or a halal certificate, and some moved up a scale class, so its report compares them with the
  kecamatan's other SMEs.
- Bea Cukai (KPPBC Cikarang) signed an export-promotion MoU in February 2025 that ends in February
  2027 — its officer sees the expiry reminder — with an export clinic and a curation day.
- Bank BJB Cabang Cikarang (the demo `mitra` account) reaches SMEs that let banks find them and has
  sent KUR and other credit offers: some accepted, one declined, some open (one to the demo owner);
  two trainings ran under its cooperation agreement.
- The Living Plaza Jababeka outlet MoU of 2021, renewed in 2024; the loan-for-use agreement for the
  Dekranasda outlet at Aeon Mall Deltamas of November 2023, expired and waiting for an officer.
- SMEs across the regency choose which kinds of partner may find them, the demo owner's included.

Everything goes through the partnership services; only dates that the services set to "now" (when an
offer was sent and answered) are moved back to when the story has them happen. Idempotent: each record
is looked up by its number or name first. Choices come from the seed (a stable hash per SME, so a
larger scale keeps the choices of a smaller one).
"""

from __future__ import annotations

import datetime as dt
import io
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from sentra.core.audit import log_action
from sentra.core.models import AuditEntry
from sentra.core.pdf import render_pdf
from sentra.partners import services
from sentra.partners.models import Activity, Agreement, ConsentEvent, FosterAssignment, Offer, Partner
from sentra.regions.models import Region
from sentra.registry.models import Permit, Sme
from sentra.registry.services import update_sme

TAMBUN_SELATAN = "32.16.06"
CIKARANG_UTARA = "32.16.09"
# Share of verified SMEs that let some partners find them, and a ceiling for large demo sets.
CONSENT_PERCENT = 15
CONSENT_CEILING = 600

PARTNERS = (
    # name, kind, kecamatan code, address, contact, description
    ("Kejaksaan Negeri Kabupaten Bekasi", Partner.Kind.AGENCY, "32.16.20",
     "Kompleks Perkantoran Pemda, Jl. Bekasi Jaya No. 1, Sukamahi", "Kasi Intelijen",
     "Jaksa Asuh UMKM: pendampingan hukum dan legalitas usaha UMKM Kecamatan Tambun Selatan."),
    ("KPPBC TMP Cikarang (Bea Cukai)", Partner.Kind.CUSTOMS, "32.16.09",
     "Jl. Jababeka Raya Blok F 29-33, Cikarang Utara", "Seksi Penyuluhan dan Layanan Informasi",
     "Asistensi ekspor: klinik ekspor, kurasi produk dan prosedur PEB untuk UMKM."),
    ("Bank BJB Cabang Cikarang", Partner.Kind.BANK, "32.16.09",
     "Jl. Raya Cikarang–Cibarusah No. 15, Cikarang Utara", "Pimpinan Seksi Pemasaran Mikro",
     "Penyalur KUR dan mitra literasi keuangan UMKM."),
    ("Living Plaza Jababeka", Partner.Kind.RETAIL, "32.16.09",
     "Jl. Niaga Raya Kav. 1, Jababeka, Cikarang Utara", "Mall Management",
     "Gerai UMKM di area pusat perbelanjaan sejak 2021."),
    ("Aeon Mall Deltamas", Partner.Kind.RETAIL, "32.16.20",
     "Jl. Ganesha Boulevard, Kota Deltamas, Cikarang Pusat", "Tenant Relations",
     "Ruang gerai Dekranasda dengan perjanjian pinjam pakai."),
    ("Universitas Pelita Bangsa", Partner.Kind.UNIVERSITY, "32.16.09",
     "Jl. Inspeksi Kalimalang, Cibatu, Cikarang Selatan", "LPPM",
     "Mahasiswa magang sebagai pendamping UMKM."),
    ("PT Sarinah (Persero)", Partner.Kind.SOE, "",
     "Jl. M.H. Thamrin No. 11, Jakarta Pusat", "Divisi Kemitraan UMKM",
     "Pembeli produk UMKM kurasi untuk gerai nasional."),
)  # fmt: skip


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _hash(seed: int, *parts: object) -> int:
    """A stable number per SME and purpose, so choices survive a larger demo set."""
    return zlib.crc32(":".join(str(p) for p in (seed, *parts)).encode())


def load(context) -> str:
    admin, officer = context.users["admin"], context.users["petugas"]
    added: list[str] = []
    with transaction.atomic():
        partners = _partners(context, admin, added)
        agreements = _agreements(partners, admin, officer, added)
        _foster(context, partners, agreements, admin, officer, added)
        _agreement_activities(context, agreements, admin, added)
        _consents(context, added)
        _offers(context, partners, added)
    return "Partnerships: " + ", ".join(added) if added else ""


# --- partners and agreements -------------------------------------------------------------------


def _partners(context, admin, added: list[str]) -> dict[str, Partner]:
    existing = {p.name: p for p in Partner.objects.filter(name__in=[row[0] for row in PARTNERS])}
    kecamatan = dict(Region.objects.kecamatan().values_list("code", "pk"))
    created = 0
    for name, kind, code, address, contact, description in PARTNERS:
        if name in existing:
            continue
        existing[name] = services.create_partner(
            actor=admin,
            data={
                "name": name,
                "kind": kind,
                "address": address,
                "kecamatan_id": kecamatan.get(code),
                "contact_name": contact,
                "description": description,
                "regency": context.regency,
            },
        )
        created += 1
    bank = existing["Bank BJB Cabang Cikarang"]
    mitra = context.users["mitra"]
    if not bank.users.filter(pk=mitra.pk).exists():
        services.update_partner(partner=bank, actor=admin, data={}, users=[*bank.users.all(), mitra])
    if created:
        added.append(f"{created} partners")
    return existing


AGREEMENTS = (
    # key, number, title, kind, partner names, other parties, scope, start, end, signed, status, officer?
    ("customs", "500.3/118/Diskopukm/II/2025",
     "Asistensi dan promosi ekspor produk UMKM Kabupaten Bekasi", Agreement.Kind.MOU,
     ("KPPBC TMP Cikarang (Bea Cukai)",), "",
     "Klinik ekspor berkala, kurasi produk siap ekspor, pendampingan dokumen PEB dan surat keterangan asal, "
     "serta promosi bersama pada pameran dagang.",
     "2025-02-03", "2027-02-02", "2025-02-03", "signed", True),
    ("kejari", "B-07/M.2.21/Dsb/03/2025",
     "Jaksa Asuh UMKM: pendampingan hukum dan legalitas usaha", Agreement.Kind.MOU,
     ("Kejaksaan Negeri Kabupaten Bekasi",), "",
     "Penyuluhan hukum, pendampingan perizinan berusaha (NIB, halal, P-IRT) dan penyelesaian sengketa "
     "usaha bagi UMKM binaan.",
     "2025-03-01", "2027-02-28", "2025-02-26", "signed", True),
    ("bjb", "582/PKS/BJB-CKR/VII/2025",
     "Penyaluran KUR dan literasi keuangan UMKM", Agreement.Kind.COOPERATION,
     ("Bank BJB Cabang Cikarang",), "",
     "Sosialisasi KUR, pembukaan rekening dan QRIS, pelatihan pembukuan sederhana bagi UMKM binaan Dinas.",
     "2025-07-01", "2027-06-30", "2025-06-24", "signed", True),
    ("living_2021", "510/045/Diskopukm/2021",
     "Penyediaan gerai UMKM di Living Plaza Jababeka", Agreement.Kind.MOU,
     ("Living Plaza Jababeka",), "",
     "Ruang gerai bagi produk UMKM binaan dengan sistem konsinyasi, dikelola bersama Dinas.",
     "2021-06-01", "2024-05-31", "2021-05-27", "signed", False),
    ("living_2024", "510/077/Diskopukm/2024",
     "Perpanjangan gerai UMKM di Living Plaza Jababeka", Agreement.Kind.MOU,
     ("Living Plaza Jababeka",), "",
     "Perpanjangan kerja sama gerai UMKM, termasuk promosi bersama pada akhir pekan.",
     "2024-06-01", "2027-05-31", "2024-05-30", "signed", False),
    ("aeon", "028/PP/AEON-DKR/XI/2023",
     "Pinjam pakai ruang gerai Dekranasda di Aeon Mall Deltamas", Agreement.Kind.LOAN_FOR_USE,
     ("Aeon Mall Deltamas",), "Dekranasda Kabupaten Bekasi",
     "Pinjam pakai ruang gerai untuk kerajinan dan makanan olahan UMKM binaan Dekranasda dan Dinas.",
     "2023-11-15", "2026-11-14", "2023-11-10", "signed", False),
    ("upb", "DRAFT/LPPM-UPB/2026",
     "Magang mahasiswa pendamping UMKM", Agreement.Kind.COOPERATION,
     ("Universitas Pelita Bangsa",), "",
     "Mahasiswa semester akhir mendampingi pembukuan dan pemasaran digital UMKM selama satu semester.",
     "2027-02-01", "2027-07-31", None, "draft", True),
)  # fmt: skip


def _signed_copy(number: str, title: str, parties: list[str], scope: str, start, end) -> SimpleUploadedFile:
    pdf = render_pdf(
        "partners/demo_agreement.pdf.html",
        {"number": number, "title": title, "parties": parties, "scope": scope, "start": start, "end": end},
    )
    return SimpleUploadedFile(f"{number}.pdf".replace("/", "-"), pdf, content_type="application/pdf")


def _agreements(partners, admin, officer, added: list[str]) -> dict[str, Agreement]:
    existing = {a.number: a for a in Agreement.objects.filter(number__in=[row[1] for row in AGREEMENTS])}
    found, created = {}, 0
    for (
        key,
        number,
        title,
        kind,
        names,
        others,
        scope,
        start,
        end,
        signed,
        status,
        with_officer,
    ) in AGREEMENTS:
        if number in existing:
            found[key] = existing[number]
            continue
        parties = [partners[name] for name in names]
        start, end = _day(start), _day(end)
        data = {
            "number": number,
            "title": title,
            "kind": kind,
            "other_parties": others,
            "scope": scope,
            "starts_on": start,
            "ends_on": end,
            "signed_on": _day(signed) if signed else None,
            "status": status,
            "officer": officer if with_officer else None,
            "renews": found.get("living_2021") if key == "living_2024" else None,
        }
        upload = None
        if status == Agreement.Status.SIGNED:
            upload = _signed_copy(
                number, title, [p.name for p in parties] + ([others] if others else []), scope, start, end
            )
        found[key] = services.create_agreement(actor=admin, data=data, partners=parties, signed_file=upload)
        created += 1
    old = found["living_2021"]
    if old.status != Agreement.Status.ENDED:
        services.end_agreement(
            agreement=old, actor=admin, note="Diperpanjang dengan perjanjian 510/077/Diskopukm/2024."
        )
    if created:
        added.append(f"{created} agreements")
    return found


# --- the foster parent of Tambun Selatan -------------------------------------------------------

FOSTER_ACTIVITIES = (
    ("Penyuluhan hukum: legalitas usaha dan perlindungan konsumen", "2025-04-16", None,
     "Aula Kantor Kecamatan Tambun Selatan", 0.7),
    ("Pendampingan pengurusan NIB melalui OSS", "2025-06-11", "2025-06-12", "Kantor Desa Mekarsari", 0.5),
    ("Sosialisasi sertifikasi halal gratis (SEHATI)", "2025-09-17", None, "Aula Kantor Kecamatan Tambun Selatan", 0.6),
    ("Bazar UMKM binaan Jaksa Asuh", "2026-02-20", "2026-02-22", "Halaman Kantor Kejaksaan Negeri", 0.4),
)  # fmt: skip


def _foster(context, partners, agreements, admin, officer, added: list[str]) -> None:
    kejari = partners["Kejaksaan Negeri Kabupaten Bekasi"]
    kecamatan = Region.objects.get(code=TAMBUN_SELATAN)
    if FosterAssignment.objects.filter(partner=kejari, kecamatan=kecamatan).exists():
        return
    start, end = _day("2025-03-01"), _day("2026-12-31")
    assignment = services.create_foster(
        actor=admin,
        data={
            "partner": kejari,
            "kecamatan": kecamatan,
            "starts_on": start,
            "ends_on": end,
            "agreement": agreements["kejari"],
            "officer": officer,
            "regency": context.regency,
            "goals": "UMKM binaan memiliki NIB dan sertifikat halal, memahami hak dan kewajiban hukum usahanya, "
            "dan naik kelas.",
        },
        goals={"nib": 8, "halal": 5, "scale_up": 2, "reached": 12, "activities": 4},
    )
    smes = list(
        Sme.objects.active()
        .verified()
        .filter(kecamatan=kecamatan)
        .order_by("name", "id")
        .only("id", "name", "nib", "capital", "scale", "kecamatan_id")
    )
    adopted = [s for s in smes if _hash(context.seed, "foster", s.name) % 100 < 45] or smes[:6]
    services.add_foster_smes(assignment=assignment, actor=admin, smes=adopted)
    for title, first, last, place, share in FOSTER_ACTIVITIES:
        activity = services.record_activity(
            actor=officer,
            parent=assignment,
            data={
                "title": title,
                "starts_on": _day(first),
                "ends_on": _day(last) if last else None,
                "place": place,
            },
        )
        involved = [s for s in adopted if _hash(context.seed, title, s.name) % 100 < share * 100]
        services.add_activity_smes(activity=activity, actor=officer, smes=involved)
    _photo_evidence(activity, officer, "Foto bazar UMKM binaan")
    _progress(context, adopted, [s for s in smes if s not in adopted], officer)
    added.append(f"the Tambun Selatan foster parent with {len(adopted)} SMEs")


def _progress(context, adopted: list[Sme], others: list[Sme], officer) -> None:
    """What the adopted SMEs gained in the period, through the registry's own edit where there is one."""
    serial = 0
    for group, nib_share, halal_share, scale_share in ((adopted, 60, 40, 20), (others, 15, 10, 5)):
        for sme in group:
            serial += 1
            h = _hash(context.seed, "progress", sme.name)
            if not sme.nib and h % 100 < nib_share:
                issued = _day("2025-06-12") + dt.timedelta(days=h % 200)
                update_sme(
                    sme=sme,
                    actor=officer,
                    data={"nib": f"12{20250000000 + serial:011d}", "nib_issued_on": issued},
                )
            if (h // 100) % 100 < halal_share and not sme.permits.filter(kind=Permit.Kind.HALAL).exists():
                issued = _day("2025-10-01") + dt.timedelta(days=(h // 7) % 300)
                permit = Permit.objects.create(
                    sme=sme,
                    kind=Permit.Kind.HALAL,
                    number=f"ID32160{issued:%y%m}{serial:08d}",
                    issued_on=issued,
                    expires_on=issued.replace(year=issued.year + 4),
                )
                log_action(
                    actor=officer,
                    verb="registry.permit.added",
                    obj=sme,
                    changes={"permit": [None, str(permit)]},
                    note="demo data",
                )
            if (h // 10000) % 100 < scale_share and sme.scale == "micro":
                # Capital past the micro ceiling: the registry records the new class in the scale history.
                update_sme(sme=sme, actor=officer, data={"capital": 1_250_000_000 + (h % 50) * 10_000_000})


def _photo_evidence(activity: Activity, actor, caption: str) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 400), (11, 93, 59))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 600, 360), outline=(255, 255, 255), width=4)
    draw.text((70, 180), f"{activity.title} — {activity.starts_on:%d-%m-%Y}", fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    upload = SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")
    services.add_evidence(activity=activity, actor=actor, upload=upload, kind="photo", caption=caption)


# --- activities under the customs and the bank agreements ---------------------------------------

AGREEMENT_ACTIVITIES = {
    # agreement key: (KBLI category of the SMEs involved, or "" for any; activities; evidence caption)
    "customs": ("C", (
        ("Klinik ekspor: prosedur PEB dan surat keterangan asal", "2025-05-14", None, "PLUT Kabupaten Bekasi"),
        ("Kurasi produk siap ekspor ke Jepang", "2025-09-10", None, "KPPBC TMP Cikarang"),
        ("Pendampingan pameran Trade Expo Indonesia", "2025-10-08", "2025-10-12", "ICE BSD, Tangerang"),
    ), "Foto stan UMKM di pameran"),
    "bjb": ("", (
        ("Sosialisasi KUR dan pembukaan rekening", "2025-08-20", None, "PLUT Kabupaten Bekasi"),
        ("Pelatihan pembukuan sederhana dan QRIS", "2025-11-12", None, "Bank BJB Cabang Cikarang"),
    ), "Foto pelatihan pembukuan"),
}  # fmt: skip


def _agreement_activities(context, agreements, admin, added: list[str]) -> None:
    count = 0
    for key, (category, activities, caption) in AGREEMENT_ACTIVITIES.items():
        agreement = agreements[key]
        if agreement.activities.exists():
            continue
        smes = Sme.objects.active().verified().order_by("name", "id").only("id", "name")
        if category:
            smes = smes.filter(kbli_category=category)
        chosen = [s for s in smes if _hash(context.seed, key, s.name) % 100 < 12][:24]
        for title, first, last, place in activities:
            activity = services.record_activity(
                actor=admin,
                parent=agreement,
                data={
                    "title": title,
                    "starts_on": _day(first),
                    "ends_on": _day(last) if last else None,
                    "place": place,
                },
            )
            services.add_activity_smes(
                activity=activity,
                actor=admin,
                smes=[s for s in chosen if _hash(context.seed, title, s.name) % 100 < 60],
            )
            count += 1
        _photo_evidence(activity, admin, caption)
    if count:
        added.append(f"{count} activities under agreements")


# --- consent and offers ------------------------------------------------------------------------

KIND_SHARES = (
    (Partner.Kind.BANK, 70),
    (Partner.Kind.RETAIL, 50),
    (Partner.Kind.SOE, 30),
    (Partner.Kind.COMPANY, 30),
    (Partner.Kind.UNIVERSITY, 25),
)
FIELD_SHARES = (
    ("products", 90),
    ("contact", 60),
    ("owner_name", 40),
    ("numbers", 40),
    ("finance", 30),
    ("address", 30),
    ("workers", 30),
)


def _consents(context, added: list[str]) -> None:
    pemilik = context.users["pemilik"]
    own = list(Sme.objects.filter(accounts=pemilik).order_by("name"))
    given = set(ConsentEvent.objects.values_list("sme_id", flat=True).distinct())
    count = 0
    for sme in own:
        if sme.pk not in given:
            services.set_consent(
                sme=sme,
                actor=pemilik,
                kinds=[Partner.Kind.BANK, Partner.Kind.RETAIL, Partner.Kind.SOE],
                fields=["products", "contact", "owner_name", "finance"],
            )
            count += 1
    verified = Sme.objects.active().verified().exclude(accounts=pemilik).order_by("name", "id")
    chosen = [
        (pk, name)
        for pk, name in verified.values_list("pk", "name")
        if _hash(context.seed, "consent", name) % 100 < CONSENT_PERCENT
    ][:CONSENT_CEILING]
    for pk, name in chosen:
        if pk in given:
            continue
        h = _hash(context.seed, "kinds", name)
        kinds = [kind for i, (kind, share) in enumerate(KIND_SHARES) if (h >> (i * 5)) % 100 < share]
        fields = [key for i, (key, share) in enumerate(FIELD_SHARES) if (h >> (i * 4 + 2)) % 100 < share]
        sme = Sme(pk=pk, name=name)
        services.set_consent(sme=sme, actor=None, kinds=kinds or [Partner.Kind.BANK], fields=fields)
        if h % 23 == 0 and Partner.Kind.UNIVERSITY in kinds:
            # Changed their mind later: the history shows both choices.
            services.set_consent(
                sme=sme, actor=None, kinds=[k for k in kinds if k != Partner.Kind.UNIVERSITY], fields=fields
            )
        count += 1
    if count:
        added.append(f"consent of {count} SMEs")


BJB_OFFERS = (
    # kind, title, message, amount, answer (None: open; "withdrawn"), answer text, sent (days before AS_OF)
    (Offer.Kind.KUR, "KUR Mikro BJB hingga Rp 100 juta",
     "Bunga efektif 6% per tahun, tenor sampai 5 tahun, tanpa agunan tambahan untuk plafon sampai Rp 100 juta. "
     "Petugas kami dapat datang ke tempat usaha untuk survei.", 100_000_000, None, "", 12),
    (Offer.Kind.FINANCING, "Kredit Modal Kerja BJB untuk persediaan bahan baku",
     "Plafon sesuai omzet, pencairan bertahap mengikuti pesanan.", 250_000_000, "accepted",
     "Silakan hubungi saya lewat WhatsApp untuk jadwal survei.", 40),
    (Offer.Kind.KUR, "KUR Mikro BJB hingga Rp 50 juta",
     "Bunga efektif 6% per tahun, tenor sampai 3 tahun.", 50_000_000, "accepted",
     "Terima kasih, kami tertarik. Kami siapkan NIB dan laporan penjualan.", 55),
    (Offer.Kind.KUR, "KUR Mikro BJB hingga Rp 50 juta",
     "Bunga efektif 6% per tahun, tenor sampai 3 tahun.", 50_000_000, "declined",
     "Saat ini belum membutuhkan pinjaman.", 50),
    (Offer.Kind.TRAINING, "Pelatihan pembukuan digital dan QRIS",
     "Pelatihan satu hari di kantor cabang, gratis, kuota 30 UMKM.", None, "accepted", "Kami ikut.", 30),
    (Offer.Kind.KUR, "KUR Super Mikro hingga Rp 10 juta",
     "Untuk usaha yang baru berjalan; bunga 3% per tahun.", 10_000_000, None, "", 8),
    (Offer.Kind.KUR, "KUR Mikro BJB hingga Rp 75 juta",
     "Bunga efektif 6% per tahun.", 75_000_000, "withdrawn", "", 70),
)  # fmt: skip


def _offers(context, partners, added: list[str]) -> None:
    bank = partners["Bank BJB Cabang Cikarang"]
    if bank.offers.exists():
        return
    mitra, pemilik = context.users["mitra"], context.users["pemilik"]
    from sentra.partners.consent import consenting_smes

    reachable = list(consenting_smes(bank).order_by("name", "id").only("id", "name", "public_id"))
    own = [s for s in reachable if s.accounts.filter(pk=pemilik.pk).exists()]
    others = [s for s in reachable if s not in own]
    others.sort(key=lambda s: _hash(context.seed, "offer", s.name))
    # The owner's first business gets the open KUR offer, the second the accepted working-capital one.
    targets = own[:2] + others
    valid_until = _day("2027-03-31")
    created = 0
    for (kind, title, message, amount, answer, text, days), sme in zip(BJB_OFFERS, targets, strict=False):
        offer = services.send_offer(
            partner=bank,
            sme=sme,
            actor=mitra,
            data={
                "kind": kind,
                "title": title,
                "message": message,
                "amount": amount,
                "valid_until": valid_until,
            },
        )
        sent = _at(days)
        answered = sent + dt.timedelta(days=3, hours=5)
        if answer == "withdrawn":
            services.withdraw_offer(offer=offer, actor=mitra, reason="Program KUR periode ini sudah penuh.")
        elif answer:
            owner = pemilik if sme in own else None
            services.answer_offer(offer=offer, actor=owner, accept=answer == "accepted", answer=text)
            Offer.objects.filter(pk=offer.pk).update(answered_at=answered)
        Offer.objects.filter(pk=offer.pk).update(sent_at=sent)
        AuditEntry.objects.filter(object_id=str(offer.pk), verb="partners.offer.sent").update(at=sent)
        created += 1
    retail = partners["Living Plaza Jababeka"]
    for sme in list(consenting_smes(retail).order_by("name", "id")[:2]):
        offer = services.send_offer(
            partner=retail,
            sme=sme,
            actor=None,
            data={
                "kind": Offer.Kind.SUPPLY,
                "title": "Titip jual di gerai UMKM Living Plaza",
                "message": "Konsinyasi dengan margin 20%, pembayaran setiap tanggal 10.",
                "amount": None,
                "valid_until": valid_until,
            },
        )
        Offer.objects.filter(pk=offer.pk).update(sent_at=_at(20))
        created += 1
    if created:
        added.append(f"{created} offers to SMEs")


def _at(days_before: int) -> dt.datetime:
    from .generator import AS_OF

    day = AS_OF - dt.timedelta(days=days_before)
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10, 30))
