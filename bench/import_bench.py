"""Benchmark of the SME spreadsheet import against a bare bulk insert and django-import-export.

    .venv/bin/python bench/import_bench.py [--rows 100000] [--ie-rows 10000] [--repeat 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/import_bench.py

Builds a realistic file in a temporary folder (Sentra template headers, ~5% messy-but-valid values,
~2% invalid rows) as .xlsx and .csv, then times on a fresh database each time:
  (a) Sentra's import_file of each file (dry run + commit, owners, permits, scale history, audit);
  (b) a bare Sme.objects.bulk_create of the same rows, already clean (the floor);
  (c) django-import-export importing the same file into Sme with a ModelResource.
Each measurement runs in its own process, so its peak memory (max RSS) is its own. With DATABASE_URL
set, PostgreSQL is measured too, in a throwaway database created next to the one named (and dropped).
Needs `pip install -e .[bench]` for django-import-export.
"""

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ROOT / "sentra" / "regions" / "data"
sys.path.insert(0, str(ROOT))

from sentra.imports.sme_spec import TEMPLATE_HEADERS  # noqa: E402 - no Django settings needed

BENCH_SECRET = "import-bench-secret-key-not-for-production-0123456789"
KBLI = [
    ("10794", "Produksi keripik", "Keripik singkong; keripik pisang"),
    ("14111", "Penjahitan pakaian", "Kemeja; gamis; seragam sekolah"),
    ("56303", "Kedai kopi", "Kopi susu; kopi tubruk"),
    ("96200", "Laundry kiloan", "Cuci setrika kiloan"),
    ("31001", "Pembuatan mebel kayu", "Kursi; meja; lemari"),
    ("47111", "Toko kelontong", "Sembako; minuman"),
    ("10710", "Produksi roti dan kue", "Roti manis; bolu; kue kering"),
]
GIVEN = ["Siti", "Ahmad", "Dewi", "Budi", "Euis", "Asep", "Nur", "Rudi", "Ika", "Dedi", "Yanti", "Agus"]
FAMILY = ["Rahayu", "Saputra", "Lestari", "Hidayat", "Permana", "Kurniawan", "Susanti", "Nugraha"]
BUSINESS = ["Keripik", "Jahit", "Kopi", "Laundry", "Mebel", "Warung", "Roti"]


# --- the file -------------------------------------------------------------------------------------


