"""How fast is the public catalogue with 50,000 SMEs and 200,000 products, against a static ceiling?

    .venv/bin/python bench/catalog_bench.py                          # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sentra_catalog \\
        .venv/bin/python bench/catalog_bench.py                      # SQLite, then PostgreSQL
    .venv/bin/python bench/catalog_bench.py --scale 5000 --duration 5 --repeat 1   # a quick look

Builds the demo data set with `sentra demo --scale N` (50,000 SMEs give ~200,000 products) in a data
folder of its own once (kept and reused between runs: `--data DIR`, default /tmp/sentra-catalog-bench,
`--rebuild` to build again; PostgreSQL in a
database of its own next to the one named, `<name>_bench`), then serves Sentra as production would:
gunicorn with 2 sync workers, DEBUG off, static files by WhiteNoise. Load comes from a second process
on loopback, wrk (Debian's `wrk`), with a Lua script that walks a list of paths and reports
requests/s and the 50th/95th/99th latency percentiles. In one run, per database:

- static: an HTML file of the same size as the catalogue page, served by the same gunicorn through
  WhiteNoise: the ceiling (no database, no template);
- catalogue: the first catalogue page and its category/kecamatan pages, no search words;
- search: result pages of a fixed set of real queries, including one-letter, common-word,
  two-word, English and misspelled ones;
- product: 200 product pages of different SMEs.

Public pages are cached for anonymous visitors (sentra/catalog/page_cache.py), so each kind of page is
measured twice: as served once it has been asked for (every path fetched once before the load), and
rendered every time (a new query string on each request, which the cache never holds).
The "mix" and "edit" rows ask what visitors get after a change. "mix": visits of a larger pool of
addresses by a 1/k popularity law, right after a change that makes every page stale (the global
stamp written, as a category or event change does; until the page cache had scopes, every change
did this, and "mix" was then the only after-a-change row). "edit" (added with the scoped stamps):
the same visits, with every address of the pool cached first, then before each run one public
product's price changed by an officer through `catalog.services.update_product` in a separate
process, so that the app's own signals decide what becomes stale (that SME's storefront and product
pages, and the lists: home, catalogue, search; a price moves no product into or out of a list
sorted otherwise, so those lists' results are kept: page_cache.kept; a search sorted by price keeps
what it finds and sorts it again by the prices as they are now). The "cold" rows are the cost
of rendering a page and reading its results (bench/cold_settings.py keeps none), which the first
visitor after a change of what a list holds pays.
Each measurement runs --repeat times (median shown with every run), after a warm-up. Targets: search
p95 ≤ 50 ms; catalogue and product pages ≥ 50% of the static file's requests/s. wrk and gunicorn share
the machine's cores, the same for every measurement.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SEARCHES = [
    "k",  # one letter: a word being typed, matches most products
    "keripik",
    "bekasi",  # common word: in nearly every product's description
    "dibuat",  # common word
    "kopi susu",
    "sambal bawang",
    "batik tulis",
    "tas kulit",
    "chips",  # English
    "coffee",
    "kripik",  # misspelled: "did you mean"
    "dodol betawi durian",
    "kue",
    "ba",  # two letters being typed
]
TARGET_SEARCH_P95_MS = 50
TARGET_SHARE = 0.5

LUA = r"""
local paths = {}
local i = 0
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local fresh = os.getenv("BENCH_FRESH") == "1"
local n = 0
local threads = {}
setup = function(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end
init = function(args)
  hits, misses = 0, 0
  -- The two threads walk the list from different places, so that they do not ask for each
  -- address at the same moment (both would miss).
  i = (offset or 0) * math.floor(#paths / 2)
end
request = function()
  i = i % #paths + 1
  local path = paths[i]
  if fresh then
    -- A new address each time: the page cache never has it, every request is rendered.
    n = n + 1
    local sep = string.find(path, "?", 1, true) and "&" or "?"
    path = path .. sep .. "fresh=" .. tostring(math.random(1, 1000000000)) .. "-" .. n
  end
  return wrk.format("GET", path)
end
response = function(status, headers, body)
  local state = headers["X-Sentra-Page-Cache"]
  if state == "hit" then hits = hits + 1 elseif state == "miss" then misses = misses + 1 end
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  local h, m = 0, 0
  for _, thread in ipairs(threads) do h = h + thread:get("hits"); m = m + thread:get("misses") end
  io.write(string.format('BENCH {"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, "errors": %d, "bytes": %d, "hits": %d, "misses": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, errors, summary.bytes, h, m))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    """One database with the demo data, served by gunicorn."""

    def __init__(self, label: str, data: Path, database_url: str | None) -> None:
        self.label, self.data, self.database_url = label, data, database_url
        self.static_root = data / "static"
        self.port = free_port()
        self.process = None
        # bench/cold_settings.py for the "cold" rows: every render reads its results too.
        self.settings_module = "sentra.settings"

    def env(self, *, production: bool = True) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(SENTRA_DATA_DIR=str(self.data), STATIC_ROOT=str(self.static_root))
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        if production:
            env.update(
                DEBUG="false", SECRET_KEY="catalog-bench-only-" + "x" * 40, ALLOWED_HOSTS="127.0.0.1",
                SECURE_SSL_REDIRECT="false", LOG_LEVEL="WARNING",
            )  # fmt: skip
        return env

    def sentra(self, *args: str) -> None:
        subprocess.run(
            [str(VENV_BIN / "sentra"), *args], env=self.env(production=False), check=True, cwd=ROOT
        )

    def prepare(self, scale: int, *, rebuild: bool = False) -> None:
        self.data.mkdir(parents=True, exist_ok=True)
        if self.database_url:
            self._create_database()
        self.sentra("migrate", "-v0")
        built = self.data / ".demo-built"
        if built.exists() and not rebuild:
            # Built by an earlier run (the demo is deterministic): ~10 min saved per database.
            print(
                f"  {self.label}: reusing the demo data in {self.data} (--rebuild to build it again)",
                flush=True,
            )
        else:
            started = time.monotonic()
            self.sentra("demo", "--scale", str(scale), "-v0")
            built.touch()
            print(
                f"  {self.label}: demo data at scale {scale} ready in {time.monotonic() - started:.0f} s",
                flush=True,
            )
        subprocess.run(
            [str(VENV_BIN / "sentra"), "collectstatic", "--noinput", "-v0"],
            env=self.env(),
            check=True,
            cwd=ROOT,
        )

    def _create_database(self) -> None:
        parts = urlsplit(self.database_url)
        name = parts.path.lstrip("/")
        admin = urlunsplit(parts._replace(path="/postgres"))
        exists = subprocess.run(
            ["psql", admin, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        if not exists:
            subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)

    def start(self) -> None:
        command = [
            str(VENV_BIN / "gunicorn"), "sentra.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{self.port}",
            "--log-level", "warning", "--access-logfile", "/dev/null",
        ]  # fmt: skip
        env = {**self.env(), "DJANGO_SETTINGS_MODULE": self.settings_module}
        if self.settings_module != "sentra.settings":
            env["PYTHONPATH"] = str(ROOT / "bench")
        self.process = subprocess.Popen(command, env=env, cwd=ROOT)
        for _ in range(100):
            try:
                urllib.request.urlopen(self.url("/healthz"), timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)
            self.process = None

    def worker_cpu_seconds(self) -> float:
        """CPU time (user + system) the gunicorn workers have used so far: the server's own cost of
        the requests, whatever else the machine is running (wall times are not, on a shared machine)."""
        if self.process is None:
            return 0.0
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return 0.0
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for child in children:
            try:
                fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url(path), timeout=30) as response:
            return response.read()


def _shell(site: Site, code: str) -> list[str]:
    out = subprocess.run(
        [str(VENV_BIN / "sentra"), "shell", "-c", code], env=site.env(production=False), capture_output=True,
        text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    return [line for line in out.stdout.splitlines() if line.startswith("/")]


def product_paths(site: Site, count: int = 200, seed: int = 7) -> list[str]:
    return _shell(
        site,
        f"""
import random
from sentra.catalog.models import Product
ids = list(Product.objects.public().values_list("pk", flat=True))
chosen = random.Random({seed}).sample(ids, min({count}, len(ids)))
for p in Product.objects.filter(pk__in=chosen).select_related("sme__storefront"):
    print(f"/id/umkm/{{p.sme.storefront.slug}}/{{p.slug}}/")
""",
    )


def catalogue_paths(site: Site) -> list[str]:
    return [
        "/id/katalog/", "/id/katalog/?category=makanan-ringan", "/id/katalog/?category=batik-dan-kain",
        "/en/catalogue/", "/id/katalog/?page=2", "/id/katalog/?sort=price",
    ]  # fmt: skip


def catalogue_pool(site: Site) -> list[str]:
    """Addresses of the catalogue a day's visitors browse: home, every category, pages, sorts."""
    categories = _shell(
        site,
        "from sentra.catalog.models import Category\nfor c in Category.objects.all(): print('/' + c.slug)",
    )
    paths = ["/id/", "/en/", *catalogue_paths(site)]
    for base in ("/id/katalog/", "/en/catalogue/"):
        for slug in (c[1:] for c in categories):
            for extra in ("", "&page=2", "&page=3", "&sort=price", "&export_ready=on"):
                paths.append(f"{base}?category={slug}{extra}")
        for page in range(2, 6):
            paths.append(f"{base}?page={page}")
        paths += [f"{base}?sort=-price", f"{base}?sort=newest", f"{base}?certificate=halal"]
    return list(dict.fromkeys(paths))


def search_pool() -> list[str]:
    paths = []
    for q in SEARCHES:
        for base in ("/id/katalog/", "/en/catalogue/"):
            paths += [
                f"{base}?q={quote(q)}",
                f"{base}?q={quote(q)}&page=2",
                f"{base}?q={quote(q)}&sort=price",
            ]
    return paths


def zipf_sequence(pool: list[str], length: int, seed: int = 11) -> list[str]:
    """Visits of `pool` as a popularity law has them: the k-th address asked for ~1/k as often."""
    import random

    order = random.Random(seed).sample(pool, len(pool))
    weights = [1 / (k + 1) for k in range(len(order))]
    return random.Random(seed + 1).choices(order, weights=weights, k=length)


def wrk(
    site: Site, paths: list[str], *, seconds: int, connections: int, folder: Path, fresh: bool = False
) -> dict:
    listing = folder / "paths.txt"
    listing.write_text("\n".join(paths) + "\n")
    script = folder / "bench.lua"
    script.write_text(LUA)
    cpu_before, load = site.worker_cpu_seconds(), os.getloadavg()[0]
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script), site.url("/")],
        env={**os.environ, "BENCH_PATHS": str(listing), "BENCH_FRESH": "1" if fresh else "0"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(line for line in out.stdout.splitlines() if line.startswith("BENCH "))
    result = json.loads(line[6:])
    result["rps"] = result["requests"] / result["seconds"]
    result["cpu_ms"] = 1000 * (site.worker_cpu_seconds() - cpu_before) / max(1, result["requests"])
    result["load"] = load
    return result


def new_generation(site: Site) -> None:
    """What a change shown on every page does (a category, an event): the global stamp, all stale."""
    (site.data / "catalog-pages.stamp").write_text(f"bench-{time.time_ns()}")


def edit_a_product(site: Site, seed: int) -> None:
    """A real edit: an officer changes the price of one public product through the service, in a
    process of its own, as the officer's request would; its signals renew what the app renews (the
    lists, that SME's storefront and product pages)."""
    out = _shell(
        site,
        f"""
import random
from sentra.accounts.models import Role, User
from sentra.catalog import services
from sentra.catalog.models import Product
ids = list(Product.objects.public().values_list("pk", flat=True)[:5000])
product = Product.objects.get(pk=random.Random({seed}).choice(ids))
officer = User.objects.filter(role=Role.ADMIN).first()
price = product.price + (1 if product.price % 2 == 0 else -1)
services.update_product(product=product, actor=officer, data={{"price": price}})
print("/edited", product.pk, price)
""",
    )
    assert out and out[0].startswith("/edited"), out


def measure(site: Site, name: str, paths: list[str], args, folder: Path, mode: str = "warm") -> dict:
    """`mode`: "warm" (each address asked once before: the cache holds them all), "cold" (a new
    address each request: every page rendered), "mix" (the cache emptied first, as by a change to
    a category or an event; `paths` is a sequence of visits, each address rendered the first time
    it comes), "edit" (the same visits, all cached by a first pass, then one product edited through
    the service before each run: only the pages that edit renews are rendered again)."""
    fresh = mode == "cold"
    if mode == "warm":
        for path in dict.fromkeys(paths):
            site.get(path)
    if mode == "edit":
        new_generation(site)
        for path in dict.fromkeys(paths):
            site.get(path)
    if mode not in ("mix", "edit"):
        wrk(site, paths, seconds=2, connections=args.connections, folder=folder, fresh=fresh)  # warm-up
    runs = []
    for n in range(args.repeat):
        if mode == "mix":
            new_generation(site)
        if mode == "edit":
            edit_a_product(site, seed=n)
        runs.append(
            wrk(site, paths, seconds=args.duration, connections=args.connections, folder=folder, fresh=fresh)
        )
    hits, misses = sum(r["hits"] for r in runs), sum(r["misses"] for r in runs)
    return {
        "name": name,
        "runs": runs,
        "rps": statistics.median(r["rps"] for r in runs),
        "p50": statistics.median(r["p50"] for r in runs),
        "p95": statistics.median(r["p95"] for r in runs),
        "p99": statistics.median(r["p99"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "cpu_ms": statistics.median(r["cpu_ms"] for r in runs),
        "load": statistics.median(r["load"] for r in runs),
        "hit_share": hits / (hits + misses) if hits + misses else None,
    }


KINDS = ("catalogue pages", "search results", "product pages")


def bench(site: Site, args) -> list[dict]:
    folder = Path(tempfile.mkdtemp(prefix="catalog-bench-"))
    try:
        site.start()
        page = site.get("/id/katalog/")
        products = product_paths(site)
        product_visits = product_paths(site, count=args.mix_products, seed=8)
        catalogue_visits = catalogue_pool(site)
        site.stop()
        # The ceiling: the same number of bytes, from a file WhiteNoise indexes when gunicorn starts.
        ceiling = site.static_root / "bench" / "ceiling.html"
        ceiling.parent.mkdir(parents=True, exist_ok=True)
        ceiling.write_bytes(page)
        site.start()
        searches = [f"/id/katalog/?q={quote(q)}" for q in SEARCHES]
        fixed = dict(zip(KINDS, (catalogue_paths(site), searches, products), strict=True))
        pools = dict(zip(KINDS, (catalogue_visits, search_pool(), product_visits), strict=True))
        results = [measure(site, "static file (ceiling)", ["/static/bench/ceiling.html"], args, folder)]
        for kind in KINDS:
            results.append(measure(site, f"{kind}, warm", fixed[kind], args, folder))
        for kind in KINDS:
            # Long enough that the wrk threads never come back to its start within a run.
            visits = zipf_sequence(pools[kind], 200_000)
            results.append(measure(site, f"{kind}, mix", visits, args, folder, mode="mix"))
        for kind in KINDS:
            visits = zipf_sequence(pools[kind], 200_000)
            results.append(measure(site, f"{kind}, edit", visits, args, folder, mode="edit"))
        # The same pages rendered every time (a new query string each request), their results read
        # every time too (bench/cold_settings.py): the cost of a visitor who is the first to ask for
        # a page since what it lists last changed.
        site.stop()
        site.settings_module = "cold_settings"
        site.start()
        for kind in KINDS:
            results.append(measure(site, f"{kind}, cold", fixed[kind], args, folder, mode="cold"))
        per_query = {}
        if args.per_query:
            for q, path in zip(SEARCHES, searches, strict=True):
                per_query[q] = measure(site, f"search {q!r}", [path], args, folder, mode="cold")
        site.settings_module = "sentra.settings"
        for r in results:
            r["bytes_per_response"] = r["runs"][0]["bytes"] / max(1, r["runs"][0]["requests"])
        pool_sizes = {kind: len(pools[kind]) for kind in KINDS}
        results.append({"per_query": per_query, "page_bytes": len(page), "pools": pool_sizes})
        return results
    finally:
        site.stop()
        shutil.rmtree(folder, ignore_errors=True)


def report(label: str, results: list[dict]) -> None:
    *rows, extra = results
    ceiling = rows[0]["rps"]
    print(f"\n{label} — catalogue page {extra['page_bytes']:,} bytes; medians of {len(rows[0]['runs'])} runs")
    print(
        "mix: addresses visited by a 1/k popularity law from pools of "
        + ", ".join(f"{n:,} {kind}" for kind, n in extra["pools"].items())
        + "; the page cache emptied before each run; hits = share of pages answered from it"
    )
    print("edit: the same visits, every page of the pool cached first, one product edited before each run")
    print(
        f"{'measurement':28} {'req/s':>8} {'vs static':>9} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'CPU ms/req':>10} {'hits':>5} {'load':>5} {'errors':>6}  runs (req/s)"
    )
    for r in rows:
        share = r["rps"] / ceiling if ceiling else 0
        runs = ", ".join(f"{run['rps']:.0f}" for run in r["runs"])
        hits = "" if r["hit_share"] is None else f"{r['hit_share']:.0%}"
        print(
            f"{r['name']:28} {r['rps']:8.0f} {share:9.0%} {r['p50']:7.1f} {r['p95']:7.1f} {r['p99']:7.1f} "
            f"{r['cpu_ms']:10.1f} {hits:>5} {r['load']:5.1f} {r['errors']:6}  {runs}"
        )
    for q, r in extra["per_query"].items():
        print(
            f"  search {q!r:24} {r['rps']:8.0f} {'':9} {r['p50']:7.1f} {r['p95']:7.1f} {r['p99']:7.1f} {r['errors']:6}"
        )
    by_name = {r["name"]: r for r in rows}
    verdicts = []
    for mode in ("warm", "mix", "edit", "cold"):
        search = by_name[f"search results, {mode}"]["p95"] <= TARGET_SEARCH_P95_MS
        shares = [
            by_name[f"{kind}, {mode}"]["rps"] >= TARGET_SHARE * ceiling for kind in (KINDS[0], KINDS[2])
        ]
        verdicts.append(
            f"{mode}: search p95 ≤ {TARGET_SEARCH_P95_MS} ms {'met' if search else 'NOT met'}, "
            f"catalogue ≥ {TARGET_SHARE:.0%} {'met' if shares[0] else 'NOT met'}, "
            f"product ≥ {TARGET_SHARE:.0%} {'met' if shares[1] else 'NOT met'}"
        )
    print("targets — " + "; ".join(verdicts))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale", type=int, default=50_000, help="SMEs in the demo data (products: ~4 per SME)"
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per measurement")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median shown)")
    parser.add_argument("--connections", type=int, default=8, help="open connections wrk keeps")
    parser.add_argument(
        "--data", type=Path, default=Path("/tmp/sentra-catalog-bench"), help="kept data folder"
    )
    parser.add_argument("--per-query", action="store_true", help="also measure each search query alone")
    parser.add_argument(
        "--mix-products", type=int, default=2000, help="product pages in the mix's pool of addresses"
    )
    parser.add_argument("--rebuild", action="store_true", help="build the demo data again even if kept")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    sites = []
    if args.only != "postgresql":
        sites.append(Site("SQLite", args.data / f"sqlite-{args.scale}", None))
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres") and args.only != "sqlite":
        parts = urlsplit(url)
        bench_url = urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_bench_{args.scale}"))
        sites.append(Site("PostgreSQL", args.data / f"postgresql-{args.scale}", bench_url))
    for site in sites:
        print(f"{site.label}: preparing…", flush=True)
        site.prepare(args.scale, rebuild=args.rebuild)
    for site in sites:
        report(site.label, bench(site, args))


if __name__ == "__main__":
    main()
