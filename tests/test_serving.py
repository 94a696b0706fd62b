"""The embedded default, served as `make run` serves it: migrate, load, gunicorn on loopback.

It runs in its own SQLite file and static folder, so it needs no test database.
"""

import urllib.request

from tests.served import Served, get_json


def test_gunicorn_serves_the_seeded_ledger(served: Served):
    health = get_json(f"{served.base_url}/api/v1/health/")
    assert health == {
        "status": "ok",
        "database": "sqlite",
        "tasks": "file-queue",
        "components": {"database": "up"},
    }
    root = get_json(f"{served.base_url}/api/v1/?format=json")
    assert root["counts"]["commitments"] > 0
    assert root["counts"]["pauses"] == 1
    with urllib.request.urlopen(f"{served.base_url}/admin/login/", timeout=5) as login:
        assert login.status == 200
        assert b"<title>Log in | aidledger</title>" in login.read()
