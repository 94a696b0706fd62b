"""A migration operation that runs the SQL file written for the current database.

The database rules (triggers, exclusion constraints) are vendor-specific SQL; they
live beside the migrations as ``sql/<migration>.<vendor>.sql`` so they read as SQL.
"""

import re
import sqlite3
from pathlib import Path
from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

SQL_DIR = Path(__file__).resolve().parent / "migrations" / "sql"


def sql_statements(vendor: str, text: str) -> list[str]:
    """PostgreSQL takes a whole file at once; SQLite wants one statement per call."""
    if vendor != "sqlite":
        return [text]
    statements, pending = [], ""
    for line in text.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    return statements


class RunSQLFile(migrations.operations.base.Operation):
    reversible = True
    reduces_to_sql = True

    def __init__(self, name: str) -> None:
        self.name = name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.name], {})

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def _run(self, schema_editor: BaseDatabaseSchemaEditor, suffix: str) -> None:
        vendor = schema_editor.connection.vendor
        path = SQL_DIR / f"{self.name}.{vendor}{suffix}.sql"
        if not path.exists():
            raise NotImplementedError(f"{path.name}: no database rules for {vendor}")
        for statement in sql_statements(vendor, path.read_text()):
            schema_editor.execute(statement, params=None)

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: Any,
        to_state: Any,
    ) -> None:
        self._run(schema_editor, "")

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: Any,
        to_state: Any,
    ) -> None:
        self._run(schema_editor, ".reverse")

    def describe(self) -> str:
        return f"Run the database rules in sql/{self.name}.<vendor>.sql"


class ReinstateSQLiteRules(migrations.operations.base.Operation):
    """Re-create the SQLite triggers of earlier rule files after a table rebuild.

    SQLite cannot add most columns in place: Django copies the table and drops the old
    one, and its triggers go with it. A migration that alters a guarded table ends with
    this operation. PostgreSQL alters tables in place, so there it does nothing.
    """

    reversible = True
    reduces_to_sql = True

    def __init__(self, names: list[str]) -> None:
        self.names = names

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.names], {})

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: Any,
        to_state: Any,
    ) -> None:
        if schema_editor.connection.vendor != "sqlite":
            return
        for name in self.names:
            text = (SQL_DIR / f"{name}.sqlite.sql").read_text()
            for trigger in re.findall(r"CREATE TRIGGER (\w+)", text):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}", params=None)
            for statement in sql_statements("sqlite", text):
                schema_editor.execute(statement, params=None)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: Any,
        to_state: Any,
    ) -> None:
        self.database_forwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"Re-create the SQLite triggers of {', '.join(self.names)}"
