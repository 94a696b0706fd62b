"""``ensure_superuser`` creates the first admin user without a prompt, exactly once.

`make run` calls it on every start, so a second run must change nothing; without a
password in the environment it generates one and keeps it where only its owner can
read it.
"""

import stat

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
    assert "exists (password in" in capsys.readouterr().out


def test_the_created_user_can_open_the_admin(users, var_dir, monkeypatch, client):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "ops")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long pass phrase")
    call_command("ensure_superuser")
    assert client.login(username="ops", password="a long pass phrase")
    assert client.get("/admin/").status_code == 200
