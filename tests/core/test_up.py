"""`sentra up` run as a real process, the way a person starts Sentra."""

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60


def shown(message: str) -> str:
    """A message as `sentra up` prints it: in the installation's language (Indonesian by default)."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(message)


def up_env(tmp_path: Path) -> dict[str, str]:
    unset = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SENTRA_BASE_URL")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    # A fresh SQLite file of its own, never the developer's or the test run's database.
    env["SENTRA_DATA_DIR"] = str(tmp_path / "data")
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_up_refuses_a_port_that_is_taken_with_one_line_and_exit_code_1(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "sentra.cli", "up", "--port", str(port)],
            cwd=ROOT,
            env=up_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    message = "Port %(port)s is already in use — is Sentra already running? Stop it or use --port."
    assert result.stderr.strip() == shown(message) % {"port": port}
    assert "Traceback" not in result.stdout + result.stderr
    # It stopped before touching a database.
    assert not (tmp_path / "data" / "sentra.sqlite3").exists()


def _wait_for_health(url: str, process: subprocess.Popen) -> int:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"sentra up exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"{url} did not answer within {STARTUP_SECONDS} s")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_up_serves_healthz_and_leaves_no_worker_behind_when_stopped(tmp_path):
    port = free_port()
    log = tmp_path / "up.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "sentra.cli", "up", "--no-demo", "--port", str(port)],
            cwd=ROOT,
            env=up_env(tmp_path),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            assert _wait_for_health(f"http://127.0.0.1:{port}/healthz", process) == 200
            output = log.read_text()
            worker_line = re.escape(shown("Task worker running (process %(pid)s).")).replace(
                re.escape("%(pid)s"), r"(\d+)"
            )
            worker = int(re.search(worker_line, output)[1])
            assert _alive(worker)
            assert f"http://127.0.0.1:{port}/" in output
            # The worker sends the emails: their links start with the address served, not port 8000.
            environ = Path(f"/proc/{worker}/environ").read_bytes().split(b"\0")
            assert f"SENTRA_BASE_URL=http://127.0.0.1:{port}".encode() in environ
            # --no-demo on a fresh database: no demo accounts to show.
            assert (
                shown("Demo sign-ins (password: %(password)s):") % {"password": "sentra-demo"} not in output
            )
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    assert process.returncode == 0
    assert not _alive(worker)


def test_up_does_not_load_demo_data_that_is_already_there(db, django_assert_max_num_queries):
    from sentra.core.management.commands.up import Command
    from sentra.imports.models import ImportJob

    call_command("demo", scale=30, verbosity=0)
    # Queries: the demo data set marker, then whether it holds at least that many SMEs.
    with django_assert_max_num_queries(2):
        Command()._load_demo(None)
    assert ImportJob.objects.count() == 1


def test_up_with_a_larger_scale_extends_the_demo_data(db):
    from sentra.core.management.commands.up import Command
    from sentra.demo.models import DemoDataset

    call_command("demo", scale=30, verbosity=0)
    Command(stdout=io.StringIO())._load_demo(40)
    assert DemoDataset.objects.get().scale == 40
