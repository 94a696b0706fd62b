"""Record the seed scenario (``ledger/scenario.py``) through the services.

Running it again writes nothing: sources are matched on their content, organizations,
bodies and responsibilities on their names or codes, commitments on a scenario identifier,
and entries, pauses, mandates, reported totals and events on their idempotency keys.
Organizations that already exist under one of the scenario's names, aliases or country
codes are reused.
"""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from ledger import scenario, services
from ledger.models import (
    Commitment,
    CoordinationBody,
    Event,
    IdentifierScheme,
    Mandate,
    Organization,
    Pause,
    ReportedTotal,
    Responsibility,
    Source,
)
from ledger.selectors import find_organization

RECORDED_BY = "load_scenario"


def ensure_organization(
    spec: scenario.OrganizationSpec, known: dict[str, Organization]
) -> Organization:
    """The organization a spec names, found by name, country code or alias, else created."""
    names = [spec.name, *([spec.country_code] if spec.kind == "state" else []), *spec.aliases]
    organization = next(filter(None, map(find_organization, names)), None)
    if organization is None:
        return services.create_organization(
            name=spec.name,
            kind=spec.kind,
            country_code=spec.country_code,
            parent=known[spec.parent] if spec.parent else None,
            aliases=spec.aliases,
        )
    # Found under another name: the scenario's names are added where no one has them yet.
    for alias in (spec.name, *spec.aliases):
        if find_organization(alias) is None:
            services.add_alias(organization=organization, alias=alias)
    return organization


def cite(citation: scenario.Citation) -> Source:
    article = citation.article
    return services.record_source(
        url=article.url,
        publisher=article.publisher,
        title=article.title,
        published_on=article.published_on,
        excerpt=citation.excerpt,
    )


def record_commitment(
    fact: scenario.CommitmentFact, organizations: dict[str, Organization]
) -> Commitment:
    source = cite(fact.citation)
    commitment = services.create_commitment(
        donor=organizations[fact.donor],
        recipient=organizations[fact.recipient],
        title=fact.title,
        category=fact.category,
        announced_on=fact.announced_on,
        announced_on_precision=fact.announced_on_precision,
        description=fact.description,
        period_start=fact.period_start,
        period_end=fact.period_end,
        source=source,
        identifiers={IdentifierScheme.OTHER: fact.key},
    )
    for entry in fact.entries:
        services.record_entry(
            commitment=commitment,
            stage=entry.stage,
            amount=entry.amount,
            currency=entry.currency,
            value_date=entry.value_date,
            value_date_precision=entry.value_date_precision,
            source=source,
            idempotency_key=entry.key,
            note=entry.note,
            recorded_by=RECORDED_BY,
        )
    return commitment


def record_pause(fact: scenario.PauseFact, organizations: dict[str, Organization]) -> Pause:
    paused = services.pause(
        donor=organizations[fact.donor],
        category=fact.category,
        description=fact.description,
        reason=fact.reason,
        paused_on=fact.paused_on,
        paused_on_precision=fact.paused_on_precision,
        ordered_by=organizations[fact.ordered_by] if fact.ordered_by else None,
        source=cite(fact.citation),
        idempotency_key=fact.key,
    )
    return services.resume(
        pause=paused, resumed_on=fact.resumed_on, source=cite(fact.resumption_citation)
    )


def record_mandate(
    fact: scenario.MandateFact,
    bodies: dict[str, CoordinationBody],
    responsibilities: dict[str, Responsibility],
) -> Mandate:
    return services.assign_mandate(
        body=bodies[fact.body],
        responsibility=responsibilities[fact.responsibility],
        starts_on=fact.starts_on,
        starts_on_precision=fact.starts_on_precision,
        hands_over=fact.hands_over,
        source=cite(fact.citation),
        note=fact.note,
        idempotency_key=fact.key,
    )


