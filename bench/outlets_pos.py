"""The outlets' till under load: 4 cashiers at once on PostgreSQL under gunicorn, on loopback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sentra_outlets_bench .venv/bin/python bench/outlets_pos.py

Options: --seconds N (selling time, default 30), --workers N (gunicorn sync workers, default 4).

The database (dropped and created again) gets the demo data at scale 60, whose Aeon and Lippo outlets
hold realistic stock; each outlet then gets two bench cashiers (4 in all) and 4 of its products are
counted down to 2 units, so that both cashiers of an outlet race for the last units. Each cashier is a
thread with its own keep-alive connection posting whole carts (1–3 products, 1–3 units) to
/pos/<outlet>/sell/ as the outbox does (X-Outbox, client_key), for a fixed time; one sale in ten is sent
a second time with the same key (a retry after a dropped answer). It prints sales/s and the median and
p95 time per request, then proves from the database that:
  - every sale the server answered "recorded" exists once, and no key made two sales;
  - every retry was answered with the sale of its first send (data-sale-again), none made a new one;
  - no balance is negative, and each equals its ledger's sum;
  - units sold (sale movements) equal stock-in minus on hand, per outlet and product.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SECRET = "outlets-bench-only-" + "x" * 40
VENV_BIN = ROOT / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of an earlier run (its demo data)"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database the bench may drop and create.")
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    data = Path(tempfile.mkdtemp(prefix="outlets-bench-"))
    (data / "static").mkdir()
    # The bench's own process writes the cashiers' sessions, so it signs them with the server's key.
    env = {
        **os.environ,
        "SENTRA_DATA_DIR": str(data),
        "STATIC_ROOT": str(data / "static"),
        "SECRET_KEY": SECRET,
    }
    if not args.reuse:
        subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True)
        subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
        for command in (["migrate", "-v0"], ["demo", "--scale", "60", "-v0"]):
            subprocess.run([str(VENV_BIN / "sentra"), *command], env=env, check=True, cwd=ROOT)
    os.environ.update(SENTRA_DATA_DIR=str(data), SECRET_KEY=SECRET)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sentra.settings")
    import django

    django.setup()
    tills = prepare()
    port = free_port()
    prod = {**env, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false", "LOG_LEVEL": "WARNING", "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false"}  # fmt: skip
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "sentra.wsgi", "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--access-logfile", "/dev/null"],
        env=prod, cwd=ROOT,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        results = run(tills, port, args.seconds)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    report(results, args)


def prepare() -> list[dict]:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from sentra.accounts.models import Role, User
    from sentra.outlets import services
    from sentra.outlets.models import Outlet, StockBalance

    tills = []
    for code in ("AEON", "LIPPO"):
        outlet = Outlet.objects.get(code=code)
        balances = list(
            StockBalance.objects.filter(outlet=outlet, retail_price__gt=0)
            .select_related("product")
            .order_by("product_id")
        )
        for balance in balances[4:]:  # realistic stock for the run
            services.receive_stock(outlet=outlet, sme=balance.product.sme, actor=None, lines=[services.StockInLine(
                balance.product, 300, balance.consignment_price or balance.retail_price, balance.retail_price)])  # fmt: skip
        for balance in balances[:4]:  # the last units two cashiers race for
            services.count_stock(
                outlet=outlet, product=balance.product, counted=2, reason="bench: last units", actor=None
            )
        for n in range(2):
            user = User.objects.create(
                username=f"bench.{code.lower()}.{n}.{uuid.uuid4().hex[:6]}", role=Role.CASHIER
            )
            services.assign_cashier(outlet=outlet, user=user, actor=None)
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "sentra.accounts.backends.LoginBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            tills.append(
                {"outlet": str(outlet.public_id), "session": session.session_key, "products": [b.product_id for b in balances[4:]],
                 "hot": [b.product_id for b in balances[:4]]}
            )  # fmt: skip
    return tills


def run(tills: list[dict], port: int, seconds: int) -> dict:
    results = {
        "times": [],
        "keys": [],
        "retries_of_recorded": 0,
        "refusals": {},
        "recorded": [],
        "again_ok": 0,
        "again_new": 0,
        "sold_out": 0,
        "other": [],
        "retries": 0,
    }
    lock = threading.Lock()
    barrier = threading.Barrier(len(tills))
    deadline = [0.0]

    def cashier(index: int, till: dict) -> None:
        rng = random.Random(index)
        csrf = secrets.token_hex(16)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {
            "Cookie": f"sessionid={till['session']}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "X-Outbox": "1",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{port}/",
        }
        path = f"/pos/{till['outlet']}/sell/"
        barrier.wait()
        if index == 0:
            deadline[0] = time.monotonic() + seconds
        time.sleep(0.01)
        while time.monotonic() < deadline[0]:
            picks = rng.sample(till["products"], rng.randint(1, 3))
            if rng.random() < 0.1:  # a hot product: the last units the other cashier also sells
                picks[0] = rng.choice(till["hot"])
            pairs = [
                ("client_key", str(uuid.uuid4())),
                ("payment", rng.choice(["qris", "transfer", "debit"])),
            ]
            for pk in dict.fromkeys(picks):
                pairs += [("product", str(pk)), ("qty", str(rng.randint(1, 3)))]
            body = urlencode(pairs)
            with lock:
                results["keys"].append(pairs[0][1])
            sends = 2 if rng.random() < 0.1 else 1
            first_recorded = False
            for attempt in range(sends):
                started = time.perf_counter()
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                html = response.read().decode()
                elapsed = time.perf_counter() - started
                with lock:
                    results["times"].append(elapsed)
                    if attempt:
                        results["retries"] += 1
                    if attempt and first_recorded:
                        results["retries_of_recorded"] += 1
                    if "data-sale-ok" in html:
                        if attempt == 0 and "data-sale-again" not in html:
                            results["recorded"].append(pairs[0][1])
                            first_recorded = True
                        elif attempt and first_recorded and "data-sale-again" in html:
                            results["again_ok"] += 1
                        else:
                            results["again_new"] += 1
                    elif response.status == 409:
                        results["sold_out"] += 1
                        text = html.split(">", 1)[-1].split("<", 1)[0]
                        results["refusals"][text.split(" ")[-1]] = (
                            results["refusals"].get(text.split(" ")[-1], 0) + 1
                        )
                    else:
                        results["other"].append((response.status, html[:200]))
        conn.close()

    threads = [threading.Thread(target=cashier, args=(i, till)) for i, till in enumerate(tills)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results["wall"] = time.monotonic() - started
    return results


def report(results: dict, args) -> None:
    from django.db.models import Count, Sum

    from sentra.outlets.models import Sale, StockBalance, StockMovement

    times = sorted(results["times"])
    sales = len(results["recorded"])
    p95 = times[int(len(times) * 0.95) - 1] if times else 0
    print(f"PostgreSQL, gunicorn {args.workers} sync workers, 4 cashiers (2 outlets × 2), {args.seconds} s")
    print(f"  requests {len(times)}, sales recorded {sales}, sold-out refusals {results['sold_out']}, "
          f"retries {results['retries']} (unexpected new sales {results['again_new']}; of a recorded sale: {results['retries_of_recorded']}, answered with that sale: {results['again_ok']})")  # fmt: skip
    print(f"  refusals by their last word: {results['refusals']}")
    print(f"  sales/s {sales / args.seconds:.1f}, requests/s {len(times) / args.seconds:.1f}")
    print(f"  per request: median {statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")
    bench_sales = Sale.objects.filter(cashier__username__startswith="bench.", client_key__in=results["keys"])
    keys = set(bench_sales.values_list("client_key", flat=True))
    checks = {
        "every recorded sale is in the database once": keys == set(results["recorded"])
        and bench_sales.count() == sales,
        "no retry made a second sale": results["again_new"] == 0
        and results["again_ok"] == results["retries_of_recorded"],
        "no other answers (errors)": not results["other"],
        "no negative stock": not StockBalance.objects.filter(on_hand__lt=0).exists(),
    }
    sums = {
        (r["outlet_id"], r["product_id"]): r["total"]
        for r in StockMovement.objects.values("outlet_id", "product_id").annotate(total=Sum("quantity"))
    }
    checks["every balance equals its ledger's sum"] = all(
        sums.get((b.outlet_id, b.product_id), 0) == b.on_hand for b in StockBalance.objects.all()
    )
    sold_units = StockMovement.objects.filter(kind="sale", sale_line__sale__in=bench_sales).aggregate(
        units=Sum("quantity"), lines=Count("id")
    )
    line_units = bench_sales.aggregate(units=Sum("lines__quantity"))["units"] or 0
    checks["units sold in the ledger equal the sales' lines"] = -(sold_units["units"] or 0) == line_units
    hot = (
        StockBalance.objects.filter(outlet__cashiers__user__username__startswith="bench.", on_hand=0)
        .distinct()
        .count()
    )
    print(f"  units sold {line_units}; balances sold out to exactly 0: {hot}")
    for label, ok in checks.items():
        print(f"  {'OK ' if ok else 'FAIL'} {label}")
    if results["other"]:
        print("  first unexpected answers:", results["other"][:3])
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
