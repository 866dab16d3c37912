"""How fast are the officer's yearly Bebeli report and the public transparency page with 2 million purchases?

    .venv/bin/python bench/bebeli_report.py                        # SQLite (kept in --data)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sentra_bebeli \\
        .venv/bin/python bench/bebeli_report.py     # SQLite, then PostgreSQL (<db>_bench_<purchases>)
    .venv/bin/python bench/bebeli_report.py --purchases 200000 --runs 10   # a quick look
    .venv/bin/python bench/bebeli_report.py --only postgresql --build-only  # build now, time later

Builds once and keeps (SQLite in --data, /tmp/sentra-bebeli-bench; PostgreSQL in a database
"<name>_bench_<purchases>" next to the one DATABASE_URL names; --rebuild throws them away first; a
later run migrates the kept one) a database with --smes SMEs (bench/registry_list's builder) and the demo's Bebeli ledger (`sentra.demo.bebeli.load_ledger`, the same rows `sentra demo
--scale 100000` writes: 2,000,000 purchases over 2023–2026, all but 300 verified), then requests, through
the Django test client, the officer's report for 2024 (as a Dinas admin) and the public page for 2024
(anonymous), --runs times each after one warm-up request, and prints median and p95; then the figures
alone (`reports.build`, `reports.public_figures`, read from the kept summaries). Next to them, in the
same run and timed the same way: the same figures computed by plain GROUP BY over the purchase table
(`reports.build_from_purchases`, `reports.public_from_purchases`, checked once to equal the kept
ones), and the single simplest GROUP BY (verified purchases of 2024 summed per month).
Target: p95 ≤ 200 ms for both pages.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from _databases import run_on_both

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 200
ADMIN = "bench_bebeli_admin"  # made last: its presence says the build finished


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(fn, runs: int) -> tuple[float, float]:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), p95(times)


def child(smes: int, purchases: int, runs: int, plain_runs: int, build_only: bool) -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sentra.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    from sentra.accounts.models import Role, User
    from sentra.bebeli.models import Purchase

    settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    settings.SECURE_SSL_REDIRECT = False
    vendor = connection.vendor
    # The database is kept between runs (2 million rows take a while): migrate brings a kept one up
    # to date, as a deployment would, and the rows are built only once.
    call_command("migrate", verbosity=0)
    if not User.objects.filter(username=ADMIN).exists():
        if Purchase.objects.exists():
            sys.exit(f"[{vendor}] an unfinished build is in the way: run again with --rebuild")
        from registry_list import build as build_smes

        from sentra.bebeli import summaries
        from sentra.demo import bebeli as demo
        from sentra.regions.models import Region
        from sentra.registry.models import Sme

        start = time.perf_counter()
        build_smes(smes)
        with transaction.atomic():
            organisations = demo._organisations(Region.objects.get(code="32.16"), {})
            ids = list(Sme.objects.verified().values_list("id", flat=True))
            demo.load_ledger(count=purchases, seed=2026, organisations=organisations, smes=ids, say=print)
            print(f"[{vendor}] ledger written in {time.perf_counter() - start:.0f} s", flush=True)
            rebuild_start = time.perf_counter()
            summaries.rebuild()
            print(f"[{vendor}] summaries rebuilt in {time.perf_counter() - rebuild_start:.0f} s", flush=True)
            User.objects.create(username=ADMIN, role=Role.ADMIN)
        print(f"[{vendor}] built {smes:,} SMEs and {Purchase.objects.count():,} purchases in "
              f"{time.perf_counter() - start:.0f} s", flush=True)  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
    if build_only:
        return
    print(f"[{vendor}] {Purchase.objects.count():,} purchases", flush=True)
    results = measure(runs, plain_runs)
    print(f"[{vendor}] {runs} requests each after a warm-up ({plain_runs} for the figures from purchases); "
          f"target p95 ≤ {TARGET_MS} ms.")  # fmt: skip
    for label, median, high in results:
        flag = "" if high <= TARGET_MS or label.startswith("plain") else "   <-- over target"
        print(f"  {label:46s} median {median:8.1f} ms   p95 {high:8.1f} ms{flag}")
    by_label = {label: median for label, median, _high in results}
    against = {  # each page and its figures next to the same figures by plain GROUP BY over purchases
        "officer's yearly report, 2024 (whole page)": "plain GROUP BY: the report's figures",
        "report figures from the summaries": "plain GROUP BY: the report's figures",
        "public transparency page, 2024 (whole page)": "plain GROUP BY: the public page's figures",
        "public figures from the summaries": "plain GROUP BY: the public page's figures",
    }
    for label, plain in against.items():
        print(f"  {label:46s} {by_label[label] / by_label[plain]:7.3f} × {plain} (medians)")


def measure(runs: int, plain_runs: int):
    from django.db.models import Count, Sum
    from django.db.models.functions import ExtractMonth
    from django.test import Client

    from sentra.accounts.models import User
    from sentra.bebeli import reports
    from sentra.bebeli.models import Purchase

    officer = Client()
    officer.force_login(User.objects.get(username=ADMIN))
    visitor = Client()

    def report():
        assert officer.get("/bebeli/report/", {"year": 2024}).status_code == 200

    def public():
        assert visitor.get("/id/bebeli/", {"year": 2024}).status_code == 200

    def plain():
        rows = (
            Purchase.objects.filter(status="paid", verified_at__isnull=False, paid_on__year=2024)
            .annotate(m=ExtractMonth("paid_on"))
            .values("m")
            .order_by()
            .annotate(amount=Sum("total"), n=Count("id"))
        )
        assert len(list(rows)) == 12

    # The kept figures are the ones a plain GROUP BY over the purchases gives: checked once here.
    kept, read = reports.build(year=2024), reports.build_from_purchases(year=2024)
    public_kept, public_read = reports.public_figures(year=2024), reports.public_from_purchases(year=2024)
    agree = (
        (kept.total, kept.count, kept.distinct_smes, kept.median_days)
        == (read.total, read.count, read.distinct_smes, read.median_days)
        and [(r.amount, r.count, r.smes) for r in kept.months] == [(r.amount, r.count, r.smes) for r in read.months]
        and public_kept.months == public_read.months
        and public_kept.kecamatan == public_read.kecamatan
    )  # fmt: skip
    print(
        f"kept figures equal the plain GROUP BY's: {'yes' if agree else 'NO'}; 2024 total Rp {kept.total:,}"
    )

    return [
        ("officer's yearly report, 2024 (whole page)", *timed(report, runs)),
        ("public transparency page, 2024 (whole page)", *timed(public, runs)),
        ("report figures from the summaries", *timed(lambda: reports.build(year=2024), runs)),
        ("public figures from the summaries", *timed(lambda: reports.public_figures(year=2024), runs)),
        # Seconds each at 2 million purchases: fewer runs (--plain-runs).
        ("plain GROUP BY: the report's figures", *timed(lambda: reports.build_from_purchases(year=2024), plain_runs)),
        ("plain GROUP BY: the public page's figures", *timed(lambda: reports.public_from_purchases(year=2024), plain_runs)),
        ("plain GROUP BY: 2024 per month, from purchases", *timed(plain, runs)),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smes", type=int, default=20_000)
    parser.add_argument("--purchases", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--plain-runs", type=int, default=5, help="runs of the figures read from purchases")
    parser.add_argument(
        "--data", type=Path, default=Path("/tmp/sentra-bebeli-bench"), help="folder of the kept SQLite file"
    )
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    parser.add_argument("--rebuild", action="store_true", help="throw the kept database away first")
    parser.add_argument("--build-only", action="store_true", help="build (or update) the data, time nothing")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.smes, args.purchases, args.runs, args.plain_runs, args.build_only)
        return
    command = [sys.executable, __file__, "--child", "--smes", str(args.smes), "--purchases", str(args.purchases),
               "--runs", str(args.runs), "--plain-runs", str(args.plain_runs)]  # fmt: skip
    if args.build_only:
        command.append("--build-only")
    run_on_both(
        command,
        data=args.data,
        sqlite_name=f"bebeli-{args.smes}-{args.purchases}",
        postgres_suffix=str(args.purchases),
        only=args.only,
        rebuild=args.rebuild,
    )


if __name__ == "__main__":
    main()
