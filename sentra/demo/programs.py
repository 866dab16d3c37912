"""Demo data of the programmes: what the Dinas ran in 2023–2024 and what came of it.

Halal, P-IRT and NIB facilitation, digital marketing, packaging, bookkeeping and export-readiness
training across the 23 kecamatan, each with sessions, attendance taken at the door, certificates
obtained (written to the registry's legality records) and completion certificates; one programme
over quota with its waiting list moving up; an acceleration cohort of 2024 with weekly reports,
mentors' reviews, one at-risk task closed and one still open; mentors' visits; clinic
consultations with referrals and outcomes verified by a second officer; the SME forums' meetings;
and a programme open for applications now, for the owner and the officer to try.

Everything goes through the programmes' services. Times are then set back to when they happened
(a check-in at a 2023 session, a 2024 weekly report), since the services stamp "now". Every choice
comes from the seed; a second run finds the first programme and adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from sentra.programs import clinic, mentoring, outcomes, services
from sentra.programs.attendance import check_in
from sentra.programs.models import (
    Attendance,
    ClinicBooking,
    ClinicSlot,
    Enrolment,
    KpiReport,
    Mentor,
    Outcome,
    Programme,
    Referral,
    RiskTask,
    Session,
    Topic,
    Visit,
)
from sentra.regions.models import Region
from sentra.registry import services as registry
from sentra.registry.models import Forum, ScaleRecord, Sme

from .services import DemoContext
from .users import CIKARANG_UTARA

WIB = dt.timezone(dt.timedelta(hours=7))
DINAS_HALL = "Aula Dinas Koperasi dan UKM, Cikarang Pusat"
PLUT = "PLUT Kabupaten Bekasi, Cikarang Pusat"
FOOD = ["C", "I"]


@dataclass(frozen=True)
class Spec:
    title: str
    kind: str
    starts: dt.date
    sessions: int
    quota: int
    certification: str = ""
    sectors: tuple[str, ...] = ()
    scales: tuple[str, ...] = ()
    kecamatan: tuple[str, ...] = ()  # codes; empty: the whole regency
    venue: str = DINAS_HALL
    description: str = ""
    extra: int = 0  # enrolled beyond the quota: they wait
    status: str = Programme.Status.COMPLETED


K = {  # the kecamatan codes the specs name
    "tambun_selatan": "32.16.06",
    "tambun_utara": "32.16.19",
    "cikarang_utara": CIKARANG_UTARA,
    "cikarang_barat": "32.16.10",
    "cikarang_selatan": "32.16.11",
    "cikarang_timur": "32.16.12",
    "setu": "32.16.03",
    "serang_baru": "32.16.20",
    "cibarusah": "32.16.15",
    "babelan": "32.16.22",
    "tarumajaya": "32.16.01",
    "muaragembong": "32.16.23",
}

SPECS = (
    Spec(
        "Fasilitasi Sertifikasi Halal Gratis (SEHATI) 2023",
        Programme.Kind.CERTIFICATION,
        dt.date(2023, 3, 6),
        3,
        20,
        certification="halal",
        sectors=tuple(FOOD),
        scales=("micro",),
        description="Pendampingan pernyataan mandiri (self declare) sertifikasi halal bagi usaha mikro pangan.",
    ),
    Spec(
        "Pelatihan Pemasaran Digital: Marketplace dan Media Sosial 2023",
        Programme.Kind.TRAINING,
        dt.date(2023, 5, 8),
        4,
        14,
        extra=3,
        description="Membuka toko di marketplace, foto produk dengan ponsel, dan iklan berbayar sederhana.",
    ),
    Spec(
        "Fasilitasi P-IRT Pangan Olahan Wilayah Cikarang 2023",
        Programme.Kind.CERTIFICATION,
        dt.date(2023, 7, 10),
        2,
        15,
        certification="pirt",
        sectors=("C",),
        kecamatan=(K["cikarang_utara"], K["cikarang_barat"], K["cikarang_selatan"], K["cikarang_timur"]),
        venue="Kantor Kecamatan Cikarang Utara",
    ),
    Spec(
        "Fasilitasi NIB melalui OSS: Tambun Selatan dan Tambun Utara 2023",
        Programme.Kind.CERTIFICATION,
        dt.date(2023, 8, 14),
        2,
        15,
        certification="nib",
        kecamatan=(K["tambun_selatan"], K["tambun_utara"]),
        venue="Kantor Kecamatan Tambun Selatan",
    ),
    Spec(
        "Pendampingan Usaha Kuliner 2023",
        Programme.Kind.COACHING,
        dt.date(2023, 9, 4),
        3,
        12,
        sectors=("I",),
        description="Pendampingan menu, harga pokok, dan kebersihan dapur bagi warung dan katering rumahan.",
    ),
    Spec(
        "Pelatihan Kemasan dan Label Produk 2023",
        Programme.Kind.TRAINING,
        dt.date(2023, 10, 16),
        2,
        20,
        sectors=("C",),
    ),
    Spec(
        "Fasilitasi Sertifikasi Halal Gratis (SEHATI) 2024",
        Programme.Kind.CERTIFICATION,
        dt.date(2024, 2, 5),
        3,
        20,
        certification="halal",
        sectors=tuple(FOOD),
        scales=("micro",),
    ),
    Spec(
        "Pelatihan Pembukuan Sederhana dan Akses KUR 2024",
        Programme.Kind.TRAINING,
        dt.date(2024, 3, 18),
        2,
        24,  # one a kecamatan, and one more
        description="Mencatat kas harian, memisahkan uang usaha dan rumah tangga, dan syarat pengajuan KUR.",
    ),
    Spec(
        "Fasilitasi P-IRT Wilayah Selatan 2024",
        Programme.Kind.CERTIFICATION,
        dt.date(2024, 4, 22),
        2,
        15,
        certification="pirt",
        sectors=("C",),
        kecamatan=(K["setu"], K["serang_baru"], K["cibarusah"]),
        venue="Kantor Kecamatan Serang Baru",
    ),
    Spec(
        "Fasilitasi NIB Wilayah Utara 2024",
        Programme.Kind.CERTIFICATION,
        dt.date(2024, 5, 20),
        2,
        15,
        certification="nib",
        kecamatan=(K["babelan"], K["tarumajaya"], K["muaragembong"]),
        venue="Kantor Kecamatan Babelan",
    ),
    Spec(
        "Akselerasi UMKM Naik Kelas 2024",
        Programme.Kind.ACCELERATION,
        dt.date(2024, 7, 1),
        4,
        10,
        scales=("micro", "small"),
        description="Tiga bulan pendampingan intensif dengan laporan omzet mingguan dan pendamping tetap.",
    ),
    Spec(
        "Pelatihan Foto Produk untuk Katalog 2024",
        Programme.Kind.TRAINING,
        dt.date(2024, 8, 12),
        2,
        24,  # one a kecamatan, and one more
    ),
    Spec(
        "Kesiapan Ekspor: Kurasi Produk dan Dokumen Ekspor 2024",
        Programme.Kind.TRAINING,
        dt.date(2024, 10, 7),
        3,
        12,
        sectors=("C",),
        description="Standar produk ekspor, dokumen PEB dan SKA, bersama Bea Cukai dan kurator ekspor.",
    ),
    Spec(
        "Pelatihan Pemasaran Digital dan Foto Produk 2027",
        Programme.Kind.TRAINING,
        dt.date(2027, 1, 18),
        2,
        25,
        status=Programme.Status.OPEN,
        description="Pendaftaran dibuka: pemasaran di marketplace dan media sosial, foto produk dengan ponsel.",
    ),
)
ATTENDANCE = 0.85  # chance a participant comes to a session
CERTIFIED = 0.7  # share of certification participants who obtain the certificate
COHORT_WEEKS = 13


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=WIB)


def load(context: DemoContext) -> str:
    if Programme.objects.filter(title=SPECS[0].title, starts_on=SPECS[0].starts).exists():
        return ""
    with transaction.atomic():
        return _load(context)


def _load(context: DemoContext) -> str:
    rng = random.Random(f"programs-{context.seed}")
    users = context.users
    officer = users["petugas"]
    mentors = _mentors(users)
    factor = 1 + min(context.scale // 10_000, 3)
    pemilik_sme = (
        Sme.objects.filter(accounts=users["pemilik"], status=Sme.Status.VERIFIED).order_by("pk").first()
    )
    counts = defaultdict(int)
    for spec in SPECS:
        programme, enrolments = _programme(
            spec, rng=rng, actor=officer, factor=factor, pemilik_sme=pemilik_sme
        )
        counts["programmes"] += 1
        counts["participants"] += len(enrolments)
        if spec.status != Programme.Status.COMPLETED:
            continue
        counts["check-ins"] += _attendance(programme, enrolments, rng=rng, actor=officer)
        counts["certificates"] += _outcomes(programme, enrolments, rng=rng, actor=officer)
        if programme.is_cohort:
            _cohort(programme, enrolments, rng=rng, mentors=mentors, owner=users["pemilik"])
        services.update_programme(
            programme=programme,
            actor=officer,
            data={"status": Programme.Status.COMPLETED},
            kecamatan=programme.eligible_kecamatan.all(),
            forums=programme.eligible_forums.all(),
        )
    _naik_kelas(rng=rng, actor=officer)
    _visits(mentors["dedi"], rng=rng, actor=users["petugas.cikarang"])
    counts["consultations"] = _clinic(mentors, rng=rng, users=users, pemilik_sme=pemilik_sme)
    counts["forum meetings"] = _forums(context.regency, rng=rng, users=users, pemilik_sme=pemilik_sme)
    return "programmes: " + ", ".join(f"{n} {what}" for what, n in counts.items())


# --- programmes --------------------------------------------------------------------------------


def _mentors(users) -> dict[str, Mentor]:
    def mentor(**data):
        return mentoring.save_mentor(actor=users["admin"], data=data)

    return {
        "agus": mentor(
            name="Agus Hermawan",
            user=users["petugas"],
            expertise="Legalitas usaha dan pemasaran digital",
            is_consultant=True,
            topics=[Topic.LEGALITY, Topic.DIGITAL],
        ),
        "hendra": mentor(
            name="Hendra Gunawan",
            user=users["mitra"],
            expertise="Keuangan usaha mikro dan KUR",
            is_consultant=True,
            topics=[Topic.FINANCE],
        ),
        "dedi": mentor(
            name="Dedi Supriyadi", user=users["petugas.cikarang"], expertise="Produksi pangan olahan"
        ),
        "dewi": mentor(
            name="Dewi Lestari",
            expertise="Kurator produk ekspor",
            is_consultant=True,
            topics=[Topic.MARKETING, Topic.PRODUCTION, Topic.EXPORT],
        ),
    }


def _spread(smes: list[Sme], rng: random.Random) -> list[Sme]:
    """SMEs shuffled, then taken kecamatan by kecamatan in turn, so a regency-wide programme reaches
    all of them."""
    rng.shuffle(smes)
    by_kecamatan = defaultdict(list)
    for sme in smes:
        by_kecamatan[sme.kecamatan_id].append(sme)
    queues = [by_kecamatan[k] for k in sorted(by_kecamatan)]
    rng.shuffle(queues)
    spread = []
    while any(queues):
        for queue in queues:
            if queue:
                spread.append(queue.pop())
    return spread


def _programme(spec: Spec, *, rng, actor, factor: int, pemilik_sme) -> tuple[Programme, list[Enrolment]]:
    quota = spec.quota * factor
    ends = (
        spec.starts + dt.timedelta(weeks=COHORT_WEEKS - 1, days=6)
        if spec.kind == Programme.Kind.ACCELERATION
        else (spec.starts + dt.timedelta(weeks=max(spec.sessions - 1, 1) * 2, days=4))
    )
    programme = services.create_programme(
        actor=actor,
        data={
            "title": spec.title,
            "kind": spec.kind,
            "certification": spec.certification,
            "description": spec.description,
            "quota": quota,
            "starts_on": spec.starts,
            "ends_on": ends,
            "status": Programme.Status.OPEN,
            "eligible_sectors": list(spec.sectors),
            "eligible_scales": list(spec.scales),
        },
        kecamatan=Region.objects.filter(code__in=spec.kecamatan),
    )
    step = (ends - spec.starts).days // max(spec.sessions - 1, 1) if spec.sessions > 1 else 0
    for n in range(spec.sessions):
        day = spec.starts + dt.timedelta(days=step * n)
        services.save_session(
            actor=actor,
            programme=programme,
            data={
                "title": f"Sesi {n + 1}",
                "starts_at": at(day, 9),
                "ends_at": at(day, 12),
                "venue": spec.venue,
            },
        )
    candidates = services.eligible_smes(programme, Sme.objects.active()).select_related("kecamatan", "owner")
    if spec.certification == "nib":
        candidates = candidates.filter(nib__isnull=True)
    candidates = _spread(list(candidates.order_by("pk")), rng)
    if spec.status != Programme.Status.COMPLETED:
        # Open now: a few applications wait for the officer's selection; the demo owner may apply.
        for sme in candidates[:4]:
            if sme != pemilik_sme:
                services.apply_for_programme(
                    programme=programme, sme=sme, actor=None, motivation="Ingin memperluas pasar."
                )
        return programme, []
    chosen = candidates[: quota + spec.extra]
    # The demo owner's business took part in the 2024 halal facilitation (when it is a food business)
    # and the acceleration cohort, whose weekly reports the owner sent from the phone.
    owner_joins = pemilik_sme is not None and (
        spec.kind == Programme.Kind.ACCELERATION
        or (spec.starts.year == 2024 and spec.certification == "halal")
    )
    if (
        owner_joins
        and pemilik_sme not in chosen
        and not services.eligibility_problems(programme, pemilik_sme)
    ):
        chosen = [pemilik_sme, *chosen[: quota - 1]]
    enrolments = [services.enrol_sme(programme=programme, sme=sme, actor=actor) for sme in chosen]
    if spec.extra:
        leaving = next(e for e in enrolments if e.status == Enrolment.Status.ACCEPTED)
        services.withdraw_enrolment(
            enrolment=leaving, actor=actor, reason="Pemilik sakit dan tidak dapat mengikuti sesi."
        )
    applied = at(spec.starts - dt.timedelta(days=21), 10)
    Enrolment.objects.filter(programme=programme).update(created_at=applied, updated_at=applied)
    Enrolment.objects.filter(programme=programme, waitlisted_at__isnull=False).update(waitlisted_at=applied)
    return programme, list(
        Enrolment.objects.participating().filter(programme=programme).select_related("sme", "programme")
    )


def _attendance(programme: Programme, enrolments: list[Enrolment], *, rng, actor) -> int:
    count = 0
    for session in programme.sessions.order_by("starts_at"):
        for enrolment in enrolments:
            if rng.random() > ATTENDANCE:
                continue
            method = rng.choice(["qr", "qr", "code", "list"])
            card = services.ensure_card(sme=enrolment.sme, programme=programme)
            result = check_in(
                session=session,
                actor=actor,
                method=method,
                code=card.code if method != "list" else "",
                sme=enrolment.sme if method == "list" else None,
                client_key=f"demo-{session.pk}-{enrolment.sme_id}",
            )
            if result.recorded:
                came = session.starts_at + dt.timedelta(minutes=rng.randint(-20, 35))
                Attendance.objects.filter(pk=result.attendance.pk).update(
                    checked_in_at=came, recorded_at=came
                )
                count += 1
    return count


def _number(certificate: str, rng: random.Random, year: int) -> str:
    if certificate == "halal":
        return f"ID3216{rng.randrange(10**9, 10**10)}{year % 100:02d}"
    if certificate == "pirt":
        # P-IRT: 3 digits, 3216 (province + regency), 6 digits, expiry year's last two digits.
        return f"{rng.randint(201, 209)}3216{rng.randrange(10**5, 10**6)}{rng.randint(10, 99)}{(year + 5) % 100:02d}"
    return f"91{rng.randrange(10**10, 10**11)}"


def _outcomes(programme: Programme, enrolments: list[Enrolment], *, rng, actor) -> int:
    issued = 0
    shares = outcomes.attendance_shares(programme)
    held = programme.sessions.count()
    for enrolment in enrolments:
        if programme.certification and rng.random() < CERTIFIED:
            day = programme.ends_on + dt.timedelta(days=rng.randint(10, 60))
            outcomes.record_certificate(
                enrolment=enrolment,
                actor=actor,
                certificate=programme.certification,
                number=_number(programme.certification, rng, day.year),
                issued_on=day,
                expires_on=day.replace(year=day.year + (4 if programme.certification == "halal" else 5))
                if programme.certification != "nib"
                else None,
            )
        elif programme.kind == Programme.Kind.TRAINING and rng.random() < 0.3:
            outcomes.record_product_improvement(
                enrolment=enrolment,
                actor=actor,
                description=rng.choice(
                    [
                        "Kemasan baru standing pouch dengan label komposisi dan tanggal kedaluwarsa",
                        "Foto produk baru untuk marketplace dan katalog",
                        "Resep dibakukan, berat bersih per kemasan seragam",
                        "Toko daring dibuka di dua marketplace",
                    ]
                ),
            )
        Outcome.objects.filter(enrolment=enrolment).update(
            recorded_at=at(programme.ends_on + dt.timedelta(days=14), 10)
        )
        if held and shares.get(enrolment.sme_id, 0) * 100 >= programme.min_attendance * held:
            outcomes.issue_certificate(
                enrolment=enrolment, actor=actor, issued_on=programme.ends_on + dt.timedelta(days=7)
            )
            issued += 1
    return issued


# --- the cohort --------------------------------------------------------------------------------


def _cohort(programme: Programme, enrolments: list[Enrolment], *, rng, mentors, owner) -> None:
    weeks = sorted(mentoring.reportable_weeks(programme))
    helpers = [mentors["agus"], mentors["hendra"]]
    for i, enrolment in enumerate(enrolments):
        mentoring.assign_mentor(
            mentor=helpers[i % 2],
            sme=enrolment.sme,
            programme=programme,
            actor=mentors["agus"].user,
            started_on=programme.starts_on,
        )
    falling = (
        enrolments[1].pk if len(enrolments) > 1 else None
    )  # mentored by Hendra (the partner): still at risk
    dipping = enrolments[0].pk if enrolments else None  # a dip in week 5, closed by its mentor
    base = {e.pk: rng.randint(30, 120) * 100_000 for e in enrolments}
    for n, week in enumerate(weeks):
        for enrolment in enrolments:
            growth = 1 + 0.02 * n + rng.uniform(-0.06, 0.06)
            turnover = base[enrolment.pk] * growth
            if enrolment.pk == dipping and n == 4:
                turnover *= 0.6
            if enrolment.pk == falling and n >= 9:
                turnover *= 0.55 - 0.05 * (n - 9)
            report = mentoring.submit_kpi_report(
                enrolment=enrolment,
                actor=owner if enrolment.sme.accounts.filter(pk=owner.pk).exists() else None,
                week_start=week,
                turnover=int(turnover) // 1000 * 1000,
                orders=max(int(turnover / rng.randint(25_000, 60_000)), 0),
                note="Pesanan turun, pelanggan utama berhenti membeli."
                if enrolment.pk == falling and n >= 9
                else "",
                client_key=f"demo-kpi-{enrolment.pk}-{week.isoformat()}",
            )
            sent = at(week + dt.timedelta(days=7), 19)
            KpiReport.objects.filter(pk=report.pk).update(submitted_at=sent)
            if n < len(weeks) - 2:
                assignment = mentoring.current_assignment(sme_id=enrolment.sme_id, programme=programme)
                mentoring.review_kpi_report(report=report, actor=assignment.mentor.user, note="")
                KpiReport.objects.filter(pk=report.pk).update(reviewed_at=sent + dt.timedelta(days=1))
        if n == 6 and dipping:
            task = RiskTask.objects.filter(enrolment_id=dipping, status=RiskTask.Status.OPEN).first()
            if task is not None:
                mentoring.close_risk_task(
                    task=task,
                    actor=task.mentor.user,
                    resolution="Kunjungan ke lokasi; stok bahan baku dibantu lewat koperasi, omzet pulih minggu berikutnya.",
                )
    RiskTask.objects.filter(enrolment__programme=programme).update(
        opened_at=at(weeks[-1] + dt.timedelta(days=7), 20)
    )


def _naik_kelas(*, rng, actor) -> None:
    """Some 2023 participants grew out of the micro class: their capital, recorded after the programme."""
    participants = (
        Enrolment.objects.participating()
        .filter(programme__starts_on__year=2023, sme__scale="micro", sme__capital__isnull=False)
        .select_related("sme", "programme")
        .order_by("pk")
    )
    for enrolment in participants:
        if rng.random() > 0.12:
            continue
        sme = enrolment.sme
        ScaleRecord.objects.filter(sme=sme).update(recorded_at=at(dt.date(2022, 1, 17), 10))
        registry.update_sme(sme=sme, actor=actor, data={"capital": rng.randint(11, 30) * 100_000_000})
        later = at(enrolment.programme.ends_on + dt.timedelta(days=rng.randint(120, 400)), 10)
        ScaleRecord.objects.filter(sme=sme, recorded_at__gt=at(dt.date(2022, 1, 18))).update(
            recorded_at=later
        )


def _visits(mentor: Mentor, *, rng, actor) -> None:
    smes = list(Sme.objects.active().verified().filter(kecamatan__code=CIKARANG_UTARA).order_by("pk")[:4])
    notes = [
        (
            "Produksi berjalan, tetapi pencatatan kas belum rutin.",
            "Mulai buku kas harian; cek kembali bulan depan.",
        ),
        ("Kemasan masih plastik polos tanpa label.", "Ikut Pelatihan Kemasan; siapkan foto produk."),
        (
            "Permintaan naik menjelang Lebaran, tenaga kerja kurang.",
            "Rekrut satu tenaga harian; atur jadwal produksi.",
        ),
        ("Belum punya NIB.", "Daftar NIB lewat OSS bersama petugas kecamatan."),
    ]
    for i, sme in enumerate(smes):
        assignment = mentoring.assign_mentor(
            mentor=mentor, sme=sme, actor=actor, started_on=dt.date(2024, 1, 8)
        )
        for n in range(rng.randint(2, 3)):
            day = dt.date(2024, 1, 15) + dt.timedelta(days=45 * n + rng.randint(0, 10))
            text, next_steps = notes[(i + n) % len(notes)]
            visit, _created = mentoring.record_visit(
                assignment=assignment,
                actor=actor,
                visited_on=day,
                notes=text,
                next_steps=next_steps,
                client_key=f"demo-visit-{sme.pk}-{n}",
            )
            Visit.objects.filter(pk=visit.pk).update(created_at=at(day, 16))


# --- the clinic --------------------------------------------------------------------------------

ADVICE = {
    Topic.LEGALITY: (
        "Daftar NIB lewat OSS dengan KBLI yang sesuai; P-IRT diajukan setelah NIB terbit.",
        "NIB terbit",
    ),
    Topic.DIGITAL: (
        "Buka toko di marketplace; gunakan foto terang dan deskripsi berbahasa sederhana.",
        "Toko daring aktif",
    ),
    Topic.FINANCE: (
        "Pisahkan rekening usaha; siapkan catatan omzet enam bulan untuk pengajuan KUR.",
        "KUR Rp 25.000.000 disetujui",
    ),
    Topic.MARKETING: (
        "Tentukan pelanggan utama; tawarkan paket hampers untuk kantor di kawasan industri.",
        "Kontrak pasok ke kantin pabrik",
    ),
    Topic.PRODUCTION: ("Bakukan resep dan timbangan; catat tanggal produksi di setiap kemasan.", ""),
    Topic.EXPORT: (
        "Mulai dari kurasi produk dan label berbahasa Inggris; ikuti pelatihan kesiapan ekspor.",
        "",
    ),
}
OFFICES = {
    Topic.LEGALITY: "DPMPTSP Kabupaten Bekasi (OSS / NIB)",
    Topic.PRODUCTION: "Dinas Kesehatan Kabupaten Bekasi (P-IRT)",
}


def _clinic(mentors, *, rng, users, pemilik_sme) -> int:
    consultants = [mentors["agus"], mentors["hendra"], mentors["dewi"]]
    smes = list(Sme.objects.active().verified().order_by("pk"))
    referral_programmes = {
        Topic.DIGITAL: Programme.objects.filter(title__startswith="Pelatihan Foto Produk").first(),
        Topic.EXPORT: Programme.objects.filter(title__startswith="Kesiapan Ekspor").first(),
        Topic.FINANCE: Programme.objects.filter(title__startswith="Pelatihan Pembukuan").first(),
    }
    verifiers = [users["admin"], users["petugas.cikarang"]]
    held = 0
    day = dt.date(2024, 2, 6)  # a Tuesday: the clinic sits every other Tuesday
    outcomes_left_unverified = 3
    while day < dt.date(2024, 12, 1):
        for c_index, consultant in enumerate(consultants):
            for slot_n in range(3):
                starts = at(day, 9 + slot_n, 0 if c_index == 0 else 15 * c_index)
                slot = ClinicSlot.objects.create(
                    consultant=consultant, starts_at=starts, minutes=45, venue=PLUT
                )
                if rng.random() > 0.65 or not smes:
                    continue
                sme = pemilik_sme if (pemilik_sme and held == 5) else rng.choice(smes)
                topic = rng.choice(consultant.topics)
                # Bookings of past slots are written as history; book_slot takes only slots still to come.
                booking = ClinicBooking.objects.create(
                    slot=slot,
                    sme=sme,
                    topic=topic,
                    question="Bagaimana langkah selanjutnya untuk usaha saya?",
                )
                ClinicBooking.objects.filter(pk=booking.pk).update(booked_at=starts - dt.timedelta(days=5))
                came = rng.random() > 0.1
                advice, outcome = ADVICE[topic]
                referrals = []
                if topic in OFFICES:
                    referrals.append(
                        {"kind": Referral.Kind.PERMIT_OFFICE, "office": OFFICES[topic], "note": ""}
                    )
                elif (
                    referral_programmes.get(topic) is not None and referral_programmes[topic].starts_on > day
                ):
                    referrals.append(
                        {"kind": Referral.Kind.PROGRAMME, "programme": referral_programmes[topic], "note": ""}
                    )
                recorder = consultant.user or users["petugas"]
                clinic.record_consultation(
                    booking=booking,
                    actor=recorder,
                    status=ClinicBooking.Status.DONE if came else ClinicBooking.Status.NO_SHOW,
                    advice=advice if came else "",
                    outcome=outcome if came and rng.random() < 0.5 else "",
                    referrals=referrals if came else [],
                )
                booking.refresh_from_db()
                if booking.outcome:
                    ClinicBooking.objects.filter(pk=booking.pk).update(
                        outcome_recorded_at=starts + dt.timedelta(days=30)
                    )
                    if day.month >= 11 and outcomes_left_unverified:
                        outcomes_left_unverified -= 1
                    else:
                        verifier = next(v for v in verifiers if v.pk not in (recorder.pk, consultant.user_id))
                        clinic.verify_outcome(booking=booking, actor=verifier)
                        ClinicBooking.objects.filter(pk=booking.pk).update(
                            outcome_verified_at=starts + dt.timedelta(days=34)
                        )
                held += came
        day += dt.timedelta(days=14)
    # Slots still to come, for booking in the demo: the next two Tuesdays and Thursdays from today.
    today = timezone.localdate()
    for offset in range(1, 15):
        future = today + dt.timedelta(days=offset)
        if future.weekday() in (1, 3):
            for consultant in consultants:
                clinic.add_slots(
                    consultant=consultant,
                    actor=users["admin"],
                    day=future,
                    first=dt.time(9 + consultants.index(consultant)),
                    count=3,
                    minutes=45,
                    venue=PLUT,
                )
    return held


# --- forums ------------------------------------------------------------------------------------

MEETINGS = (
    (Session.Kind.MEETING, "Rapat anggota semester I", dt.date(2023, 5, 20)),
    (Session.Kind.MEETING, "Rapat anggota semester II", dt.date(2023, 11, 18)),
    (Session.Kind.ACTIVITY, "Bazar UMKM bersama di alun-alun kecamatan", dt.date(2024, 8, 17)),
    (Session.Kind.MEETING, "Rapat anggota dan sosialisasi sertifikasi halal", dt.date(2024, 10, 12)),
)
MEETING_CAP = 30


def _forums(regency: Region, *, rng, users, pemilik_sme) -> int:
    forums = list(
        Forum.objects.filter(regency=regency).select_related("kecamatan", "coordinator").order_by("name")
    )
    cikarang = next((f for f in forums if f.kecamatan and f.kecamatan.code == CIKARANG_UTARA), None)
    if cikarang is not None and cikarang.coordinator_id is None and pemilik_sme is not None:
        cikarang = registry.update_forum(
            forum=cikarang, actor=users["petugas.cikarang"], data={"coordinator": pemilik_sme}
        )
    count = 0
    for forum in forums:
        recorder = (
            users["pemilik"]
            if forum == cikarang and forum.coordinator_id == getattr(pemilik_sme, "pk", None)
            else users["petugas"]
        )
        members = list(Sme.objects.filter(forum=forum, merged_into__isnull=True).order_by("pk"))
        for kind, title, day in MEETINGS:
            session = services.save_session(
                actor=recorder,
                forum=forum,
                data={
                    "kind": kind,
                    "title": title,
                    "starts_at": at(day, 9 if kind == Session.Kind.MEETING else 8),
                    "ends_at": at(day, 12 if kind == Session.Kind.MEETING else 16),
                    "venue": f"Balai Kecamatan {forum.kecamatan.name}" if forum.kecamatan else "Balai Desa",
                    "notes": "Pembahasan kegiatan bersama, pembagian stan bazar, dan informasi program Dinas.",
                },
            )
            count += 1
            came = [m for m in members if rng.random() < 0.7][:MEETING_CAP]
            for sme in came:
                result = check_in(
                    session=session,
                    actor=recorder,
                    method="list",
                    sme=sme,
                    client_key=f"demo-f-{session.pk}-{sme.pk}",
                )
                if result.recorded:
                    when = session.starts_at + dt.timedelta(minutes=rng.randint(-15, 40))
                    Attendance.objects.filter(pk=result.attendance.pk).update(
                        checked_in_at=when, recorded_at=when
                    )
    return count
