"""The embedded default, served as `make run` serves it: migrate, load, gunicorn on loopback.

It runs in its own SQLite file and static folder, so it needs no test database.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.status == 200
        return json.load(response)


@pytest.fixture
def embedded_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'served.sqlite3'}"
    env["STATIC_ROOT"] = str(tmp_path / "static")
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=env, check=True, timeout=120
    )


def test_gunicorn_serves_the_seeded_ledger(embedded_env):
    manage(embedded_env, "migrate", "--noinput", "--verbosity", "0")
    manage(embedded_env, "load_fx_rates", "--since", "2024-01-01", "--currencies", "USD,GBP")
    manage(embedded_env, "load_scenario")
    manage(embedded_env, "collectstatic", "--noinput", "--verbosity", "0")
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=PROJECT,
        env=embedded_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                health = get_json(f"{base}/api/v1/health/")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        assert health == {"status": "ok", "database": "sqlite", "tasks": "in-process"}
        root = get_json(f"{base}/api/v1/?format=json")
        assert root["counts"]["commitments"] > 0
        assert root["counts"]["pauses"] == 1
        with urllib.request.urlopen(f"{base}/admin/login/", timeout=5) as login:
            assert login.status == 200
            assert b"Django administration" in login.read()
    finally:
        server.terminate()
        server.wait(timeout=10)
