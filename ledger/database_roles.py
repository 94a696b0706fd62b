"""The two PostgreSQL roles the service runs as, set up by a superuser.

- The **owner** owns the database and every object in its schema, the ledger's tables,
  triggers and trigger functions included. Migrations run as it. It is no superuser.
- The **app** is what web, worker and beat connect as. It reads and writes rows (the
  triggers refuse what the ledger forbids) but owns nothing and is not a member of the
  owner, so it cannot alter a table, disable or drop a trigger, replace a trigger
  function, change ``session_replication_role`` (superusers only) or use the maintenance
  switch (migration 0008). It is granted no TRUNCATE, creates no temporary tables (which
  could shadow the tables the triggers read), and only reads the migration history, so
  it cannot make a later ``migrate`` skip a rule.

Every step is idempotent: running it again re-asserts the roles' attributes and grants,
and hands objects that another role created (a database set up before the two roles
existed, by a superuser) to the owner.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.migrations.recorder import MigrationRecorder
from psycopg import sql

SCHEMA = "public"
ROLE_ATTRIBUTES = sql.SQL("LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS")
APP_TABLE_PRIVILEGES = sql.SQL("SELECT, INSERT, UPDATE, DELETE")
APP_SEQUENCE_PRIVILEGES = sql.SQL("USAGE, SELECT")
# Relation kinds an owner can be given directly (sequences of identity and serial columns
# follow their table), with the ALTER statement for each.
ALTER_BY_KIND = {
    "r": "TABLE",
    "p": "TABLE",
    "v": "VIEW",
    "m": "MATERIALIZED VIEW",
    "S": "SEQUENCE",
}
OWNED_BY_OTHERS = """
    SELECT c.relkind, c.relname FROM pg_class c
    WHERE c.relnamespace = %(schema)s::regnamespace
      AND c.relkind = ANY(%(kinds)s)
      AND c.relowner <> %(owner)s::regrole
      AND NOT EXISTS (
          SELECT 1 FROM pg_depend d
          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
            AND d.deptype IN ('e', 'a', 'i')
      )
    ORDER BY c.relkind DESC, c.relname
"""
ROUTINES_OWNED_BY_OTHERS = """
    SELECT p.oid::regprocedure::text FROM pg_proc p
    WHERE p.pronamespace = %(schema)s::regnamespace
      AND p.prokind IN ('f', 'p')
      AND p.proowner <> %(owner)s::regrole
      AND NOT EXISTS (
          SELECT 1 FROM pg_depend d
          WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
      )
    ORDER BY 1
"""


class RoleSetupError(Exception):
    """The roles cannot be set up as asked; the message says why."""


@dataclass
class Session:
    """Composed statements on a Django cursor, and what they did, for the report."""

    connection: BaseDatabaseWrapper
    cursor: CursorWrapper
    done: list[str] = field(default_factory=list)

    def run(self, statement: sql.Composable) -> None:
        self.cursor.execute(statement.as_string(self.connection.connection))

    def value(self, query: str, params: Mapping[str, Any] | None = None) -> object:
        self.cursor.execute(query, params)
        return self.cursor.fetchone()[0]

    def rows(self, query: str, params: Mapping[str, Any]) -> list[tuple[object, ...]]:
        self.cursor.execute(query, params)
        return list(self.cursor.fetchall())


def setup_database_roles(
    *,
    connection: BaseDatabaseWrapper,
    owner: str,
    app: str,
    owner_password: str | None,
    app_password: str | None,
) -> list[str]:
    """Create or update both roles and the database's ownership and grants; returns what
    was done. Call it inside a transaction, connected as a superuser."""
    with connection.cursor() as cursor:
        session = Session(connection=connection, cursor=cursor)
        check_request(session=session, owner=owner, app=app)
        ensure_role(session=session, name=owner, password=owner_password)
        ensure_role(session=session, name=app, password=app_password)
        keep_apart(session=session, owner=owner, app=app)
        give_database(session=session, owner=owner, app=app)
        create_migration_history(session=session, owner=owner)
        adopt_objects(session=session, owner=owner)
        grant_rows(session=session, owner=owner, app=app)
        return session.done


def check_request(*, session: Session, owner: str, app: str) -> None:
    if not owner or not app or owner == app:
        raise RoleSetupError(f"the owner and app roles must be two names, not {owner!r}, {app!r}")
    user = session.value("SELECT current_user")
    if not session.value("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"):
        raise RoleSetupError(
            f"connected as {user!r}, which is not a superuser: set DATABASE_URL to a "
            "superuser's URL for this command only"
        )
    if user in (owner, app):
        raise RoleSetupError(
            f"{user!r} is the superuser running this command; the owner and app roles "
            "need names of their own"
        )


def ensure_role(*, session: Session, name: str, password: str | None) -> None:
    exists = session.value("SELECT count(*) FROM pg_roles WHERE rolname = %(name)s", {"name": name})
    verb = "ALTER ROLE {} WITH {}" if exists else "CREATE ROLE {} WITH {}"
    session.run(sql.SQL(verb).format(sql.Identifier(name), ROLE_ATTRIBUTES))
    if password:
        session.run(
            sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(name), sql.Literal(password))
        )
    session.done.append(
        f"{'Updated' if exists else 'Created'} role {name} (login, no superuser)"
        + (", password set" if password else "")
    )


def keep_apart(*, session: Session, owner: str, app: str) -> None:
    """The app must not reach the owner's privileges through membership (nor SET ROLE)."""
    session.run(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(owner), sql.Identifier(app)))
    member = session.value(
        "SELECT pg_has_role(%(app)s, %(owner)s, 'MEMBER')", {"app": app, "owner": owner}
    )
    if member:
        raise RoleSetupError(
            f"{app!r} is a member of {owner!r} through another role: revoke that membership"
        )