def regions() -> dict[str, list[str]]:
    kecamatan = {}
    with open(REGIONS / "bekasi_kecamatan.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            kecamatan[row["code"]] = (row["name"], [])
    with open(REGIONS / "bekasi_desa_kelurahan.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            kecamatan[row["kecamatan_code"]][1].append((row["code"], row["name"]))
    return kecamatan


def make_rows(count: int, seed: int = 2026):
    """(raw row dict, clean values or None for an invalid row) pairs."""
    rng = random.Random(seed)
    kecamatan = list(regions().items())
    owner_serial = 0
    previous_owner = None
    for i in range(count):
        code, (kec_name, desa) = kecamatan[i % len(kecamatan)]
        desa_code, desa_name = desa[rng.randrange(len(desa))]
        kbli, activity, products = KBLI[i % len(KBLI)]
        female = rng.random() < 0.55
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1960, 2002)
        if previous_owner and rng.random() < 0.1:
            nik, owner_name, female, (day, month, year) = previous_owner
        else:
            owner_serial += 1
            # NIK: 3216 + kecamatan + ddmmyy (women +40) + serial; serials never end in 0 (Excel-safe).
            nik = f"3216{code[-2:]}{day + 40 if female else day:02d}{month:02d}{year % 100:02d}{owner_serial % 9000 + 1000:04d}"
            nik = nik[:-1] + str(rng.randint(1, 9))
            owner_name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        previous_owner = (nik, owner_name, female, (day, month, year))
        capital = rng.choice([5, 10, 25, 50, 150, 400, 1500, 6000]) * 1_000_000
        turnover = capital * rng.randint(2, 6)
        phone = f"8{rng.choice('1258')}{rng.randint(10**8, 10**9 - 1)}"
        nib = f"{9_120_000_000_000 + i}" if rng.random() < 0.6 else ""
        halal = f"ID32{i + 10**9:012d}" if kbli.startswith("10") and rng.random() < 0.5 else ""
        row = {
            "Nama Usaha": f"{BUSINESS[i % len(BUSINESS)]} {owner_name.split()[0]} {i}",
            "Merek": f"Merek {i}",
            "Nama Pemilik": owner_name,
            "NIK": nik,
            "Jenis Kelamin": "P" if female else "L",
            "Tanggal Lahir": f"{day:02d}/{month:02d}/{year}",
            "No. HP/WA": "0" + phone,
            "Email": f"umkm{i}@contoh.id" if rng.random() < 0.3 else "",
            "Alamat Usaha": f"Jl. Raya {desa_name} No. {rng.randint(1, 200)}",
            "RT": f"{rng.randint(1, 15):03d}",
            "RW": f"{rng.randint(1, 9):03d}",
            "Desa/Kelurahan": desa_name,
            "Kecamatan": kec_name,
            "Latitude": f"-6.{rng.randint(150000, 400000)}",
            "Longitude": f"107.{rng.randint(0, 200000):06d}",
            "KBLI": kbli,
            "Kegiatan Usaha": activity,
            "Produk": products,
            "Tahun Mulai": str(rng.randint(1995, 2025)),
            "Jumlah Tenaga Kerja": str(rng.randint(1, 20)),
            "Modal Usaha": str(capital),
            "Omzet per Tahun": str(turnover),
            "NIB": nib,
            "NPWP": "",
            "No. Sertifikat Halal": halal,
            "Halal Berlaku Sampai": "31/12/2028" if halal else "",
            "No. P-IRT": "",
            "No. BPOM": "",
            "Forum UMKM": f"Forum UMKM {kec_name}",
        }
        clean = {
            "name": row["Nama Usaha"], "brand": row["Merek"], "phone": "+62" + phone, "email": row["Email"],
            "address": row["Alamat Usaha"], "rt": row["RT"], "rw": row["RW"], "kecamatan": code, "desa": desa_code,
            "latitude": row["Latitude"], "longitude": row["Longitude"], "kbli_code": kbli, "main_activity": activity,
            "products": products, "start_year": int(row["Tahun Mulai"]), "employees": int(row["Jumlah Tenaga Kerja"]),
            "capital": capital, "turnover": turnover, "nib": nib or None,
        }  # fmt: skip
        roll = rng.random()
        if roll < 0.05:  # messy but valid
            row["Modal Usaha"] = f"Rp {capital:,}".replace(",", ".")
            row["No. HP/WA"] = "+62 " + phone[:3] + "-" + phone[3:7] + "-" + phone[7:]
            row["Kecamatan"] = f"Kec. {kec_name.upper()}"
            row["Tanggal Lahir"] = ("serial", dt.date(year, month, day))
        elif roll < 0.07:  # invalid
            clean = None
            problem = rng.randrange(4)
            if problem == 0:
                row["NIK"] = nik[:12]
            elif problem == 1:
                row["Kecamatan"] = "Cikarang Ultra"
            elif problem == 2:
                row["Modal Usaha"] = "banyak"
            else:
                row["Nama Usaha"] = ""
        yield row, clean


def excel_serial(date: dt.date) -> int:
    return (date - dt.date(1899, 12, 30)).days


def write_files(folder: Path, count: int, stem: str = "umkm") -> dict[str, Path]:
    """The file as .xlsx and .csv, and its valid rows already clean (for the bare insert)."""
    import xlsxwriter

    xlsx_path, csv_path = folder / f"{stem}.xlsx", folder / f"{stem}.csv"
    clean_path = folder / f"{stem}-clean.jsonl"
    book = xlsxwriter.Workbook(str(xlsx_path), {"constant_memory": True})
    sheet = book.add_worksheet("UMKM")
    sheet.write_row(0, 0, TEMPLATE_HEADERS)
    with open(csv_path, "w", newline="", encoding="utf-8") as c, open(clean_path, "w", encoding="utf-8") as j:
        writer = csv.writer(c)
        writer.writerow(TEMPLATE_HEADERS)
        for r, (row, clean) in enumerate(make_rows(count), start=1):
            values = [row[h] for h in TEMPLATE_HEADERS]
            csv_values = [v[1].strftime("%d/%m/%Y") if isinstance(v, tuple) else v for v in values]
            writer.writerow(csv_values)
            for col, value in enumerate(values):
                if isinstance(value, tuple):
                    sheet.write_number(r, col, excel_serial(value[1]))
                elif value != "":
                    sheet.write_string(r, col, value)
            if clean is not None:
                j.write(json.dumps(clean) + "\n")
    book.close()
    return {"xlsx": xlsx_path, "csv": csv_path, "clean": clean_path}


# --- measurements (each in a child process) ---------------------------------------------------------


def child(kind: str, path: Path) -> dict:
    import django

    django.setup()
    from django.db import connection

    from sentra.registry.models import Sme

    started = time.perf_counter()
    if kind == "sentra":
        from sentra.imports.services import import_file

        writing = time_writes()
        job = import_file(path=path)
        rows, written = job.total, job.created + job.updated
        detail = {
            "created": job.created,
            "rejected": job.rejected,
            "status": job.status,
            "write_seconds": writing[0],
        }
    elif kind == "bulk":
        rows, written, detail = bulk_insert(path)
    else:
        rows, written, detail = import_export(path)
    seconds = time.perf_counter() - started
    detail["smes_in_db"] = Sme.objects.count()
    connection.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "kind": kind,
        "file": path.name,
        "rows": rows,
        "written": written,
        "seconds": seconds,
        "peak_mb": peak,
        **detail,
    }


