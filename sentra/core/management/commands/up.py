"""`sentra up`: one command from a fresh checkout to a running Sentra with demo data.

It checks the port first (so a second `up` fails in a second, not after a migration), migrates,
loads the home regency and the demo data (both idempotent), starts the task worker as a child process
and serves with Django's development server. The worker never outlives `up`: it is stopped on exit,
Ctrl+C and SIGTERM, and on Linux the kernel stops it if `up` itself is killed.
"""

import errno
import os
import signal
import socket
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

WORKER_STOP_SECONDS = 10


def served_host(host: str) -> str:
    """The host part of the address a browser opens for a server bound to `host`."""
    return {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host, f"[{host}]" if ":" in host else host)


def port_in_use(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # The development server sets SO_REUSEADDR too, so a port left in TIME_WAIT counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return True
            raise
    return False


def _die_with_parent() -> None:
    """Runs in the worker just before it starts: ask Linux to send it SIGTERM when `up` dies."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def start_worker() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sentra.cli", "db_worker", "--no-reload"],
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def _exit_on_sigterm(signum, frame):
    # Unwinds runserver like Ctrl+C does, so the finally block below stops the worker.
    raise SystemExit(0)


class Command(BaseCommand):
    help = "Start Sentra locally: migrate, load demo data, start the task worker and the web server."
    # runserver runs the system checks itself; doing them here too would only slow the start.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-demo", action="store_true", help="do not load the demo data set")
        parser.add_argument("--scale", type=int, default=None, help="number of demo SMEs (default 300)")

    def handle(self, *args, port, host, no_demo, scale, **options):
        if port_in_use(host, port):
            self.stderr.write(
                _("Port %(port)s is already in use — is Sentra already running? Stop it or use --port.")
                % {"port": port}
            )
            sys.exit(1)

        # Links in emailed reminders and notices start with SENTRA_BASE_URL: where none is set, the
        # address served here (the demo's own emails included), for this process and its worker.
        if not os.environ.get("SENTRA_BASE_URL"):
            os.environ["SENTRA_BASE_URL"] = settings.SENTRA_BASE_URL = f"http://{served_host(host)}:{port}"

        self.stdout.write(_("Preparing the database…"))
        call_command("migrate", interactive=False, verbosity=0)
        from sentra.regions.services import load_home_regency

        load_home_regency()
        if not no_demo:
            self._load_demo(scale)

        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        worker = start_worker()
        try:
            self._announce(host, port, worker)
            address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            call_command("runserver", address, use_reloader=False)
        finally:
            stop_worker(worker)

    def _load_demo(self, scale):
        from sentra.demo.services import DEFAULT_SCALE, DemoError, is_loaded, load_demo, loaded_dataset

        dataset = loaded_dataset()
        # Without --scale, whatever demo data is already there will do.
        wanted = scale or (dataset.scale if dataset else DEFAULT_SCALE)
        if dataset is not None and is_loaded(scale=wanted, seed=dataset.seed):
            return
        self.stdout.write(_("Loading demo data (%(count)s SMEs)…") % {"count": wanted})
        try:
            kwargs = {"seed": dataset.seed} if dataset else {}
            load_demo(scale=wanted, say=lambda message: self.stdout.write(f"  {message}"), **kwargs)
        except DemoError as exc:
            self.stderr.write(str(exc))
            sys.exit(1)

    def _announce(self, host, port, worker):
        from sentra.demo.services import loaded_dataset
        from sentra.demo.users import DEMO_PASSWORD, DEMO_USERS

        shown_host = served_host(host)
        lines = [
            "",
            "=" * 64,
            _("Sentra UMKM is running at http://%(host)s:%(port)s/") % {"host": shown_host, "port": port},
        ]
        if loaded_dataset() is not None:
            lines += ["", _("Demo sign-ins (password: %(password)s):") % {"password": DEMO_PASSWORD}]
            lines += [f"  {username:<18} {label}" for username, label in DEMO_USERS]
        lines += [
            "",
            _("Task worker running (process %(pid)s).") % {"pid": worker.pid},
            _("Press Ctrl+C to stop."),
            "=" * 64,
            "",
        ]
        self.stdout.write("\n".join(str(line) for line in lines))
        self.stdout.flush()
