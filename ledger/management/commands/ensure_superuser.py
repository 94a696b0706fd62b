"""Create the first admin user without a prompt, once, and say how to log in.

The name comes from DJANGO_SUPERUSER_USERNAME (default "admin") and the password from
DJANGO_SUPERUSER_PASSWORD. Without a password, one is generated and kept in
var/admin-password (readable by its owner only). Running it again changes nothing.

Its last line is the one `make run` ends with: where to log in, as whom, and with which
password: the generated one itself on the first start, afterwards where it is kept (or
that it is the one set by hand, once neither the file nor the variable logs in).
"""

import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management.base import BaseCommand, CommandParser

PASSWORD_VARIABLE = "DJANGO_SUPERUSER_PASSWORD"


def shown(path: Path) -> str:
    """The path as the user would type it from the project (``var/admin-password``)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def kept_password(path: Path) -> str:
    return path.read_text().strip() if path.exists() else ""


class Command(BaseCommand):
    help = "Create the first superuser from environment variables (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--admin-url", default="", help="The admin's address, named in the last line."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME") or "admin"
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "")
        password = os.environ.get(PASSWORD_VARIABLE, "")
        password_file = settings.VAR_DIR / "admin-password"
        users = get_user_model()._default_manager
        user = users.filter(username=username).first()
        if user is not None:
            self.stdout.write(f"Admin user {username!r} exists.")
            with_password = self.existing_password(user, password, password_file)
        elif password:
            users.create_superuser(username=username, email=email, password=password)
            self.stdout.write(f"Created admin user {username!r}.")
            with_password = f"the password in {PASSWORD_VARIABLE}"
        else:
            password = secrets.token_urlsafe(12)
            settings.VAR_DIR.mkdir(exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
            users.create_superuser(username=username, email=email, password=password)
            self.stdout.write(f"Created admin user {username!r}.")
            with_password = f"the password {password} (kept in {shown(password_file)})"
        where = options["admin_url"] or "the admin"
        self.stdout.write(f"Log in to {where} as {username} with {with_password}.")

    def existing_password(self, user: AbstractBaseUser, password: str, password_file: Path) -> str:
        """Which password logs in, without printing it again: the variable's, the kept
        file's, or neither (changed in the admin since)."""
        if password and user.check_password(password):
            return f"the password in {PASSWORD_VARIABLE}"
        kept = kept_password(password_file)
        if kept and user.check_password(kept):
            return f"the password in {shown(password_file)}"
        return (
            "the password you set for it "
            f"(`manage.py changepassword {user.get_username()}` sets another)"
        )
