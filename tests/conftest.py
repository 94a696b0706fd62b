"""Shared fixtures: a small world of organizations, a source and a commitment, built
through the services like every other write."""

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from ledger import services
from ledger.models import Commitment, FxRate, Organization, Source
from tests.served import Served, serve

SHARED = Path(__file__).resolve().parents[2] / "shared"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgresql`` skip, saying why, when the suite runs on SQLite."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL; `make test` does)")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True, scope="session")
def plain_static_files() -> Iterator[None]:
    """Pages render without running collectstatic first (the manifest is a deploy step)."""
    from django.test import override_settings

    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The seeded service, served by gunicorn as `make run` serves it, in its own SQLite
    file and static folder (see ``tests.served``). Started once for the session: tests
    that write through it must not count on what the others wrote, or did not."""
    with serve(tmp_path_factory.mktemp("served")) as app:
        yield app


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"the shared fixtures are not beside the project ({SHARED})")
    return SHARED


@pytest.fixture
def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def ukraine(db: None) -> Organization:
    return services.create_organization(name="Ukraine", kind="state", country_code="UA")


@pytest.fixture
def united_states(db: None) -> Organization:
    return services.create_organization(
        name="United States",
        kind="state",
        country_code="US",
        aliases=["U.S.", "USA", "United States of America", "Washington"],
    )


@pytest.fixture
def united_kingdom(db: None) -> Organization:
    return services.create_organization(
        name="United Kingdom", kind="state", country_code="GB", aliases=["UK", "Britain"]
    )


@pytest.fixture
def source(db: None) -> Source:
    return services.record_source(
        url="https://example.org/news/1",
        publisher="Example News",
        title="A report",
        published_on=date(2025, 7, 1),
        excerpt="A sentence quoted from the report.",
    )


@pytest.fixture
def make_commitment(ukraine: Organization, source: Source) -> Callable[..., Commitment]:
    """Commitments to Ukraine announced by ``source``; military from 2 January 2025 unless said."""

    def make(
        donor: Organization,
        *,
        title: str = "Aid package",
        category: str = "military",
        announced_on: date = date(2025, 1, 2),
    ) -> Commitment:
        return services.create_commitment(
            donor=donor, title=title, category=category, announced_on=announced_on, source=source
        )

    return make


@pytest.fixture
def commitment(united_states: Organization, make_commitment) -> Commitment:
    return make_commitment(united_states, title="Presidential drawdown package")


@pytest.fixture
def usd_rates(source: Source) -> None:
    """Two USD rates a month apart, so conversions can be checked by hand."""
    services.record_fx_rates(
        rates=[
            ("USD", date(2025, 1, 2), Decimal("1.25")),
            ("USD", date(2025, 2, 3), Decimal("1.0")),
            ("GBP", date(2025, 1, 2), Decimal("0.8")),
        ],
        source=source,
    )
    assert FxRate.objects.count() == 3
