"""Every database rule the SQL files declare is in place after all migrations, so a later
migration that rebuilds a table (SQLite does that to add a column) cannot lose one."""

import re

from django.db import connection

from ledger.migration_operations import SQL_DIR


def declared_triggers(vendor: str) -> set[str]:
    names: set[str] = set()
    for path in SQL_DIR.glob(f"*.{vendor}.sql"):
        names |= set(re.findall(r"CREATE TRIGGER (\w+)", path.read_text()))
    return names


def installed_triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {row[0] for row in cursor.fetchall()}


def test_every_declared_trigger_is_installed(db):
    declared = declared_triggers(connection.vendor)
    assert len(declared) >= 9
    assert declared <= installed_triggers()