def record_reported_total(
    fact: scenario.ReportedTotalFact, organizations: dict[str, Organization]
) -> ReportedTotal:
    return services.record_reported_total(
        donor=organizations[fact.donor],
        recipient=organizations[fact.recipient],
        stage=fact.stage,
        qualifier=fact.qualifier,
        amount=fact.amount,
        currency=fact.currency,
        period_start=fact.period_start,
        period_start_precision=fact.period_start_precision,
        as_of=fact.as_of,
        as_of_precision=fact.as_of_precision,
        source=cite(fact.citation),
        note=fact.note,
        idempotency_key=fact.key,
    )


def record_event(
    fact: scenario.EventFact,
    organizations: dict[str, Organization],
    bodies: dict[str, CoordinationBody],
) -> Event:
    return services.record_event(
        kind=fact.kind,
        title=fact.title,
        occurred_on=fact.occurred_on,
        occurred_on_precision=fact.occurred_on_precision,
        place=fact.place,
        body=bodies[fact.body] if fact.body else None,
        participants=[organizations[name] for name in fact.participants],
        description=fact.description,
        source=cite(fact.citation),
        idempotency_key=fact.key,
    )


World = tuple[dict[str, Organization], dict[str, CoordinationBody], dict[str, Responsibility]]


def record_world() -> World:
    """The scenario's organizations, coordination bodies (with their members) and
    responsibilities, by name or code: what its facts refer to."""
    organizations: dict[str, Organization] = {}
    for spec in scenario.ORGANIZATIONS:
        organizations[spec.name] = ensure_organization(spec, organizations)
    bodies: dict[str, CoordinationBody] = {}
    for body_spec in scenario.BODIES:
        body = services.create_coordination_body(
            name=body_spec.name, acronym=body_spec.acronym, description=body_spec.description
        )
        for member, role in body_spec.members:
            services.set_membership(body=body, organization=organizations[member], role=role)
        bodies[body_spec.name] = body
    responsibilities = {
        spec.code: services.create_responsibility(
            code=spec.code, name=spec.name, description=spec.description
        )
        for spec in scenario.RESPONSIBILITIES
    }
    return organizations, bodies, responsibilities


def load() -> list[str]:
    """Record the whole scenario; returns one line per fact recorded."""
    organizations, bodies, responsibilities = record_world()
    lines = [f"Organizations: {', '.join(o.name for o in organizations.values())}"]
    for fact in scenario.COMMITMENTS:
        commitment = record_commitment(fact, organizations)
        figures = "; ".join(str(e) for e in commitment.entries.order_by("id")) or "no entries"
        lines.append(f"Commitment: {commitment} ({figures})")
    for pause_fact in scenario.PAUSES:
        lines.append(f"Pause: {record_pause(pause_fact, organizations)}")
    for mandate_fact in scenario.MANDATES:
        record_mandate(mandate_fact, bodies, responsibilities)
    for mandate_fact in scenario.MANDATES:
        mandate = Mandate.objects.get(idempotency_key=mandate_fact.key)
        lines.append(f"Mandate: {mandate}")
    for total_fact in scenario.REPORTED_TOTALS:
        lines.append(f"Reported total: {record_reported_total(total_fact, organizations)}")
    for event_fact in scenario.EVENTS:
        lines.append(f"Event: {record_event(event_fact, organizations, bodies)}")
    return lines


def row_counts() -> dict[str, int]:
    ledger = apps.get_app_config("ledger")
    return {model.__name__: model._default_manager.count() for model in ledger.get_models()}


class Command(BaseCommand):
    help = "Record the seed scenario (five news reports on aid to Ukraine); safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        before = row_counts()
        with transaction.atomic():
            lines = load()
        after = row_counts()
        for line in lines:
            self.stdout.write(line)
        added = {name: after[name] - before[name] for name in after if after[name] != before[name]}
        summary = ", ".join(f"{count} {name}" for name, count in added.items()) or "nothing"
        self.stdout.write(f"New rows: {summary}.")
