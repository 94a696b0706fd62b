"""A migration operation that runs the SQL file written for the current database.

The database rules (triggers, exclusion constraints) are vendor-specific SQL; they
live beside the migrations as ``sql/<migration>.<vendor>.sql`` so they read as SQL.
"""

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