def time_writes() -> list[float]:
    """Add up the time Sentra's import spends inserting rows (its writes, without reading or checking).

    Bench-only instrumentation: it shows how much of the import is the database writing the
    records (SMEs, owners, permits, scale history, audit entries), which no importer can avoid.
    """
    from sentra.imports import engine

    total = [0.0]
    insert = engine.insert_rows

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return insert(*args, **kwargs)
        finally:
            total[0] += time.perf_counter() - started

    engine.insert_rows = timed
    return total


def bulk_insert(path: Path):
    """The floor: clean values straight into Sme, 2,000 per INSERT batch, in one transaction."""
    from django.conf import settings
    from django.db import transaction

    from sentra.regions.models import Region
    from sentra.registry.models import Sme

    ids = dict(Region.objects.in_home_regency().values_list("code", "id"))
    regency_id = Region.objects.get(code=settings.SENTRA_HOME_REGENCY).pk
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    started = time.perf_counter()
    with transaction.atomic():
        batch = []
        for row in rows:
            row["kecamatan_id"], row["desa_id"] = ids[row.pop("kecamatan")], ids[row.pop("desa")]
            batch.append(Sme(regency_id=regency_id, source="import", **row))
            if len(batch) == 2000:
                Sme.objects.bulk_create(batch)
                batch = []
        Sme.objects.bulk_create(batch)
    return len(rows), len(rows), {"insert_seconds": time.perf_counter() - started}


def import_export(path: Path):
    """django-import-export with a plain ModelResource over the template columns, as its docs show."""
    import tablib
    from import_export import resources

    from sentra.registry.models import Sme

    columns = {
        "name": "Nama Usaha", "brand": "Merek", "phone": "No. HP/WA", "email": "Email", "address": "Alamat Usaha",
        "rt": "RT", "rw": "RW", "latitude": "Latitude", "longitude": "Longitude", "kbli_code": "KBLI",
        "main_activity": "Kegiatan Usaha", "products": "Produk", "start_year": "Tahun Mulai",
        "employees": "Jumlah Tenaga Kerja", "capital": "Modal Usaha", "turnover": "Omzet per Tahun", "nib": "NIB",
    }  # fmt: skip

    class SmeResource(resources.ModelResource):
        class Meta:
            model = Sme
            fields = tuple(columns)
            import_id_fields = ("nib",)

    raw = path.read_bytes()
    if path.suffix == ".csv":
        dataset = tablib.Dataset().load(raw.decode("utf-8"), format="csv")
    else:
        dataset = tablib.Dataset().load(raw, format="xlsx")
    # Headers renamed to field names: the resource then picks each field's own widget.
    attribute = {column: name for name, column in columns.items()}
    dataset.headers = [attribute.get(h, h) for h in dataset.headers]
    # Its defaults: rows validated and saved one by one, the whole import in one transaction.
    result = SmeResource().import_data(dataset, raise_errors=False)
    written = result.totals.get("new", 0) + result.totals.get("update", 0)
    return len(dataset), written, {"errors": result.totals.get("error", 0) + result.totals.get("invalid", 0)}


# --- orchestration ----------------------------------------------------------------------------------


