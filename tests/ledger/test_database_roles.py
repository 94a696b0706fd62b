"""The service's own connection cannot undo the ledger's rules.

The app connects as a role that is no superuser and owns nothing; migrations run as the
owner role (``manage.py setup_database_roles``, ``ledger.database_roles``). Each test
module run creates both roles, under names of its own (roles are cluster-wide), and a
scratch database set up as operators do it: the command as a superuser, ``migrate`` as
the owner, the seed scenario loaded as the app. Then the app's connection tries what a
superuser could do to rewrite the ledger, and each attempt must be refused with nothing
changed. Everything is dropped at the end.
"""

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote
from uuid import uuid4

import psycopg
import pytest
from django.conf import settings
from psycopg import errors, sql

PROJECT = Path(__file__).resolve().parents[2]
LEDGER_TABLES = ["ledger_ledgerentry", "ledger_pause", "ledger_mandate"]
TRIGGER_FUNCTION = "ledger_refuse_truncate"
NOT_OWNER = "must be owner"
NO_TRUNCATE = "permission denied for table"
APPEND_ONLY = "append-only"
OWNER_ONLY = "honoured for the table's owner only"

pytestmark = pytest.mark.postgresql


@dataclass(frozen=True)
class Login:
    user: str
    password: str


@dataclass(frozen=True)
class Cluster:
    """The test server, its superuser, and the two roles and database of this run."""

    host: str
    port: str
    superuser: Login
    owner: Login
    app: Login
    database: str

    def url(self, login: Login, *, database: str | None = None) -> str:
        credentials = f"{quote(login.user, safe='')}:{quote(login.password, safe='')}"
        return f"postgres://{credentials}@{self.host}:{self.port}/{database or self.database}"

    @contextmanager
    def connect(self, login: Login, *, database: str | None = None) -> Iterator[psycopg.Connection]:
        """A session as ``login``; whatever it did is rolled back at the end."""
        connection = psycopg.connect(self.url(login, database=database))
        try:
            yield connection
        finally:
            connection.rollback()
            connection.close()


def manage(*args: str, database_url: str, **environment: str) -> subprocess.CompletedProcess:
    """``manage.py`` in its own process, as an operator runs it."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env={**os.environ, **environment, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=180,
    )


def set_up_roles(cluster: Cluster, *, database: str) -> subprocess.CompletedProcess:
    return manage(
        "setup_database_roles",
        database_url=cluster.url(cluster.superuser, database=database),
        DATABASE_OWNER_ROLE=cluster.owner.user,
        DATABASE_OWNER_PASSWORD=cluster.owner.password,
        DATABASE_APP_ROLE=cluster.app.user,
        DATABASE_APP_PASSWORD=cluster.app.password,
    )


def succeeded(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, f"{result.args} failed:\n{result.stdout}\n{result.stderr}"
    return str(result.stdout)


def administer(cluster: Cluster, *statements: sql.Composed) -> None:
    """Statements that cannot run in a transaction (CREATE/DROP DATABASE), as superuser."""
    with psycopg.connect(cluster.url(cluster.superuser, database="postgres"), autocommit=True) as c:
        for statement in statements:
            c.execute(statement)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    server = settings.DATABASES["default"]
    run = uuid4().hex[:10]
    cluster = Cluster(
        host=server["HOST"] or "localhost",
        port=str(server["PORT"] or 5432),
        superuser=Login(server["USER"], server["PASSWORD"] or ""),
        owner=Login(f"aidledger_test_owner_{run}", secrets.token_urlsafe(16)),
        app=Login(f"aidledger_test_app_{run}", secrets.token_urlsafe(16)),
        database=f"aidledger_test_roles_{run}",
    )
    with cluster.connect(cluster.superuser, database="postgres") as probe:
        is_superuser = probe.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not is_superuser.fetchone()[0]:  # type: ignore[index]
            pytest.skip("creating roles needs the tests to connect as a superuser")
    administer(cluster, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cluster.database)))
    try:
        succeeded(set_up_roles(cluster, database=cluster.database))
        succeeded(manage("migrate", "--noinput", database_url=cluster.url(cluster.owner)))
        # The app's ordinary work: the seed scenario goes through the services.
        succeeded(manage("load_scenario", database_url=cluster.url(cluster.app)))
        yield cluster
    finally:
        administer(
            cluster,
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(cluster.database)
            ),
            sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(cluster.app.user)),
            sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(cluster.owner.user)),
        )


@pytest.fixture
def app(cluster: Cluster) -> Iterator[psycopg.Connection]:
    with cluster.connect(cluster.app) as connection:
        yield connection


@pytest.fixture
def owner(cluster: Cluster) -> Iterator[psycopg.Connection]:
    with cluster.connect(cluster.owner) as connection:
        yield connection


def ledger_state(cluster: Cluster) -> dict[str, object]:
    """The ledger tables' rows and whether their triggers are enabled, seen by the owner."""
    with cluster.connect(cluster.owner) as connection:
        state: dict[str, object] = {
            table: connection.execute(
                sql.SQL("SELECT * FROM {} ORDER BY id").format(sql.Identifier(table))
            ).fetchall()
            for table in LEDGER_TABLES
        }
        state["triggers"] = connection.execute(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname"
        ).fetchall()
        return state