def give_database(*, session: Session, owner: str, app: str) -> None:
    """The owner owns the database (so it may create the trusted extension btree_gist)
    and creates in the schema; nobody else creates there (PostgreSQL < 15 let PUBLIC).

    Nor may the app create temporary tables: the trigger functions name tables without a
    schema, and a session's own temporary tables come first in its search path, so a
    temporary ``ledger_ledgerentry`` could make a reversal of 1 pass for the mirror of a
    12-billion entry.
    """
    name = str(session.value("SELECT current_database()"))
    database = sql.Identifier(name)
    schema = sql.Identifier(SCHEMA)
    owner_id, app_id = sql.Identifier(owner), sql.Identifier(app)
    session.run(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(database, owner_id))
    session.run(sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC").format(schema))
    session.run(sql.SQL("GRANT USAGE, CREATE ON SCHEMA {} TO {}").format(schema, owner_id))
    session.run(sql.SQL("REVOKE TEMPORARY ON DATABASE {} FROM PUBLIC").format(database))
    session.run(sql.SQL("REVOKE TEMPORARY ON DATABASE {} FROM {}").format(database, app_id))
    session.run(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database, app_id))
    session.run(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, app_id))
    session.done.append(f"Database {name} and schema {SCHEMA} belong to {owner}")


def create_migration_history(*, session: Session, owner: str) -> None:
    """Django's migration history, created by the owner now rather than by the first
    ``migrate``, so that ``grant_rows`` can leave the app only reading it."""
    session.run(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(owner)))
    MigrationRecorder(session.connection).ensure_schema()
    session.run(sql.SQL("RESET ROLE"))


def adopt_objects(*, session: Session, owner: str) -> None:
    """Hand the owner what others created in the schema (extension members excepted)."""
    params = {"schema": SCHEMA, "owner": owner, "kinds": list(ALTER_BY_KIND)}
    owner_id = sql.Identifier(owner)
    adopted = 0
    for kind, name in session.rows(OWNED_BY_OTHERS, params):
        statement = sql.SQL(f"ALTER {ALTER_BY_KIND[str(kind)]} {{}} OWNER TO {{}}")
        session.run(statement.format(sql.Identifier(SCHEMA, str(name)), owner_id))
        adopted += 1
    for (signature,) in session.rows(ROUTINES_OWNED_BY_OTHERS, params):
        # The signature comes from the catalogue, already quoted as PostgreSQL reads it.
        session.run(
            sql.SQL("ALTER ROUTINE {} OWNER TO {}").format(sql.SQL(str(signature)), owner_id)
        )
        adopted += 1
    if adopted:
        session.done.append(f"Gave {owner} the {adopted} object(s) other roles had created")


def grant_rows(*, session: Session, owner: str, app: str) -> None:
    """Row privileges on what exists, and on what the owner's later migrations create."""
    schema, owner_id, app_id = sql.Identifier(SCHEMA), sql.Identifier(owner), sql.Identifier(app)
    for statement in (
        "GRANT {tables} ON ALL TABLES IN SCHEMA {schema} TO {app}",
        "REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {schema} FROM {app}",
        "GRANT {sequences} ON ALL SEQUENCES IN SCHEMA {schema} TO {app}",
        "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
        "GRANT {tables} ON TABLES TO {app}",
        "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
        "GRANT {sequences} ON SEQUENCES TO {app}",
        "REVOKE INSERT, UPDATE, DELETE ON {schema}.{migrations} FROM {app}",
    ):
        session.run(
            sql.SQL(statement).format(
                tables=APP_TABLE_PRIVILEGES,
                sequences=APP_SEQUENCE_PRIVILEGES,
                schema=schema,
                owner=owner_id,
                app=app_id,
                migrations=sql.Identifier(MigrationRecorder.Migration._meta.db_table),
            )
        )
    session.done.append(
        f"{app} may read and write rows (no TRUNCATE), on tables {owner} creates later too, "
        "and only read the migration history"
    )