class Database:
    """A fresh database per measurement: a copy of a migrated SQLite file, or a PostgreSQL template."""

    def __init__(self, folder: Path, url: str | None) -> None:
        self.folder, self.url = folder, url
        self.name = "PostgreSQL" if url else "SQLite"

    def env(self) -> dict[str, str]:
        env = {**os.environ, "DEBUG": "false", "SECRET_KEY": BENCH_SECRET, "ALLOWED_HOSTS": "localhost"}
        env["SENTRA_DATA_DIR"] = str(self.folder / "data")
        env["DJANGO_SETTINGS_MODULE"] = "sentra.settings"
        env.pop("DATABASE_URL", None)
        if self.url:
            env["DATABASE_URL"] = self._url("sentra_import_bench_run")
        return env

    def prepare(self) -> None:
        env = self.env()
        if self.url:
            self._psql(
                "DROP DATABASE IF EXISTS sentra_import_bench_tmpl", "CREATE DATABASE sentra_import_bench_tmpl"
            )
            env["DATABASE_URL"] = self._url("sentra_import_bench_tmpl")
        subprocess.run([sys.executable, "-m", "sentra.cli", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        if not self.url:
            shutil.copy(self.folder / "data" / "sentra.sqlite3", self.folder / "template.sqlite3")

    def fresh(self) -> None:
        if self.url:
            self._psql(
                "DROP DATABASE IF EXISTS sentra_import_bench_run",
                "CREATE DATABASE sentra_import_bench_run TEMPLATE sentra_import_bench_tmpl",
            )
        else:
            db = self.folder / "data" / "sentra.sqlite3"
            for extra in ("-wal", "-shm"):
                Path(str(db) + extra).unlink(missing_ok=True)
            shutil.copy(self.folder / "template.sqlite3", db)
            shutil.rmtree(self.folder / "data" / "media", ignore_errors=True)

    def drop(self) -> None:
        if self.url:
            self._psql(
                "DROP DATABASE IF EXISTS sentra_import_bench_run",
                "DROP DATABASE IF EXISTS sentra_import_bench_tmpl",
            )

    def _url(self, name: str) -> str:
        base, _sep, _old = self.url.rpartition("/")
        return f"{base}/{name}"

    def _psql(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)


def measure(db: Database, kind: str, path: Path, repeat: int) -> dict:
    """The median run of `repeat` (each on a fresh database); peak memory is the highest seen."""
    runs = sorted((measure_once(db, kind, path) for _ in range(repeat)), key=lambda r: r["seconds"])
    median = dict(runs[len(runs) // 2])
    median["peak_mb"] = max(r["peak_mb"] for r in runs)
    median["runs"] = [round(r["seconds"], 2) for r in runs]
    return median


def measure_once(db: Database, kind: str, path: Path) -> dict:
    db.fresh()
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)],
        env=db.env(), cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"{kind} on {path.name} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def report(db: Database, results: list[dict]) -> None:
    print(f"\n== {db.name}")
    print(
        f"{'measurement':<34}{'rows':>8}{'written':>9}{'seconds':>9}{'rows/s':>9}{'peak MB':>9}  all runs (s)"
    )
    for r in results:
        label = f"{r['kind']} {r['file']}"
        rate = r["rows"] / r["seconds"]
        r["rate"] = rate
        print(
            f"{label:<34}{r['rows']:>8}{r['written']:>9}{r['seconds']:>9.1f}{rate:>9.0f}{r['peak_mb']:>9.0f}"
            f"  {r['runs']}"
        )
    by = {(r["kind"], Path(r["file"]).suffix): r for r in results}
    floor = by[("bulk", ".jsonl")]
    for suffix in (".xlsx", ".csv"):
        sentra = by[("sentra", suffix)]
        line = f"Sentra {sentra['file']}: {floor['seconds'] and sentra['seconds'] / floor['seconds']:.2f}x the bare insert's time"
        ie = by.get(("import_export", suffix))
        if ie:
            line += f", {sentra['rate'] / ie['rate']:.1f}x django-import-export's rows/s"
            if ie["rows"] < sentra["rows"]:
                line += f" (import-export given a file of the first {ie['rows']:,} rows)"
        print(line)
        if ie:
            # The ceiling: if reading and checking every cell cost nothing, the writes alone.
            ceiling = sentra["rows"] / sentra["write_seconds"]
            print(
                f"  of which inserting its records: {sentra['write_seconds']:.1f}s; with reading and checking "
                f"free it would run at {ceiling:,.0f} rows/s = {ceiling / ie['rate']:.1f}x django-import-export"
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--ie-rows", type=int, default=10_000, help="rows given to django-import-export (it is slow)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is shown")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return
    folder = Path(tempfile.mkdtemp(prefix="sentra-import-bench-"))
    try:
        started = time.perf_counter()
        files = write_files(folder, args.rows)
        # django-import-export gets a file of its own rows only: slicing the big file after loading
        # it would charge it for reading rows it never imports.
        ie_files = write_files(folder, args.ie_rows, "umkm-first") if args.ie_rows < args.rows else files
        print(
            f"Wrote {args.rows:,} rows as .xlsx and .csv in {time.perf_counter() - started:.1f}s ({folder})"
        )
        databases = [Database(folder, None)]
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            databases.append(Database(folder, os.environ["DATABASE_URL"]))
        for db in databases:
            db.prepare()
            results = [measure(db, "bulk", files["clean"], args.repeat)]
            for name in ("xlsx", "csv"):
                results.append(measure(db, "sentra", files[name], args.repeat))
                results.append(measure(db, "import_export", ie_files[name], args.repeat))
            db.drop()
            report(db, results)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
