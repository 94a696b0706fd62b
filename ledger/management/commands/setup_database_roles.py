"""Create or update the service's two PostgreSQL roles, run once by a superuser.

The roles' names come from --owner/--app, else DATABASE_OWNER_ROLE/DATABASE_APP_ROLE,
else aidledger_owner/aidledger_app; their passwords from DATABASE_OWNER_PASSWORD and
DATABASE_APP_PASSWORD (a role's password is left as it is when its variable is unset).
Connect as a superuser for this command only, e.g.
``DATABASE_URL=postgres://postgres@host/aidledger manage.py setup_database_roles``
(``make db-roles``); then migrate as the owner and run the service as the app. See
``ledger.database_roles`` for what each role may do. Running it again is harmless.
"""

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from ledger.database_roles import RoleSetupError, setup_database_roles


class Command(BaseCommand):
    help = "Create the database owner and app roles and their grants (idempotent; superuser)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--owner",
            default=os.environ.get("DATABASE_OWNER_ROLE") or "aidledger_owner",
            help="the role that owns the tables and runs migrations",
        )
        parser.add_argument(
            "--app",
            default=os.environ.get("DATABASE_APP_ROLE") or "aidledger_app",
            help="the role web, worker and beat connect as",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                f"database roles are PostgreSQL's; this database is {connection.vendor}, "
                "where there is nothing to set up"
            )
        try:
            with transaction.atomic():
                done = setup_database_roles(
                    connection=connection,
                    owner=options["owner"],
                    app=options["app"],
                    owner_password=os.environ.get("DATABASE_OWNER_PASSWORD") or None,
                    app_password=os.environ.get("DATABASE_APP_PASSWORD") or None,
                )
        except RoleSetupError as error:
            raise CommandError(str(error)) from error
        for line in done:
            self.stdout.write(line)
