"""Telling a lost database connection from the other database errors, and dropping it.

A connection the server ended (an operator's ``pg_terminate_backend``, a restart, a
network cut) fails whatever was running on it; the same work on a new connection may
well succeed, so the ingest task retries it (ingest/tasks.py).
"""

import psycopg
from django.db import Error as DjangoDatabaseError
from django.db import close_old_connections

# SQLSTATEs of a session that ended rather than of a statement that failed: connection
# exceptions (class 08), and the server shutting the backend down (57P01 terminated by an
# administrator, 57P02 crash shutdown, 57P03 cannot connect now). psycopg's own errors on
# a connection that is gone ("the connection is closed", "consuming input failed") carry
# no SQLSTATE at all.
LOST_CONNECTION_SQLSTATES = ("08", "57P01", "57P02", "57P03")


def connection_lost(error: BaseException) -> bool:
    """Whether ``error`` is a database error that says the connection is gone (Django
    raises its own errors from psycopg's, so the chain is followed)."""
    if not isinstance(error, DjangoDatabaseError | psycopg.Error):
        return False
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, psycopg.OperationalError | psycopg.InterfaceError):
            sqlstate = cause.sqlstate
            if sqlstate is None or sqlstate.startswith(LOST_CONNECTION_SQLSTATES):
                return True
        cause = cause.__cause__ or cause.__context__
    return False


def drop_lost_connections() -> None:
    """Close this thread's connections that failed and no longer answer, so that the
    next query opens a new one (Django does the same between requests)."""
    close_old_connections()
