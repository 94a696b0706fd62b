"""``ensure_superuser`` creates the first admin user without a prompt, exactly once.

`make run` calls it on every start, so a second run must change nothing; without a
password in the environment it generates one and keeps it where only its owner can
read it. Its last line, the last `make run` prints before serving, says how to log in.
"""

import re
import stat
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command


@pytest.fixture
def var_dir(tmp_path, monkeypatch):
    """The command's var/ folder, in a temporary directory (the real one is left alone)."""
    monkeypatch.setattr(settings, "VAR_DIR", tmp_path / "var")
    return tmp_path / "var"


@pytest.fixture
def users(db):
    return get_user_model()._default_manager


def test_creates_the_user_from_the_environment(users, var_dir, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "ops")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long pass phrase")
    call_command("ensure_superuser")
    user = users.get()
    assert (user.username, user.is_superuser, user.is_staff) == ("ops", True, True)
    assert user.check_password("a long pass phrase")
    assert not (var_dir / "admin-password").exists()


def test_a_second_run_changes_nothing(users, var_dir, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "ops")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long pass phrase")
    call_command("ensure_superuser")
    first = users.get()
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "another pass phrase")
    call_command("ensure_superuser")
    again = users.get()
    assert again.pk == first.pk
    assert again.password == first.password
    assert again.check_password("a long pass phrase")


def test_without_a_password_one_is_written_for_its_owner(users, var_dir, monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_USERNAME", raising=False)
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    call_command("ensure_superuser")
    password_file = var_dir / "admin-password"
    password = password_file.read_text().strip()
    assert len(password) >= 12
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    user = users.get()
    assert user.username == "admin"  # the default name
    assert user.check_password(password)


def test_a_second_run_keeps_the_generated_password(users, var_dir, monkeypatch, capsys):
    monkeypatch.delenv("DJANGO_SUPERUSER_USERNAME", raising=False)
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    call_command("ensure_superuser")
    password = (var_dir / "admin-password").read_text()
    call_command("ensure_superuser")
    assert (var_dir / "admin-password").read_text() == password
    assert users.count() == 1
    assert users.get().check_password(password.strip())
    assert "exists" in capsys.readouterr().out


def last_line(capsys) -> str:
    return capsys.readouterr().out.strip().splitlines()[-1]


URL = "http://127.0.0.1:8000/admin/"
SAID = re.compile(r"Log in to (?P<url>\S+) as (?P<user>\S+) with (?P<how>.+)\.$")


def test_the_first_start_prints_the_generated_password_and_where_it_is(
    users, var_dir, monkeypatch, capsys, client
):
    monkeypatch.delenv("DJANGO_SUPERUSER_USERNAME", raising=False)
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    call_command("ensure_superuser", admin_url=URL)
    said = SAID.match(last_line(capsys))
    assert said, "the last line says how to log in"
    assert (said["url"], said["user"]) == (URL, "admin")
    password = (var_dir / "admin-password").read_text().strip()
    assert said["how"] == f"the password {password} (kept in {var_dir / 'admin-password'})"
    assert client.login(username="admin", password=password)


def test_a_later_start_says_where_the_password_is_without_printing_it(
    users, var_dir, monkeypatch, capsys
):
    monkeypatch.delenv("DJANGO_SUPERUSER_USERNAME", raising=False)
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    call_command("ensure_superuser", admin_url=URL)
    password = (var_dir / "admin-password").read_text().strip()
    capsys.readouterr()
    call_command("ensure_superuser", admin_url=URL)
    output = capsys.readouterr().out
    assert password not in output
    assert output.strip().splitlines()[-1] == (
        f"Log in to {URL} as admin with the password in {var_dir / 'admin-password'}."
    )


def test_a_password_from_the_environment_is_named_not_printed(users, var_dir, monkeypatch, capsys):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "ops")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long pass phrase")
    for _ in range(2):  # the first start and a later one say the same
        call_command("ensure_superuser", admin_url=URL)
        output = capsys.readouterr().out
        assert "a long pass phrase" not in output
        assert output.strip().splitlines()[-1] == (
            f"Log in to {URL} as ops with the password in DJANGO_SUPERUSER_PASSWORD."
        )


def test_a_password_changed_since_is_not_claimed_to_be_in_the_file(
    users, var_dir, monkeypatch, capsys
):
    monkeypatch.delenv("DJANGO_SUPERUSER_USERNAME", raising=False)
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    call_command("ensure_superuser")
    user = users.get()
    user.set_password("changed in the admin")
    user.save()
    capsys.readouterr()
    call_command("ensure_superuser")
    assert last_line(capsys) == (
        "Log in to the admin as admin with the password you set for it "
        "(`manage.py changepassword admin` sets another)."
    )


def test_make_run_ends_with_the_login_line_before_serving():
    """`make run` (dry run: the commands it would run) prints nothing after the login
    line but the servers' own output, and no longer points at a password "above"."""
    project = Path(__file__).resolve().parents[2]
    commands = subprocess.run(
        ["make", "-n", "run", "HOST=127.0.0.9", "PORT=8123"],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert "password above" not in commands
    login = commands.index("manage.py ensure_superuser --admin-url http://127.0.0.9:8123/admin/")
    after = commands[login:]
    assert "echo" not in after
    assert "gunicorn config.wsgi --bind 127.0.0.9:8123" in after


def test_the_created_user_can_open_the_admin(users, var_dir, monkeypatch, client):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "ops")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long pass phrase")
    call_command("ensure_superuser")
    assert client.login(username="ops", password="a long pass phrase")
    assert client.get("/admin/").status_code == 200
