"""A small world with a few rows of every resource, each differing from the others in every
attribute a filter reads, so each filter can be shown to narrow the list; and builders of
many rows of one resource, for the query-count tests. Everything is written through the
services, as the admin, the API and the ingest workers write."""

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from ledger import services
from ledger.models import (
    Commitment,
    CoordinationBody,
    Event,
    FxRate,
    LedgerEntry,
    Mandate,
    Organization,
    Pause,
    RateProvider,
    ReportedTotal,
    Responsibility,
    Source,
)
from news.models import Article, Candidate

D = Decimal


def later() -> None:
    """Let the clock move on, so the next row is recorded strictly later (SQLite keeps
    milliseconds)."""
    time.sleep(0.005)


@dataclass
class World:
    ukraine: Organization
    united_states: Organization
    united_kingdom: Organization
    pentagon: Organization
    news: Source
    ministry: Source
    contact_group: CoordinationBody
    nato_body: CoordinationBody
    drawdown: Commitment
    relief: Commitment
    training: Commitment
    pledge: LedgerEntry
    committed: LedgerEntry
    relief_entry: LedgerEntry
    training_entry: LedgerEntry
    reversal: LedgerEntry
    weapons_pause: Pause
    relief_pause: Pause
    coordination: Responsibility
    demining: Responsibility
    us_mandate: Mandate
    nato_mandate: Mandate
    demining_mandate: Mandate
    partnership: Event
    council: Event
    us_total: ReportedTotal
    uk_total: ReportedTotal
    jpy_rate: FxRate
    article: Article
    candidate: Candidate


