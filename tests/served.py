"""The service as `make run` serves it, for tests that talk to it from outside.

``serve(folder)`` migrates a fresh SQLite file in ``folder``, loads the FX rates the
scenario needs and the scenario itself, creates the admin user, collects the static files
into ``folder`` and starts gunicorn on a free loopback port; it stops gunicorn on exit.
It needs no test database and no Redis, whatever the suite itself runs on.
``gunicorn(env, folder)`` starts gunicorn alone, on settings a test prepared (a Redis of
its own, a database that does not answer), once it answers HTTP, healthy or not.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ADMIN_USERNAME = "e2e-admin"
ADMIN_PASSWORD = "a long test password, not a common one"
STARTUP_SECONDS = 60


@dataclass(frozen=True)
class Served:
    base_url: str
    username: str
    password: str
    log: Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.status == 200
        return json.load(response)


def embedded_env(folder: Path) -> dict[str, str]:
    """This environment less the suite's database, Redis and eager tasks, with the app's
    own SQLite file, static folder and task queue in ``folder``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_TASK_ALWAYS_EAGER"}
    }
    env["DATABASE_URL"] = f"sqlite:///{folder / 'served.sqlite3'}"
    env["STATIC_ROOT"] = str(folder / "static")
    env["CELERY_QUEUE_DIR"] = str(folder / "celery")
    env["DJANGO_SUPERUSER_USERNAME"] = ADMIN_USERNAME
    env["DJANGO_SUPERUSER_PASSWORD"] = ADMIN_PASSWORD
    # Plain HTTP on loopback, as `make run` serves.
    for switch in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        env[switch] = "false"
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        check=True,
        timeout=120,
        stdout=subprocess.DEVNULL,
    )


def prepare(env: dict[str, str]) -> None:
    """The steps of `make run` before gunicorn, with only the rates the scenario needs."""
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_fx_rates", "--since", "2024-01-01", "--currencies", "USD,GBP")
    manage(env, "load_scenario")
    manage(env, "ensure_superuser")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")


def answers(url: str) -> bool:
    """Whether anything answers HTTP at ``url``, whatever the status."""
    try:
        urllib.request.urlopen(url, timeout=5).close()
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def wait_until_answering(base_url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while not answers(f"{base_url}/api/v1/health/"):
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(
                f"gunicorn did not serve {base_url} (exit code {server.poll()}):\n"
                + log.read_text(errors="replace")[-4000:]
            )
        time.sleep(0.2)


def healthy(base_url: str) -> bool:
    try:
        return get_json(f"{base_url}/api/v1/health/")["status"] == "ok"
    except OSError:
        return False


@contextmanager
def gunicorn(env: dict[str, str], folder: Path) -> Iterator[Served]:
    """gunicorn serving ``env``'s settings, once it answers HTTP (healthy or not)."""
    port = free_port()
    log = folder / "gunicorn.log"
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=PROJECT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_until_answering(base_url, server, log)
        yield Served(base_url, ADMIN_USERNAME, ADMIN_PASSWORD, log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@contextmanager
def serve(folder: Path) -> Iterator[Served]:
    env = embedded_env(folder)
    prepare(env)
    with gunicorn(env, folder) as app:
        if not healthy(app.base_url):
            raise RuntimeError(
                f"{app.base_url} is not healthy:\n" + app.log.read_text(errors="replace")[-4000:]
            )
        yield app
