"""The service answers: the API root and the health check, through Django's test client."""

from datetime import date
from decimal import Decimal

from ledger import services


def test_the_root_describes_the_service_and_the_ledgers_totals(client, commitment, source):
    services.record_entry(
        commitment=commitment,
        stage="pledge",
        amount=Decimal("12"),
        currency="EUR",
        value_date=date(2025, 7, 10),
        source=source,
    )
    response = client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["service"] == "aidledger"
    assert body["counts"] == {"organizations": 2, "commitments": 1, "entries": 1, "pauses": 0}
    # Money travels as a decimal string, never as a float.
    assert body["totals_eur"]["pledged"] == "12.00"
    assert body["totals_eur"]["entry_count"] == 1
    assert body["health"].endswith("/api/v1/health/")


def test_the_site_root_leads_to_the_api(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/api/v1/"


def test_health_names_the_database_and_where_tasks_run(client, db, settings):
    body = client.get("/api/v1/health/", HTTP_ACCEPT="application/json").json()
    assert body["status"] == "ok"
    assert body["database"] in {"postgresql", "sqlite"}
    if settings.CELERY_TASK_ALWAYS_EAGER:
        assert body["tasks"] == "in-process"
    else:
        assert body["tasks"] == ("redis" if settings.REDIS_URL else "file-queue")
    # Redis is checked where it is configured (the broker, and the throttle's cache).
    expected = {"database": "up", "redis": "up"} if settings.REDIS_URL else {"database": "up"}
    assert body["components"] == expected


def test_health_answers_plain_http_where_everything_else_redirects(client, db, settings):
    """Orchestrators and load balancers probe health over plain HTTP from inside."""
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/api/v1/organizations/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/api/v1/organizations/"
    assert client.get("/api/v1/health/", HTTP_ACCEPT="application/json").status_code == 200
