"""What the benches share: run a measuring child process on SQLite (a kept file) and, when DATABASE_URL
names PostgreSQL, on a kept PostgreSQL database of its own next to the one named."""

import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def postgres_database(url: str, *, rebuild: bool) -> None:
    """Create (or with rebuild, drop and create) the PostgreSQL database the url names."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    if rebuild:
        subprocess.run(["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    exists = subprocess.run(
        ["psql", admin, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if not exists:
        subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)


def run_on_both(
    command: list[str], *, data: Path, sqlite_name: str, postgres_suffix: str, only: str, rebuild: bool
) -> None:
    """Run `command` on SQLite (data/SQLITE_NAME.sqlite3) unless only == "postgresql", then on PostgreSQL
    (DATABASE_URL's database + _bench_POSTGRES_SUFFIX) when DATABASE_URL names one, unless only == "sqlite".
    Both are kept between runs; rebuild starts them afresh."""
    if only != "postgresql":
        data.mkdir(parents=True, exist_ok=True)
        database = data / f"{sqlite_name}.sqlite3"
        if rebuild:
            for path in data.glob(f"{database.name}*"):
                path.unlink()
        sqlite_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        sqlite_env.update(DATABASE_URL=f"sqlite:///{database}", SENTRA_DATA_DIR=str(data))
        subprocess.run(command, env=sqlite_env, check=True)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres") and only != "sqlite":
        parts = urlsplit(url)
        bench_url = urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_bench_{postgres_suffix}"))
        postgres_database(bench_url, rebuild=rebuild)
        subprocess.run(command, env={**os.environ, "DATABASE_URL": bench_url}, check=True)
