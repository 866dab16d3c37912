import pytest
from django.core.management import CommandError, call_command

from sentra.imports.models import ImportJob
from sentra.registry.models import Sme

from .conftest import template_row

pytestmark = pytest.mark.django_db


def test_the_import_command_imports_a_file_and_prints_the_summary(template_file, admin_user, capsys):
    path = template_file([template_row(1), template_row(2, NIK="3216")], name="smes.csv")
    call_command("import", str(path), "--user", admin_user.username)
    out = capsys.readouterr().out
    assert "Nama Usaha -> Business name" in out
    assert (
        "Checked 2 rows: 1 to create, 0 to update, 0 unchanged, 1 rejected, 0 imported with warnings." in out
    )
    assert "Rejected:\n  Row 3: NIK “••••”: A NIK has 16 digits, this one has 4." in out
    assert "Done: 1 created, 0 updated, 0 unchanged, 1 rejected, 0 imported with warnings." in out
    assert Sme.objects.count() == 1
    assert ImportJob.objects.get().uploaded_by == admin_user


def test_the_dry_run_option_writes_nothing(template_file, capsys):
    call_command("import", str(template_file([template_row(1)])), "--dry-run")
    assert "Dry run: nothing was written." in capsys.readouterr().out
    assert not Sme.objects.exists()


def test_a_rejected_file_makes_the_command_fail(tmp_path):
    path = tmp_path / "kosong.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="kosong.csv: The file is empty."):
        call_command("import", str(path))


def test_an_all_or_nothing_import_with_a_bad_row_makes_the_command_fail(template_file):
    path = template_file([template_row(1), template_row(2, NIK="3216")])
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", str(path), "--mode", "all_or_nothing")
    assert not Sme.objects.exists()


def test_the_command_refuses_a_user_who_is_not_dinas_staff(template_file, cashier):
    with pytest.raises(CommandError, match="not Dinas staff"):
        call_command("import", str(template_file([template_row(1)])), "--user", cashier.username)


def test_the_command_exits_non_zero_from_the_shell(template_file, tmp_path):
    import os
    import subprocess
    import sys

    path = tmp_path / "kosong.csv"
    path.write_bytes(b"")
    env = {**os.environ, "SENTRA_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-m", "sentra.cli", "import", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode != 0
    assert "kosong.csv:" in result.stderr
    assert "Traceback" not in result.stderr
