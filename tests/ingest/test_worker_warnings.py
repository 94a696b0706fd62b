"""A real worker, started with the project's settings, has nothing to warn about but the
user it runs as: no pickle (JSON only, config/settings.py). As root (a developer machine
like this one, or a container without `user:`) Celery still warns that the worker runs
with superuser privileges, which only another user ends; started as an unprivileged user
(`user:` in docker-compose.yml), it warns about nothing.

The worker uses Redis as its broker (needs REDIS_URL) and touches no database to start;
it consumes a queue of its own, which nothing sends to."""

import os
import pwd
import warnings
from pathlib import Path

import pytest
from celery.platforms import check_privileges  # type: ignore[attr-defined]  # not in the stubs
from django.conf import settings

from config.celery import app
from tests.ingest.worker import worker

ROOT_WARNING = "You're running the worker with superuser privileges"

needs_redis = pytest.mark.skipif(
    not settings.REDIS_URL, reason="needs Redis (set REDIS_URL; `make test` does)"
)


def started_worker(tmp_path: Path) -> str:
    """The log of a worker of the project, started and stopped."""
    queue = f"warnings-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
    env = dict(os.environ) | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONUNBUFFERED": "1",
        # A key of its own: an unprivileged user cannot read the generated var/secret-key.
        "SECRET_KEY": "worker-warnings-test",
    }
    process = worker(queue, env, tmp_path / "worker.log", pool="solo")
    try:
        process.start()
        return process.output()
    finally:
        process.stop()


@needs_redis
def test_the_worker_does_not_warn_about_pickle(tmp_path: Path) -> None:
    log = started_worker(tmp_path)
    assert "pickle" not in log.lower()
    assert "ASSUMING_ROOT" not in log
    warned = log.count(": SecurityWarning:")
    if os.geteuid() == 0:
        # The one warning JSON cannot end: the process is root.
        assert warned == 1, log
        assert ROOT_WARNING in log
    else:
        assert warned == 0, log


def privilege_warnings_as(uid: int, gid: int) -> str:
    """What Celery's privilege check (the one a worker runs as it starts, after dropping
    to ``--uid``) warns, for the project's settings, in a child process that has become
    ``uid``. (The worker itself cannot be started as another user here: the interpreter
    is under /root.)"""
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        try:
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                check_privileges(app.conf.accept_content)
            os.write(
                write, "\n".join(f"{w.category.__name__}: {w.message}" for w in caught).encode()
            )
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as report:
        said = report.read().decode()
    os.waitpid(child, 0)
    return said


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to become another user")
def test_as_an_unprivileged_user_celery_warns_about_nothing() -> None:
    """As docker-compose.yml runs the worker (`user:`), Celery has nothing to warn about."""
    nobody = pwd.getpwnam("nobody")
    assert privilege_warnings_as(nobody.pw_uid, nobody.pw_gid) == ""
