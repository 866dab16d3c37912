"""How fast is the SME registry list with 100,000 SMEs?

    .venv/bin/python bench/registry_list.py                  # SQLite (a throwaway file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sentra \\
        .venv/bin/python bench/registry_list.py              # SQLite, then PostgreSQL (test_<db>)
    .venv/bin/python bench/registry_list.py --smes 20000 --runs 5
    .venv/bin/python bench/registry_list.py --smes 200000 --build-only   # build once, time later

Builds the data with bulk_create once and keeps it: SQLite in --data (/tmp/sentra-registry-bench),
PostgreSQL in a database "<name>_bench_<smes>" next to the one DATABASE_URL names. A later run
migrates the kept database (so new migrations are measured as a deployment would run them) and
reuses the rows; --rebuild throws them away first. It then requests the list page through the Django test client as a Dinas admin
and as a kecamatan-scoped officer, printing the median time over --runs requests per case.
The target is under 100 ms per page.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from _databases import run_on_both

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 100

# (label, who asks, query string[, True for the whole page]). Requests are htmx partials, as the
# filter form sends them, unless marked as the whole page (a first visit or a bookmark).
CASES = [
    ("list, first page", "admin", {}),
    ("list, whole page (first visit)", "admin", {}, True),
    ("list, page 40", "admin", {"page": "40"}),
    # "last" stands for the number of the list's last page, worked out before timing.
    ("list, last page", "admin", {"page": "last"}),
    ("list, scoped officer", "officer", {}),
    ("search 'keripik'", "admin", {"q": "keripik"}),
    ("search 'kerip' (prefix)", "admin", {"q": "kerip"}),
    ("search owner + word", "admin", {"q": "siti sambal"}),
    ("search NIB prefix", "admin", {"q": "9120000012"}),
    # The search box sends what has been typed after half a second: one letter matches most rows.
    ("search 'k' (one letter)", "admin", {"q": "k"}),
    # PostgreSQL pages a search up to its 10,000th match (views.SEARCH_COUNT_CAP); the reverse
    # order shows the end of a longer one.
    ("search 'k', page 200", "admin", {"q": "k", "page": "200"}),
    ("search 'keripik', reverse order", "admin", {"q": "keripik", "sort": "-name"}),
    ("search + kecamatan", "admin", {"q": "keripik", "kecamatan": "32.16.09"}),
    ("search 'k' + verified", "admin", {"q": "k", "status": "verified"}),
    ("search sorted by scale, descending", "admin", {"q": "kue", "sort": "-scale"}),
    (
        "kecamatan + verified, by updated",
        "admin",
        {"kecamatan": "32.16.09", "status": "verified", "sort": "-updated"},
    ),
    ("gap: halal expired", "admin", {"gap": "halal_expired"}),
    ("gap: no NIB", "admin", {"gap": "no_nib"}),
    ("gap: no NIB + category C", "admin", {"gap": "no_nib", "kbli": "C"}),
    ("gap: no halal certificate", "admin", {"gap": "no_halal"}),
    ("gap: no NPWP", "admin", {"gap": "no_npwp"}),
    # Few SMEs match: a page cannot be found by walking the name index (~40 of 100,000).
    ("gap: P-IRT expired (few SMEs)", "admin", {"gap": "pirt_expired"}),
    ("search + gap (few SMEs)", "admin", {"q": "siti sambal", "gap": "halal_expired"}),
    ("sort by kecamatan", "admin", {"sort": "kecamatan"}),
    ("sort by scale, descending", "admin", {"sort": "-scale"}),
    # The last page of each sortable column, both ways.
    *[
        (
            f"sort by {key}{', descending' if way else ''}, last page",
            "admin",
            {"sort": way + key, "page": "last"},
        )
        for key in ("name", "kecamatan", "scale", "status", "updated")
        for way in ("", "-")
    ],
]

FIRST_NAMES = [
    "Siti",
    "Budi",
    "Dewi",
    "Agus",
    "Sri",
    "Wahyu",
    "Nur",
    "Eko",
    "Rina",
    "Joko",
    "Yanti",
    "Hendra",
    "Lilis",
    "Asep",
    "Euis",
    "Ujang",
    "Neneng",
    "Dedi",
]
FAMILY_NAMES = [
    "Rahayu",
    "Santoso",
    "Wijaya",
    "Hidayat",
    "Saputra",
    "Kurniawan",
    "Lestari",
    "Nugroho",
    "Suryani",
    "Permana",
    "Setiawan",
]
BUSINESSES = [
    ("Keripik Singkong Bu {n}", "keripik singkong balado, keripik pisang", "10794"),
    ("Kue Basah {n}", "kue lapis, nagasari, bolu kukus", "10710"),
    ("Konveksi {n} Jaya", "seragam sekolah, kaos sablon", "14111"),
    ("Batik Tulis {n}", "batik tulis motif Bekasi", "13134"),
    ("Warung Makan {n}", "nasi uduk, ayam goreng", "56102"),
    ("Mebel Kayu {n}", "lemari, meja makan", "31001"),
    ("Sambal {n} Pedas", "sambal bawang, sambal cumi", "10792"),
    ("Toko Kelontong {n}", "sembako, minyak goreng", "47111"),
    ("Dodol Betawi {n}", "dodol betawi, geplak", "10732"),
]


def build(count: int) -> None:
    import datetime as dt
    import random

    from django.utils import timezone

    from sentra.accounts.models import Role, User
    from sentra.regions.models import Region
    from sentra.registry.kbli import category_for
    from sentra.registry.models import Forum, Owner, Permit, Sme, refresh_valid_until
    from sentra.registry.normalize import classify_scale
    from sentra.registry.search import build_search_text
    from sentra.registry.services import ensure_default_forums

    rng = random.Random(2026)
    # P-IRT numbers come from a stream of their own, so that every other record is as it always was.
    pirt_rng = random.Random(2027)
    regency = Region.objects.get(code="32.16")
    ensure_default_forums(regency=regency)
    forums = {f.kecamatan_id: f for f in Forum.objects.all()}
    desa = list(Region.objects.desa().in_home_regency().select_related("parent"))
    statuses = [Sme.Status.VERIFIED] * 7 + [Sme.Status.SUBMITTED, Sme.Status.DRAFT, Sme.Status.REJECTED]
    today = timezone.localdate()
    batch = 5000
    made = 0
    while made < count:
        size = min(batch, count - made)
        owners = []
        for i in range(size):
            n = made + i
            place = rng.choice(desa)
            born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(14000))
            female = rng.random() < 0.5
            day = born.day + 40 if female else born.day
            owners.append(
                Owner(
                    regency=regency,
                    name=f"{rng.choice(FIRST_NAMES)} {rng.choice(FAMILY_NAMES)}",
                    nik=f"3216{place.parent.code[-2:]}{day:02d}{born:%m%y}{n % 10000:04d}"
                    if n < 10000 * 23
                    else None,
                    gender="F" if female else "M",
                    birth_date=born,
                    phone=f"+62812{rng.randrange(10**7, 10**8)}",
                    kecamatan=place.parent,
                    desa=place,
                )
            )
        # Owners whose NIK repeats (same kecamatan, birth date and serial) are kept without one.
        seen = set(
            Owner.objects.filter(nik__in=[o.nik for o in owners if o.nik]).values_list("nik", flat=True)
        )
        for owner in owners:
            if owner.nik in seen:
                owner.nik = None
            elif owner.nik:
                seen.add(owner.nik)
        Owner.objects.bulk_create(owners)
        smes = []
        for i, owner in enumerate(owners):
            n = made + i
            pattern, products, kbli = rng.choice(BUSINESSES)
            name = pattern.format(n=owner.name.split()[0]) + f" {n}"
            capital = rng.randint(5, 1500) * 1_000_000
            turnover = rng.randint(20, 3000) * 1_000_000
            scale, basis = classify_scale(capital=capital, turnover=turnover)
            nib = f"912{n:010d}" if rng.random() < 0.6 else None
            smes.append(
                Sme(
                    regency=regency,
                    name=name,
                    owner=owner,
                    products=products,
                    kbli_code=kbli,
                    kbli_version=2020,
                    kbli_category=category_for(kbli, 2020).letter,
                    kecamatan=owner.kecamatan,
                    desa=owner.desa,
                    capital=capital,
                    turnover=turnover,
                    scale=scale,
                    scale_basis=basis,
                    nib=nib,
                    npwp="" if rng.random() < 0.7 else f"01{n:013d}",
                    status=rng.choice(statuses),
                    forum=forums.get(owner.kecamatan_id) if rng.random() < 0.5 else None,
                    search_text=build_search_text(
                        name=name, brand="", owner_name=owner.name, nib=nib, products=products
                    ),
                )
            )
        Sme.objects.bulk_create(smes)
        permits = []
        for i, sme in enumerate(smes):
            if rng.random() < 0.3:
                expires = today + dt.timedelta(days=rng.randint(-700, 1400))
                permits.append(
                    Permit(
                        sme=sme, kind=Permit.Kind.HALAL, number=f"ID3216{made + i:010d}", expires_on=expires
                    )
                )
            # Two in five food businesses hold a P-IRT, and hardly any has let it run out.
            if sme.kbli_code.startswith("10") and pirt_rng.random() < 0.4:
                lapsed = pirt_rng.random() < 0.002
                expires = today + dt.timedelta(
                    days=-pirt_rng.randint(1, 300) if lapsed else pirt_rng.randint(30, 1800)
                )
                permits.append(
                    Permit(sme=sme, kind=Permit.Kind.PIRT, number=f"P-IRT {made + i}", expires_on=expires)
                )
        Permit.objects.bulk_create(permits)
        # bulk_create calls no save(): the SMEs' copy of their permit dates, as every permit write keeps it.
        refresh_valid_until(s.pk for s in smes)
        made += size
        print(f"  {made:,} SMEs", end="\r", flush=True)
    print()
    User.objects.create(username="bench_admin", role=Role.ADMIN)
    officer = User.objects.create(username="bench_officer", role=Role.OFFICER)
    officer.kecamatan.add(Region.objects.get(code="32.16.09"))


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def time_cases(runs: int) -> list[tuple[str, float, float, int]]:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from sentra.accounts.models import User

    clients = {}
    for role, username in (("admin", "bench_admin"), ("officer", "bench_officer")):
        clients[role] = Client()
        clients[role].force_login(User.objects.get(username=username))
    from sentra.registry.models import Sme

    url = reverse("registry:sme_list")
    last_page = str(-(-Sme.objects.active().count() // 50))
    results = []
    for label, role, params, *whole_page in CASES:
        params = {k: last_page if v == "last" else v for k, v in params.items()}
        client = clients[role]
        headers = {} if whole_page else {"HX-Request": "true"}
        client.get(url, params)  # warm the caches, as a second visit would find them
        times, cpu_times = [], []
        for _ in range(runs):
            start, cpu_start = time.perf_counter(), time.process_time()
            response = client.get(url, params, headers=headers)
            times.append((time.perf_counter() - start) * 1000)
            cpu_times.append((time.process_time() - cpu_start) * 1000)
            assert response.status_code == 200, (label, response.status_code)
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            client.get(url, params, headers=headers)
        results.append((label, statistics.median(times), statistics.median(cpu_times), counter.count))
    return results


def child(count: int, runs: int, build_only: bool) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sentra.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from sentra.accounts.models import User
    from sentra.registry.models import Sme

    # No setup_test_environment(): its template instrumentation would be timed too.
    settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    settings.SECURE_SSL_REDIRECT = False
    vendor = connection.vendor
    # The database is kept between runs: migrate brings a kept one up to date (new migrations
    # included, as a deployment would run them), and the rows are built only once.
    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="bench_admin").exists():
        if Sme.objects.exists():
            sys.exit(f"[{vendor}] an unfinished build is in the way: run again with --rebuild")
        start = time.perf_counter()
        build(count)
        print(f"[{vendor}] built {count:,} SMEs in {time.perf_counter() - start:.0f} s", flush=True)
    with connection.cursor() as cursor:
        # As autovacuum would leave it: statistics, and on PostgreSQL the visibility map that
        # lets a count read an index without visiting the table.
        cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
    if build_only:
        return
    results = time_cases(runs)
    print(f"[{vendor}] median of {runs} requests (htmx partials but one), target < {TARGET_MS} ms.")
    print("  CPU time is this process's (Django and, for SQLite, the database); wall time also counts")
    print("  waiting, for PostgreSQL and for other processes on a busy machine.")
    for label, wall, cpu, queries in results:
        flag = "" if wall < TARGET_MS else "   <-- over target"
        print(f"  {label:38s} wall {wall:7.1f} ms  cpu {cpu:7.1f} ms  {queries:2d} queries{flag}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smes", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--data", type=Path, default=Path("/tmp/sentra-registry-bench"), help="folder of the kept SQLite file"
    )
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    parser.add_argument("--rebuild", action="store_true", help="throw the kept database away first")
    parser.add_argument("--build-only", action="store_true", help="build (or update) the data, time nothing")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.smes, args.runs, args.build_only)
        return
    command = [sys.executable, __file__, "--child", "--smes", str(args.smes), "--runs", str(args.runs)]
    if args.build_only:
        command.append("--build-only")
    run_on_both(
        command,
        data=args.data,
        sqlite_name=f"registry-{args.smes}",
        postgres_suffix=str(args.smes),
        only=args.only,
        rebuild=args.rebuild,
    )


if __name__ == "__main__":
    main()
