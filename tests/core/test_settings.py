"""Settings come from the environment; a wrong or missing one stops Sentra with one line naming it."""

import os
import subprocess
import sys

import pytest


def run_sentra(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "sentra.cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "false", "ALLOWED_HOSTS": "sentra.example.id"}, "SECRET_KEY"),
        ({"DEBUG": "false", "SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS"),
        ({"SENTRA_IMPORT_MAX_MB": "lots"}, "SENTRA_IMPORT_MAX_MB"),
    ],
)
def test_a_bad_setting_gives_one_line_naming_the_variable(env, variable):
    result = run_sentra("check", **env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_deploy_checks_are_clean_with_production_settings():
    result = run_sentra(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="k3y-" + "r4nd0m-" * 10,
        ALLOWED_HOSTS="sentra.bekasikab.go.id",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
