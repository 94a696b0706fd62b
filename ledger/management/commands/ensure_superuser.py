"""Create the first admin user without a prompt, once.

The name comes from DJANGO_SUPERUSER_USERNAME (default "admin") and the password from
DJANGO_SUPERUSER_PASSWORD. Without a password, one is generated and kept in
var/admin-password (readable by its owner only), so `make run` can say how to log in.
Running it again changes nothing.
"""

import os
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the first superuser from environment variables (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:

        username = os.environ.get("DJANGO_SUPERUSER_USERNAME") or "admin"
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "")
        password_file = settings.VAR_DIR / "admin-password"
        users = get_user_model()._default_manager
        if users.filter(username=username).exists():
            hint = f" (password in {password_file})" if password_file.exists() else ""
            self.stdout.write(f"Admin user {username!r} exists{hint}.")
            return
        if not password:
            password = secrets.token_urlsafe(12)
            settings.VAR_DIR.mkdir(exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        users.create_superuser(username=username, email=email, password=password)
        where = (
            f"in {password_file}" if password_file.exists() else "from DJANGO_SUPERUSER_PASSWORD"
        )
        self.stdout.write(f"Created admin user {username!r}; its password is {where}.")
