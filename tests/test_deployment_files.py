"""docker-compose.yml cannot be run here (no Docker engine), so its shape is checked:
the five services, their health checks, and the same settings as `make run`."""

from pathlib import Path

import yaml
from django.core.management import get_commands

PROJECT = Path(__file__).resolve().parents[1]


def compose() -> dict:
    return yaml.safe_load((PROJECT / "docker-compose.yml").read_text())


def test_the_five_services_with_health_checks():
    services = compose()["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert services[name]["healthcheck"]["test"], name
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert "postgres-data" in compose()["volumes"]


def test_the_app_services_share_one_image_and_the_documented_settings():
    services = compose()["services"]
    for name in ("web", "worker", "beat"):
        service = services[name]
        assert service["build"] == "."
        assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"} <= set(
            service["environment"]
        ), name
        assert service["environment"]["REDIS_URL"].startswith("redis://redis:")
        assert "@postgres:5432/" in service["environment"]["DATABASE_URL"]
    assert services["web"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]


def test_the_web_command_runs_commands_that_exist():
    command = " ".join(compose()["services"]["web"]["command"])
    for name in ("migrate", "load_fx_rates"):
        assert f"manage.py {name}" in command
        assert name in get_commands()
    assert "gunicorn config.wsgi" in command


def test_worker_and_beat_restart_and_check_that_they_still_work():
    """Run for real in tests/ingest/test_worker_outages.py: the worker's check fails once
    its consumer stops answering, beat's once beat is gone."""
    services = compose()["services"]
    for name in ("worker", "beat"):
        assert services[name]["restart"] == "unless-stopped", name
        assert services[name]["healthcheck"]["retries"] >= 1, name
    # Addressed to this worker (its default name), which alone may answer for it.
    worker_check = services["worker"]["healthcheck"]["test"]
    assert worker_check[0] == "CMD-SHELL"
    assert "celery -A config inspect ping" in worker_check[1]
    assert "-d celery@$$HOSTNAME" in worker_check[1]
    assert "--hostname" not in services["worker"]["command"]
    # Beat's pid file, which its check reads, is on a tmpfs: none is left from a last run.
    command = services["beat"]["command"]
    pidfile = command[command.index("--pidfile") + 1]
    assert pidfile in services["beat"]["healthcheck"]["test"][1]
    assert str(Path(pidfile).parent) in services["beat"]["tmpfs"]