@contextmanager
def refused(
    connection: psycopg.Connection, cluster: Cluster, *, error: type[Exception], match: str
) -> Iterator[None]:
    """The statements inside fail with ``error`` saying ``match``, and the ledger stays
    exactly as it was."""
    before = ledger_state(cluster)
    with pytest.raises(error, match=match):
        yield
    connection.rollback()
    assert ledger_state(cluster) == before


# --- who is who ------------------------------------------------------------------------


def test_the_app_role_is_no_superuser_and_owns_nothing(cluster, app):
    role = app.execute(
        "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication "
        "FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    assert role == (False, False, False, False, False)
    owners = app.execute(
        "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class "
        "WHERE relnamespace = 'public'::regnamespace"
    ).fetchall()
    assert owners == [(cluster.owner.user,)]
    member = app.execute(
        "SELECT pg_has_role(current_user, %s, 'MEMBER')", [cluster.owner.user]
    ).fetchone()
    assert member == (False,)


def test_the_app_role_records_and_reads_entries(app):
    """The seed scenario was loaded as the app; it can add an entry and read it back."""
    (recorded,) = app.execute("SELECT count(*) FROM ledger_ledgerentry").fetchone()
    assert recorded > 0
    added = app.execute(
        "INSERT INTO ledger_ledgerentry (commitment_id, stage, amount, currency, value_date,"
        " value_date_precision, source_id, note, recorded_by, idempotency_key)"
        " SELECT commitment_id, 'disbursement', 5, currency, value_date, value_date_precision,"
        " source_id, '', 'the app role', %s FROM ledger_ledgerentry ORDER BY id LIMIT 1"
        " RETURNING id",
        [f"roles:{uuid4().hex}"],
    ).fetchone()
    assert added is not None
    read = app.execute("SELECT amount, stage FROM ledger_ledgerentry WHERE id = %s", added)
    assert read.fetchone() == (5, "disbursement")
    assert app.execute("SELECT count(*) FROM ledger_ledgerentry").fetchone() == (recorded + 1,)


# --- what a superuser could do and the app cannot ----------------------------------------

OWNERS_STATEMENTS = [
    pytest.param("ALTER TABLE ledger_ledgerentry DISABLE TRIGGER ALL", NOT_OWNER, id="disable"),
    pytest.param(
        "ALTER TABLE ledger_ledgerentry DISABLE TRIGGER ledger_entry_append_only",
        NOT_OWNER,
        id="disable-one",
    ),
    pytest.param(
        "DROP TRIGGER ledger_entry_append_only ON ledger_ledgerentry", NOT_OWNER, id="drop"
    ),
    pytest.param("ALTER TABLE ledger_ledgerentry OWNER TO CURRENT_USER", NOT_OWNER, id="take"),
    # Refused before ownership is even asked: the app may create nothing in the schema.
    pytest.param(
        f"CREATE OR REPLACE FUNCTION {TRIGGER_FUNCTION}() RETURNS trigger LANGUAGE plpgsql"
        " AS $$ BEGIN RETURN NULL; END $$",
        "permission denied for schema public",
        id="replace-function",
    ),
]


@pytest.mark.parametrize(("statement", "match"), OWNERS_STATEMENTS)
def test_the_app_role_cannot_alter_the_ledgers_rules(cluster, app, statement, match):
    with refused(app, cluster, error=errors.InsufficientPrivilege, match=match):
        app.execute(statement)


def test_the_app_role_cannot_switch_off_triggers_by_replication_role(cluster, app):
    with refused(app, cluster, error=errors.InsufficientPrivilege, match="permission denied"):
        app.execute("SET session_replication_role = replica")


def test_the_app_role_cannot_become_the_owner(cluster, app):
    statement = sql.SQL("SET ROLE {}").format(sql.Identifier(cluster.owner.user))
    with refused(app, cluster, error=errors.InsufficientPrivilege, match="permission denied"):
        app.execute(statement)


@pytest.mark.parametrize("maintenance", ["off", "on"])
@pytest.mark.parametrize("table", LEDGER_TABLES)
def test_the_app_role_cannot_truncate_the_ledger(cluster, app, table, maintenance):
    with refused(app, cluster, error=errors.InsufficientPrivilege, match=NO_TRUNCATE):
        app.execute(f"SET aidledger.maintenance = '{maintenance}'")
        app.execute(sql.SQL("TRUNCATE {} CASCADE").format(sql.Identifier(table)))


@pytest.mark.parametrize("maintenance", ["off", "on"])
@pytest.mark.parametrize(
    ("statement", "match"),
    [
        ("UPDATE ledger_ledgerentry SET amount = amount * 2", APPEND_ONLY),
        ("DELETE FROM ledger_ledgerentry", APPEND_ONLY),
        ("DELETE FROM ledger_pause", "pauses are never deleted"),
        ("DELETE FROM ledger_mandate", "mandates are never deleted"),
    ],
)
def test_the_app_role_cannot_rewrite_or_delete_rows(cluster, app, statement, match, maintenance):
    with refused(app, cluster, error=errors.RestrictViolation, match=match):
        app.execute(f"SET aidledger.maintenance = '{maintenance}'")
        app.execute(statement)


def test_the_app_role_cannot_rewrite_the_migration_history(cluster, app):
    """Else a row for a migration not yet run would make ``migrate`` skip its rules."""
    with refused(app, cluster, error=errors.InsufficientPrivilege, match="permission denied"):
        app.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('ledger', '9999_x', now())"
        )
    assert app.execute("SELECT count(*) > 0 FROM django_migrations").fetchone() == (True,)


