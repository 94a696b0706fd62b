"""docker-compose.yml cannot be run here (no Docker engine), so its shape is checked:
the services, their health checks, the same settings as `make run`, and the
database roles: set up and migrated by a one-shot service, the app connecting as its own
role. (tests/ledger/test_database_roles.py runs the same steps on a real PostgreSQL.)"""

from pathlib import Path
from urllib.parse import urlsplit

import yaml
from django.core.management import get_commands

PROJECT = Path(__file__).resolve().parents[1]


def compose() -> dict:
    return yaml.safe_load((PROJECT / "docker-compose.yml").read_text())


def test_the_services_and_their_health_checks():
    services = compose()["services"]
    assert set(services) == {"postgres", "redis", "migrate", "web", "worker", "beat"}
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
    assert "manage.py load_fx_rates" in command
    assert "load_fx_rates" in get_commands()
    assert "gunicorn config.wsgi" in command


def test_migrations_run_as_the_owner_after_a_superuser_set_up_the_roles():
    services = compose()["services"]
    migrate = services["migrate"]
    environment = migrate["environment"]
    superuser = services["postgres"]["environment"]["POSTGRES_USER"]
    assert environment["DATABASE_ADMIN_URL"].startswith(f"postgres://{superuser}:")
    owner_url = urlsplit(environment["DATABASE_OWNER_URL"])
    assert owner_url.username == environment["DATABASE_OWNER_ROLE"] != superuser
    assert migrate["command"][:2] == ["sh", "-c"]
    setup, migration = migrate["command"][2].split("&&")
    assert setup.strip().startswith('DATABASE_URL="$$DATABASE_ADMIN_URL" python manage.py ')
    assert setup.strip().endswith("manage.py setup_database_roles")
    assert migration.strip().startswith('DATABASE_URL="$$DATABASE_OWNER_URL" python manage.py ')
    assert "manage.py migrate" in migration
    assert {"setup_database_roles", "migrate"} <= set(get_commands())
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert migrate["restart"] == "no"


def test_the_app_services_connect_as_the_app_role_only():
    services = compose()["services"]
    app_role = services["migrate"]["environment"]["DATABASE_APP_ROLE"]
    owner_role = services["migrate"]["environment"]["DATABASE_OWNER_ROLE"]
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert urlsplit(environment["DATABASE_URL"]).username == app_role, name
        # Neither the superuser's nor the owner's credentials reach the app's processes.
        assert not {"DATABASE_ADMIN_URL", "DATABASE_OWNER_URL", "DATABASE_OWNER_PASSWORD"} & set(
            environment
        ), name
        assert owner_role not in " ".join(map(str, environment.values())), name
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )


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


def test_the_worker_and_beat_run_as_the_images_unprivileged_user():
    """Celery warns about a worker running as root: compose runs both as the user the
    Dockerfile creates (and switches to), which owns nothing but /app/var."""
    services = compose()["services"]
    dockerfile = (PROJECT / "Dockerfile").read_text()
    for name in ("worker", "beat"):
        user = services[name]["user"]
        assert user not in {"root", "0"}, name
        assert not user.startswith(("0:", "root:")), name
        assert f"useradd --system --home /app {user}" in dockerfile, name
    assert "USER aidledger" in dockerfile
    # Beat's pid file is on a tmpfs mounted without options: world-writable (mode 1777).
    assert services["beat"]["tmpfs"] == ["/run/celery"]
