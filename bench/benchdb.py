"""The PostgreSQL database a benchmark runs on, shared by the scripts in bench/: each
creates, fills and drops its own database through the server's ``postgres`` database."""

import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def database_settings(url: str) -> dict[str, Any]:
    import dj_database_url

    settings = dj_database_url.parse(url)
    if settings["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit(f"The benchmarks measure PostgreSQL only, not {settings['ENGINE']}.")
    return settings


def admin_execute(settings: dict[str, Any], sql: str) -> list[tuple[Any, ...]]:
    """Run ``sql`` in the server's ``postgres`` database (CREATE and DROP DATABASE)."""
    import psycopg

    with psycopg.connect(
        dbname="postgres",
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
        host=settings.get("HOST") or None,
        port=settings.get("PORT") or None,
        autocommit=True,
    ) as admin:
        cursor = admin.execute(sql)
        return cursor.fetchall() if cursor.description else []


def create_database(settings: dict[str, Any]) -> None:
    """Create the database unless it exists."""
    name = settings["NAME"]
    if not admin_execute(settings, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
        admin_execute(settings, f'CREATE DATABASE "{name}"')
        print(f"Created database {name}.")


def drop_database(settings: dict[str, Any]) -> None:
    from django.db import connections

    connections.close_all()
    admin_execute(settings, f'DROP DATABASE IF EXISTS "{settings["NAME"]}" WITH (FORCE)')
    print(f"Dropped database {settings['NAME']}.")


def setup_django(url: str, **environ: str) -> None:
    """Django on the bench database, with ``environ`` set first. bench/ leaves sys.path:
    there ``api`` and ``ingest`` would be the scripts, not the project's packages."""
    here = Path(__file__).resolve().parent
    sys.path[:] = [str(ROOT), *(p for p in sys.path if p and Path(p).resolve() != here)]
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ.update(environ)
    import django

    django.setup()
