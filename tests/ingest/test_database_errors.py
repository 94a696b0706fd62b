"""Which database errors mean a lost connection (the ingest task retries those), on real
PostgreSQL errors: a terminated backend, and statements that fail on a live connection."""

import psycopg
import pytest
from django.db import IntegrityError, OperationalError, connection, transaction

from ingest.database import connection_lost, drop_lost_connections

# Committed (each statement on its own), so a terminated connection breaks no test
# transaction; live_db lets the flush after each test empty the ledger.
pytestmark = [pytest.mark.postgresql, pytest.mark.usefixtures("live_db")]


def terminate_own_backend() -> None:
    """End this test's Django connection from another one, as an operator would."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [(pid,)] = cursor.fetchall()
    dsn = connection.get_connection_params()
    with psycopg.connect(**dsn, autocommit=True) as operator:
        operator.execute("SELECT pg_terminate_backend(%s)", [pid])


def error_of(sql: str) -> BaseException:
    with pytest.raises(Exception) as raised, connection.cursor() as cursor:  # noqa: PT011
        cursor.execute(sql)
    return raised.value


def test_a_terminated_connection_is_lost_and_dropped_for_a_new_one() -> None:
    terminate_own_backend()

    terminated = error_of("SELECT 1")
    assert isinstance(terminated, OperationalError)
    assert connection_lost(terminated)
    # The next statement on it fails too, with no SQLSTATE: the connection is gone.
    assert connection_lost(error_of("SELECT 1"))

    drop_lost_connections()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_errors_of_a_statement_on_a_live_connection_are_not_a_lost_connection() -> None:
    assert not connection_lost(error_of("SELECT * FROM no_such_table"))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '10ms'")
        with pytest.raises(OperationalError) as cancelled, transaction.atomic():
            cursor.execute("SELECT pg_sleep(1)")
    assert not connection_lost(cancelled.value)  # 57014, an OperationalError too
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE once (id int PRIMARY KEY)")
        cursor.execute("INSERT INTO once VALUES (1)")
    duplicate = error_of("INSERT INTO once VALUES (1)")
    assert isinstance(duplicate, IntegrityError)
    assert not connection_lost(duplicate)
    assert not connection_lost(ValueError("not a database error"))