def test_the_app_role_cannot_create_objects(cluster, app):
    with refused(app, cluster, error=errors.InsufficientPrivilege, match="permission denied"):
        app.execute("CREATE TABLE ledger_shadow (id int)")


def test_the_app_role_cannot_shadow_the_tables_the_triggers_read(cluster, app):
    """The insert trigger reads the reversed entry by an unqualified name, which a
    temporary table of the same name would answer: here with an amount of 1, so that a
    reversal of 1 would pass for the mirror of a larger entry."""
    with refused(app, cluster, error=errors.InsufficientPrivilege, match="temporary tables"):
        app.execute(
            "CREATE TEMP TABLE ledger_ledgerentry AS SELECT * FROM public.ledger_ledgerentry"
        )
        app.execute("UPDATE pg_temp.ledger_ledgerentry SET amount = 1")
        app.execute(
            "INSERT INTO public.ledger_ledgerentry (commitment_id, stage, amount, currency,"
            " value_date, value_date_precision, source_id, note, recorded_by, idempotency_key,"
            " reverses_id) SELECT commitment_id, stage, 1, currency, value_date,"
            " value_date_precision, source_id, '', 'shadow', %s, id"
            " FROM public.ledger_ledgerentry WHERE amount > 1 ORDER BY id LIMIT 1",
            [f"roles:{uuid4().hex}"],
        )


# --- the maintenance switch belongs to the owner ------------------------------------------


