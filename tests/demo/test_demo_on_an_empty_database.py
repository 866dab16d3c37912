"""`sentra demo` on a database without its data (tests/demo/test_demo_command.py reads it loaded)."""

import pytest
from django.core.management import CommandError, call_command

from sentra.accounts.models import User
from sentra.demo.users import DEMO_USERS

SCALE = 60


def test_demo_accounts_exist_only_once_the_demo_data_is_loaded(db):
    usernames = [username for username, _label in DEMO_USERS]
    assert not User.objects.filter(username__in=usernames).exists()
    call_command("demo", scale=SCALE, verbosity=0)
    assert set(User.objects.filter(username__in=usernames).values_list("username", flat=True)) == set(
        usernames
    )


@pytest.mark.parametrize("scale", [0, 100_001])
def test_the_scale_must_be_between_one_and_one_hundred_thousand(db, scale):
    with pytest.raises(CommandError, match="100000"):
        call_command("demo", scale=scale, verbosity=0)
    assert not User.objects.filter(username="admin").exists()


def test_the_generated_rows_can_be_kept_as_a_csv_for_a_look(db, tmp_path):
    path = tmp_path / "demo.csv"
    call_command("demo", scale=SCALE, csv=path, verbosity=0)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Nama Usaha,Merek,Nama Pemilik,NIK,")
    assert len(lines) == SCALE + 1