def build_world() -> World:
    """Four organizations, two sources, two bodies, three commitments, five entries (one a
    reversal), two pauses, three mandates, two events, two reported totals, five rates
    (one of them the NBU's)."""
    ukraine = services.create_organization(name="Ukraine", kind="state", country_code="UA")
    united_states = services.create_organization(
        name="United States",
        kind="state",
        country_code="US",
        aliases=["U.S.", "USA", "United States of America", "Washington"],
    )
    united_kingdom = services.create_organization(
        name="United Kingdom", kind="state", country_code="GB", aliases=["UK", "Britain"]
    )
    later()
    pentagon = services.create_organization(
        name="United States Department of Defense",
        kind="government_body",
        country_code="US",
        parent=united_states,
        iati_identifier="US-1",
        aliases=["Pentagon"],
        is_verified=False,
    )
    news = services.record_source(
        url="https://example.org/news/1",
        publisher="Example News",
        title="A report",
        published_on=date(2025, 7, 1),
        excerpt="A sentence quoted from the report.",
    )
    later()
    ministry = services.record_source(
        url="https://gov.example/press/2",
        publisher="Ministry",
        title="Press release",
        published_on=date(2025, 1, 5),
        retrieved_at=datetime(2025, 1, 6, 10, 0, tzinfo=UTC),
        excerpt="Another quotation.",
    )
    services.record_fx_rates(
        rates=[
            ("USD", date(2025, 1, 2), D("1.25")),
            ("USD", date(2025, 2, 3), D("1.0")),
            ("GBP", date(2025, 1, 2), D("0.8")),
        ],
        source=news,
    )
    services.record_fx_rates(rates=[("JPY", date(2025, 1, 2), D("160"))], source=ministry)
    services.record_fx_rates(
        rates=[("UAH", date(2025, 1, 6), D("43.6512"))], source=news, provider=RateProvider.NBU
    )

    contact_group = services.create_coordination_body(
        name="Ukraine Defense Contact Group", acronym="UDCG", description="Ramstein format."
    )
    services.set_membership(body=contact_group, organization=united_states, role="lead")
    services.set_membership(body=contact_group, organization=united_kingdom, role="member")
    later()
    nato_body = services.create_coordination_body(name="NATO coordination")
    services.set_membership(body=nato_body, organization=united_states, role="member")

    drawdown = services.create_commitment(
        donor=united_states,
        title="Presidential drawdown package",
        description="Air defence interceptors.",
        category="military",
        instrument="grant",
        announced_on=date(2025, 1, 2),
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        channel=contact_group,
        source=news,
        identifiers={"iati": "US-1-PDA"},
    )
    relief = services.create_commitment(
        donor=united_kingdom,
        title="Humanitarian support",
        category="humanitarian",
        instrument="loan",
        announced_on=date(2025, 3, 1),
        announced_on_precision="month",
        source=ministry,
    )
    later()
    training = services.create_commitment(
        donor=united_states,
        recipient=united_kingdom,
        title="Training mission",
        category="financial",
        announced_on=date(2024, 11, 13),
        source=news,
    )

    pledge = services.record_entry(
        commitment=drawdown,
        stage="pledge",
        amount=D("500"),
        currency="USD",
        value_date=date(2025, 1, 2),
        source=news,
        idempotency_key="k-1",
        note="First tranche.",
        recorded_by="alice",
    )
    later()
    committed = services.record_entry(
        commitment=drawdown,
        stage="commitment",
        amount=D("300"),
        currency="EUR",
        value_date=date(2025, 2, 1),
        value_date_precision="month",
        source=ministry,
        recorded_by="bob",
    )
    relief_entry = services.record_entry(
        commitment=relief,
        stage="commitment",
        amount=D("200"),
        currency="GBP",
        value_date=date(2025, 3, 5),
        source=news,
    )
    reversal = services.reverse_entry(entry=committed, source=news, reason="Counted twice.")
    later()
    training_entry = services.record_entry(
        commitment=training,
        stage="disbursement",
        amount=D("100"),
        currency="USD",
        value_date=date(2025, 4, 1),
        source=news,
    )

    weapons_pause = services.pause(
        donor=united_states,
        category="military",
        description="certain weapons",
        reason="Stockpiles running low.",
        ordered_by=pentagon,
        paused_on=date(2025, 6, 30),
        paused_on_precision="week",
        source=news,
        idempotency_key="pause-1",
    )
    weapons_pause = services.resume(
        pause=weapons_pause, resumed_on=date(2025, 7, 7), source=ministry
    )
    later()
    relief_pause = services.pause(commitment=relief, paused_on=date(2025, 3, 10), source=ministry)

    coordination = services.create_responsibility(
        code="military-aid-coordination", name="Coordinating military aid"
    )
    demining = services.create_responsibility(code="demining", name="Coordinating demining")
    us_mandate = services.assign_mandate(
        body=contact_group,
        responsibility=coordination,
        starts_on=date(2022, 1, 1),
        starts_on_precision="year",
        source=news,
        note="Held earlier.",
        idempotency_key="m-1",
    )
    later()
    nato_mandate = services.assign_mandate(
        body=nato_body,
        responsibility=coordination,
        starts_on=date(2025, 1, 1),
        starts_on_precision="month",
        hands_over=True,
        source=ministry,
    )
    later()
    demining_mandate = services.assign_mandate(
        body=nato_body, responsibility=demining, starts_on=date(2024, 6, 1), source=news
    )
    us_mandate.refresh_from_db()

    partnership = services.record_event(
        kind="agreement",
        title="100-year partnership signed",
        occurred_on=date(2025, 1, 16),
        place="Kyiv",
        participants=[united_kingdom, ukraine],
        description="Signed by the two leaders.",
        source=news,
        idempotency_key="ev-1",
    )
    later()
    council = services.record_event(
        kind="meeting",
        title="Emergency council meeting",
        occurred_on=date(2024, 1, 1),
        occurred_on_precision="month",
        place="Brussels",
        body=contact_group,
        participants=[united_states],
        source=ministry,
    )

    us_total = services.record_reported_total(
        donor=united_states,
        stage="disbursement",
        qualifier="at_least",
        amount=D("40000000000"),
        currency="USD",
        period_start=date(2022, 2, 1),
        period_start_precision="month",
        as_of=date(2024, 1, 1),
        as_of_precision="week",
        source=news,
        note="A running total.",
        idempotency_key="rt-1",
    )
    later()
    uk_total = services.record_reported_total(
        donor=united_kingdom,
        recipient=united_states,
        stage="commitment",
        amount=D("3000000000"),
        currency="GBP",
        period_start=date(2024, 4, 1),
        as_of=date(2025, 1, 16),
        source=ministry,
    )
    return World(
        ukraine=ukraine,
        united_states=united_states,
        united_kingdom=united_kingdom,
        pentagon=pentagon,
        news=news,
        ministry=ministry,
        contact_group=contact_group,
        nato_body=nato_body,
        drawdown=drawdown,
        relief=relief,
        training=training,
        pledge=pledge,
        committed=committed,
        relief_entry=relief_entry,
        training_entry=training_entry,
        reversal=reversal,
        weapons_pause=weapons_pause,
        relief_pause=relief_pause,
        coordination=coordination,
        demining=demining,
        us_mandate=us_mandate,
        nato_mandate=nato_mandate,
        demining_mandate=demining_mandate,
        partnership=partnership,
        council=council,
        us_total=us_total,
        uk_total=uk_total,
        jpy_rate=FxRate.objects.get(currency="JPY"),
        **news_rows(united_states),
    )


