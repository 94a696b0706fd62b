"""The service answers: the API root and the health check, through Django's test client."""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.urls import URLResolver, get_resolver, reverse

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


def test_the_site_root_is_the_overview_linking_to_the_api(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/api/v1/"' in response.content.decode()


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


# What the URL resolver routes under /api/v1/ besides lists, reports and the health check:
# the root itself, and the catch-all that answers a JSON 404 for any other path.
NOT_LISTED = {"root", "not-found"}


def routes_without_arguments() -> set[str]:
    """The name of every route under /api/v1/ that takes no argument (a detail or an
    action takes an id; a format-suffixed route takes the format), from the resolver."""
    _, api = get_resolver().namespace_dict["api"]

    def names(patterns: list[Any]) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from names(pattern.url_patterns)
            elif pattern.pattern.regex.groups == 0 and pattern.name not in NOT_LISTED:
                yield pattern.name

    return set(names(api.url_patterns))


def test_the_root_lists_every_route_under_the_api(client, db):
    body = client.get("/api/v1/", HTTP_ACCEPT="application/json").json()
    listed = {**body["resources"], **body["reports"], "health": body["health"]}
    assert {urlsplit(url).path for url in listed.values()} == {
        reverse(f"api:{name}") for name in routes_without_arguments()
    }
    assert set(body["reports"]) == {"summary", "timeline"}
    assert {"organizations", "entries", "coordination-bodies", "fx-rates"} <= set(body["resources"])
    for name, url in listed.items():
        assert url.startswith("http://testserver/api/v1/"), name
        assert client.get(url, HTTP_ACCEPT="application/json").status_code == 200, name


def test_the_browsable_root_links_to_every_resource_and_report(client, db):
    body = client.get("/api/v1/", HTTP_ACCEPT="application/json").json()
    page = client.get("/api/v1/", HTTP_ACCEPT="text/html").content.decode()
    for url in [*body["resources"].values(), *body["reports"].values()]:
        assert f'href="{url}"' in page, url