@pytest.mark.parametrize("table", LEDGER_TABLES)
def test_the_maintenance_switch_needs_the_owner_even_with_truncate_granted(cluster, table):
    """Were the app ever granted TRUNCATE, the switch would still not empty the ledger."""
    target = sql.Identifier(table)
    with cluster.connect(cluster.superuser) as connection:
        app_role = sql.Identifier(cluster.app.user)
        # On every table, so that the CASCADE reaches the tables referring to this one.
        connection.execute(
            sql.SQL("GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO {}").format(app_role)
        )
        connection.execute(sql.SQL("SET LOCAL ROLE {}").format(app_role))
        may_truncate = connection.execute("SELECT has_table_privilege(%s, 'TRUNCATE')", [table])
        assert may_truncate.fetchone() == (True,)
        connection.execute("SET LOCAL aidledger.maintenance = 'on'")
        with refused(connection, cluster, error=errors.RestrictViolation, match=OWNER_ONLY):
            connection.execute(sql.SQL("TRUNCATE {} CASCADE").format(target))


def test_the_owner_may_empty_the_ledger_in_maintenance(owner):
    tables = sql.SQL(", ").join(sql.Identifier(table) for table in LEDGER_TABLES)
    with pytest.raises(errors.RestrictViolation, match="TRUNCATE refused"):
        owner.execute(sql.SQL("TRUNCATE {} CASCADE").format(tables))
    owner.rollback()
    owner.execute("SET LOCAL aidledger.maintenance = 'on'")
    owner.execute(sql.SQL("TRUNCATE {} CASCADE").format(tables))
    for table in LEDGER_TABLES:
        count = owner.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        assert count.fetchone() == (0,), table


# --- the set-up command ------------------------------------------------------------------


def test_setting_up_again_changes_nothing_the_app_may_do(cluster, app):
    def privileges() -> list[tuple[object, ...]]:
        return app.execute(
            "SELECT table_name, privilege_type FROM information_schema.table_privileges"
            " WHERE grantee = current_user ORDER BY 1, 2"
        ).fetchall()

    before = privileges()
    assert ("ledger_ledgerentry", "INSERT") in before
    assert not [row for row in before if row[1] in ("TRUNCATE", "TRIGGER", "REFERENCES")]
    output = succeeded(set_up_roles(cluster, database=cluster.database))
    assert f"Updated role {cluster.app.user}" in output
    app.rollback()
    assert privileges() == before


def test_objects_a_superuser_created_are_handed_to_the_owner(cluster):
    """A database set up before the two roles existed: its superuser owned everything."""
    database = f"{cluster.database}_older"
    administer(cluster, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    try:
        with psycopg.connect(cluster.url(cluster.superuser, database=database)) as connection:
            connection.execute("CREATE TABLE ledger_ledgerentry (id bigserial PRIMARY KEY)")
            connection.execute("CREATE VIEW entries AS SELECT id FROM ledger_ledgerentry")
            connection.execute(
                "CREATE FUNCTION ledger_rule() RETURNS int LANGUAGE sql AS 'SELECT 1'"
            )
        output = succeeded(set_up_roles(cluster, database=database))
        assert "object(s) other roles had created" in output
        with cluster.connect(cluster.app, database=database) as app:
            owners = app.execute(
                "SELECT pg_get_userbyid(relowner) FROM pg_class"
                " WHERE relnamespace = 'public'::regnamespace"
                " UNION SELECT pg_get_userbyid(proowner) FROM pg_proc"
                " WHERE proname = 'ledger_rule'"
            ).fetchall()
            assert owners == [(cluster.owner.user,)]
            app.execute("INSERT INTO ledger_ledgerentry DEFAULT VALUES")
            with pytest.raises(errors.InsufficientPrivilege):
                app.execute("TRUNCATE ledger_ledgerentry")
    finally:
        administer(
            cluster,
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)),
        )


def test_the_command_needs_a_superuser(cluster):
    result = manage(
        "setup_database_roles",
        "--owner",
        cluster.owner.user,
        "--app",
        cluster.app.user,
        database_url=cluster.url(cluster.owner),
    )
    assert result.returncode == 1
    assert f"connected as '{cluster.owner.user}', which is not a superuser" in result.stderr


def test_the_command_says_sqlite_has_no_roles(tmp_path):
    result = manage("setup_database_roles", database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode == 1
    assert "database roles are PostgreSQL's; this database is sqlite" in result.stderr