def news_rows(donor: Organization) -> dict[str, Any]:
    """Two articles, each with a candidate waiting for review (as the news adapter stores
    them), so that the news resources have rows too."""
    candidates = []
    for number, (amount, day) in enumerate([("5000000", 7), ("250000000", 9)], start=1):
        text = f"The donor pledged ${amount} on day {day}."
        article = Article.objects.create(
            url=f"https://news.example.org/pledge-{number}",
            content_hash=f"world-article-{number}",
            title=f"Pledge {number}",
            publisher="Example Wire",
            published_on=date(2025, 7, 10 + number),
            text=text,
        )
        candidates.append(
            Candidate.objects.create(
                article=article,
                fingerprint="pledge:0",
                kind="pledge",
                donor=donor,
                donor_name="The donor",
                amount=D(amount),
                currency="USD",
                date=date(2025, 7, day),
                date_precision="day",
                evidence=text,
                evidence_start=0,
                evidence_end=len(text),
                confidence=0.25 * number,
                extractor="world",
            )
        )
    return {"article": candidates[0].article, "candidate": candidates[0]}


# --- Many rows of one resource, for the query-count tests -----------------------------------
# Each row has the related rows its serializer shows (aliases, members, identifiers,
# participants), so a missing select_related or prefetch_related shows as extra queries.


def entry_body(world: World, **changes: Any) -> dict[str, Any]:
    """A valid body for ``POST entries/``: a delivery on the drawdown, with ``changes``."""
    return {
        "commitment": world.drawdown.pk,
        "stage": "disbursement",
        "amount": "100.00",
        "currency": "USD",
        "value_date": "2025-07-01",
        "source": world.news.pk,
        **changes,
    }


def many_organizations(world: World, n: int) -> None:
    for i in range(n):
        services.create_organization(
            name=f"Agency {i}", kind="ngo", parent=world.ukraine, aliases=[f"A{i}", f"B{i}"]
        )


def many_commitments(world: World, n: int) -> None:
    for i in range(n):
        commitment = services.create_commitment(
            donor=world.united_kingdom,
            title=f"Package {i}",
            category="military",
            announced_on=date(2025, 1, 2),
            channel=world.contact_group,
            source=world.news,
            identifiers={"other": f"package-{i}"},
        )
        services.record_entry(
            commitment=commitment,
            stage="commitment",
            amount=D(i + 1),
            currency="USD",
            value_date=date(2025, 2, 1),
            source=world.news,
        )


def many_entries(world: World, n: int) -> None:
    for i in range(n):
        entry = services.record_entry(
            commitment=world.training,
            stage="allocation",
            amount=D(i + 1),
            currency="GBP",
            value_date=date(2025, 5, 1),
            source=world.ministry,
        )
        if i % 2:
            services.reverse_entry(entry=entry, source=world.news, reason="Duplicate.")


def many_pauses(world: World, n: int) -> None:
    for i in range(n):
        paused_on = date(2020, 1, 1) + (date(2020, 1, 4) - date(2020, 1, 1)) * i
        paused = services.pause(
            donor=world.united_kingdom,
            category="financial",
            ordered_by=world.pentagon,
            paused_on=paused_on,
            source=world.news,
        )
        services.resume(pause=paused, resumed_on=paused_on, source=world.ministry)


def many_bodies(world: World, n: int) -> None:
    for i in range(n):
        body = services.create_coordination_body(name=f"Working group {i}", acronym=f"WG{i}")
        services.set_membership(body=body, organization=world.united_kingdom, role="lead")
        services.set_membership(body=body, organization=world.ukraine, role="member")


def many_mandates(world: World, n: int) -> None:
    for i in range(n):
        responsibility = services.create_responsibility(code=f"task-{i}", name=f"Task {i}")
        services.assign_mandate(
            body=world.nato_body,
            responsibility=responsibility,
            starts_on=date(2023, 1, 1),
            ends_on=date(2024, 1, 1),
            source=world.news,
            end_source=world.ministry,
        )


def many_sources(world: World, n: int) -> None:
    for i in range(n):
        services.record_source(url=f"https://example.org/{i}", title=f"Article {i}")


def many_fx_rates(world: World, n: int) -> None:
    start = date(2024, 1, 1).toordinal()
    services.record_fx_rates(
        rates=[("CHF", date.fromordinal(start + i), D("0.95")) for i in range(n)],
        source=world.news,
    )


def many_events(world: World, n: int) -> None:
    for i in range(n):
        services.record_event(
            kind="statement",
            title=f"Statement {i}",
            occurred_on=date(2024, 5, 1),
            body=world.contact_group,
            participants=[world.united_states, world.ukraine],
            source=world.news,
        )


def many_reported_totals(world: World, n: int) -> None:
    for i in range(n):
        services.record_reported_total(
            donor=world.united_kingdom,
            stage="pledge",
            amount=D(i + 1),
            currency="GBP",
            period_start=date(2022, 1, 1),
            as_of=date(2024, 1, 1),
            source=world.news,
        )
