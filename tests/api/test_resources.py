"""Every resource under /api/v1/ gets the same tests (tests/api/base.py): list and detail
with their fields, 404 in the error shape, each filter narrowing the list, ordering,
pagination, CSV and a constant number of queries per page. A class here says only what
differs: its fields, a case for each filter and how to make many rows.

A filter's case is (value from the world, rows left); the world is tests/api/world.py.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

from api.views import resources as views
from tests.api import world as w
from tests.api.base import ResourceTests, ids, results

D = Decimal


class TestOrganizations(ResourceTests):
    endpoint = "organizations"
    view = views.OrganizationViewSet
    make_many = w.many_organizations
    fields = {
        "id",
        "url",
        "name",
        "kind",
        "country_code",
        "parent",
        "aliases",
        "iati_identifier",
        "is_verified",
        "created_at",
    }
    filters = {
        "q": (lambda w: "pentagon", 1),  # an alias
        "kind": (lambda w: "government_body", 1),
        "parent": (lambda w: w.united_states, 1),
        "country_code": (lambda w: "us", 2),
        "name": (lambda w: "Ukraine", 1),
        "name__icontains": (lambda w: "united", 3),
        "iati_identifier": (lambda w: "US-1", 1),
        "is_verified": (lambda w: False, 1),
        "created_at__gte": (lambda w: w.pentagon.created_at, 1),
        "created_at__lte": (lambda w: w.ukraine.created_at, 1),
    }


class TestCommitments(ResourceTests):
    endpoint = "commitments"
    view = views.CommitmentViewSet
    make_many = w.many_commitments
    fields = {
        "id",
        "url",
        "donor",
        "recipient",
        "title",
        "description",
        "category",
        "instrument",
        "announced_on",
        "announced_on_precision",
        "period_start",
        "period_end",
        "channel",
        "source",
        "further_sources",
        "identifiers",
        "figures",
        "created_at",
    }
    filters = {
        "q": (lambda w: "interceptors", 1),  # the description
        "donor": (lambda w: w.united_states, 2),
        "recipient": (lambda w: w.united_kingdom, 1),
        "category": (lambda w: "humanitarian", 1),
        "instrument": (lambda w: "grant", 1),
        "announced_on_precision": (lambda w: "month", 1),
        "country_code": (lambda w: "gb", 1),  # the donor's
        "stage": (lambda w: "pledge", 1),  # has entries at that stage
        "channel": (lambda w: w.contact_group, 1),
        "source": (lambda w: w.ministry, 1),
        "identifier": (lambda w: "US-1-PDA", 1),
        "title__icontains": (lambda w: "package", 1),
        "announced_on": (lambda w: date(2025, 1, 2), 1),
        "announced_on__gte": (lambda w: date(2025, 1, 2), 2),
        "announced_on__lte": (lambda w: date(2025, 1, 2), 2),
        "period_start": (lambda w: date(2025, 1, 1), 1),
        "period_start__gte": (lambda w: date(2024, 1, 1), 1),
        "period_start__lte": (lambda w: date(2025, 6, 1), 1),
        "period_end": (lambda w: date(2025, 12, 31), 1),
        "period_end__gte": (lambda w: date(2025, 6, 1), 1),
        "period_end__lte": (lambda w: date(2026, 1, 1), 1),
        "created_at__gte": (lambda w: w.training.created_at, 1),
        "created_at__lte": (lambda w: w.drawdown.created_at, 1),
    }


class TestEntries(ResourceTests):
    endpoint = "entries"
    view = views.LedgerEntryViewSet
    make_many = w.many_entries
    cursor_paginated = True
    fields = {
        "id",
        "url",
        "commitment",
        "stage",
        "amount",
        "signed_amount",
        "currency",
        "value_date",
        "value_date_precision",
        "recorded_at",
        "source",
        "further_sources",
        "idempotency_key",
        "reverses",
        "reversed_by",
        "note",
        "recorded_by",
    }
    filters = {
        "q": (lambda w: "tranche", 1),  # the note
        "commitment": (lambda w: w.relief, 1),
        "donor": (lambda w: w.united_kingdom, 1),
        "recipient": (lambda w: w.united_kingdom, 1),
        "category": (lambda w: "humanitarian", 1),
        "stage": (lambda w: "pledge", 1),
        "currency": (lambda w: "usd,gbp", 3),
        "value_date_precision": (lambda w: "month", 2),  # the entry and its reversal
        "country_code": (lambda w: "GB", 1),
        "source": (lambda w: w.ministry, 1),
        "is_reversal": (lambda w: True, 1),
        "reverses": (lambda w: w.committed, 1),
        "amount__gte": (lambda w: D("400"), 1),
        "amount__lte": (lambda w: D("150"), 1),
        "value_date": (lambda w: date(2025, 1, 2), 1),
        "value_date__gte": (lambda w: date(2025, 3, 5), 2),
        "value_date__lte": (lambda w: date(2025, 1, 2), 1),
        "recorded_at__gte": (lambda w: w.training_entry.recorded_at, 1),
        "recorded_at__lte": (lambda w: w.pledge.recorded_at, 1),
        "idempotency_key": (lambda w: "k-1", 1),
        "recorded_by": (lambda w: "alice", 1),
        "note__icontains": (lambda w: "twice", 1),
    }

    def test_recorded_at_gte_keeps_the_entry_recorded_at_that_moment(self, api, world):
        """On SQLite too: its clock once wrote milliseconds where Django compares
        microseconds as text, so a row was not >= its own recorded_at."""
        moment = world.training_entry.recorded_at
        found = ids(api.get(self.url(), {"recorded_at__gte": moment.isoformat()}))
        assert found == [world.training_entry.pk]

    def test_the_cursor_walks_every_entry_once(self, api, world):
        """Paging by cursor a row at a time meets each entry exactly once, whatever
        ordering is asked for (on a field whose values the databases compare alike)."""
        for ordering in ("-id", "value_date,id", "-amount,-id"):
            seen, response = [], api.get(self.url(), {"page_size": 1, "ordering": ordering})
            while True:
                seen += [row["id"] for row in results(response)]
                if not response.json()["next"]:
                    break
                response = api.get(response.json()["next"])
            assert len(seen) == len(set(seen)) == self.total(), ordering


class TestPauses(ResourceTests):
    endpoint = "pauses"
    view = views.PauseViewSet
    make_many = w.many_pauses
    fields = {
        "id",
        "url",
        "donor",
        "commitment",
        "category",
        "description",
        "reason",
        "ordered_by",
        "paused_on",
        "paused_on_precision",
        "source",
        "further_sources",
        "recorded_at",
        "resumed_on",
        "resumption_source",
        "resumption_recorded_at",
        "idempotency_key",
    }
    filters = {
        "q": (lambda w: "weapons", 1),
        "donor": (lambda w: w.united_kingdom, 1),
        "ordered_by": (lambda w: w.pentagon, 1),
        "commitment": (lambda w: w.relief, 1),
        "category": (lambda w: "military", 1),
        "paused_on_precision": (lambda w: "week", 1),
        "active_on": (lambda w: date(2025, 7, 8), 1),  # the day after the resumption
        "source": (lambda w: w.news, 1),
        "resumption_source": (lambda w: w.ministry, 1),
        "paused_on": (lambda w: date(2025, 6, 30), 1),
        "paused_on__gte": (lambda w: date(2025, 6, 1), 1),
        "paused_on__lte": (lambda w: date(2025, 4, 1), 1),
        "resumed_on": (lambda w: date(2025, 7, 7), 1),
        "resumed_on__gte": (lambda w: date(2025, 7, 1), 1),
        "resumed_on__lte": (lambda w: date(2025, 7, 31), 1),
        "resumed_on__isnull": (lambda w: True, 1),
        "recorded_at__gte": (lambda w: w.relief_pause.recorded_at, 1),
        "recorded_at__lte": (lambda w: w.weapons_pause.recorded_at, 1),
        "resumption_recorded_at__gte": (lambda w: w.weapons_pause.resumption_recorded_at, 1),
        "resumption_recorded_at__lte": (lambda w: w.weapons_pause.resumption_recorded_at, 1),
        "idempotency_key": (lambda w: "pause-1", 1),
        "description__icontains": (lambda w: "WEAPONS", 1),
    }


class TestCoordinationBodies(ResourceTests):
    endpoint = "coordination-bodies"
    view = views.CoordinationBodyViewSet
    make_many = w.many_bodies
    fields = {"id", "url", "name", "acronym", "description", "memberships", "created_at"}
    filter_aliases = {"members": "member"}
    filters = {
        "q": (lambda w: "ramstein", 1),  # the description
        "member": (lambda w: w.united_kingdom, 1),
        "name": (lambda w: "NATO coordination", 1),
        "name__icontains": (lambda w: "contact", 1),
        "acronym": (lambda w: "UDCG", 1),
        "created_at__gte": (lambda w: w.nato_body.created_at, 1),
        "created_at__lte": (lambda w: w.contact_group.created_at, 1),
    }


class TestMandates(ResourceTests):
    endpoint = "mandates"
    view = views.MandateViewSet
    make_many = w.many_mandates
    fields = {
        "id",
        "url",
        "body",
        "responsibility",
        "starts_on",
        "starts_on_precision",
        "ends_on",
        "predecessor",
        "source",
        "further_sources",
        "end_source",
        "note",
        "recorded_at",
        "idempotency_key",
    }
    filters = {
        "q": (lambda w: "earlier", 1),  # the note
        "body": (lambda w: w.contact_group, 1),
        "responsibility": (lambda w: w.demining, 1),
        "responsibility_code": (lambda w: "demining", 1),
        "starts_on_precision": (lambda w: "year", 1),
        "active_on": (lambda w: date(2023, 1, 1), 1),
        "predecessor": (lambda w: w.us_mandate, 1),
        "source": (lambda w: w.ministry, 1),
        "end_source": (lambda w: w.ministry, 1),  # the handover ended the U.S. mandate
        "starts_on": (lambda w: date(2022, 1, 1), 1),
        "starts_on__gte": (lambda w: date(2025, 1, 1), 1),
        "starts_on__lte": (lambda w: date(2022, 1, 1), 1),
        "ends_on": (lambda w: date(2025, 1, 1), 1),
        "ends_on__gte": (lambda w: date(2025, 1, 1), 1),
        "ends_on__lte": (lambda w: date(2025, 12, 31), 1),
        "ends_on__isnull": (lambda w: True, 2),
        "recorded_at__gte": (lambda w: w.demining_mandate.recorded_at, 1),
        "recorded_at__lte": (lambda w: w.us_mandate.recorded_at, 1),
        "idempotency_key": (lambda w: "m-1", 1),
        "note__icontains": (lambda w: "EARLIER", 1),
    }


class TestSources(ResourceTests):
    endpoint = "sources"
    view = views.SourceViewSet
    make_many = w.many_sources
    fields = {
        "id",
        "url",
        "document_url",
        "publisher",
        "title",
        "published_on",
        "retrieved_at",
        "excerpt",
        "created_at",
    }
    filters = {
        "q": (lambda w: "ministry", 1),
        "url": (lambda w: "https://example.org/news/1", 1),
        "url__icontains": (lambda w: "gov.example", 1),
        "publisher": (lambda w: "Ministry", 1),
        "publisher__icontains": (lambda w: "news", 1),
        "title__icontains": (lambda w: "press", 1),
        "published_on": (lambda w: date(2025, 7, 1), 1),
        "published_on__gte": (lambda w: date(2025, 6, 1), 1),
        "published_on__lte": (lambda w: date(2025, 2, 1), 1),
        "retrieved_at__gte": (lambda w: datetime(2025, 1, 1, tzinfo=UTC), 1),
        "retrieved_at__lte": (lambda w: datetime(2025, 12, 31, tzinfo=UTC), 1),
        "excerpt__icontains": (lambda w: "another", 1),
        "created_at__gte": (lambda w: w.ministry.created_at, 1),
        "created_at__lte": (lambda w: w.news.created_at, 1),
    }


class TestFxRates(ResourceTests):
    endpoint = "fx-rates"
    view = views.FxRateViewSet
    make_many = w.many_fx_rates
    fields = {"id", "url", "currency", "date", "rate", "provider", "source"}
    filters = {
        "q": (lambda w: "gbp", 1),
        "currency": (lambda w: "usd", 2),
        "provider": (lambda w: "nbu", 1),
        "source": (lambda w: w.ministry, 1),
        "date": (lambda w: date(2025, 2, 3), 1),
        "date__gte": (lambda w: date(2025, 2, 1), 1),
        "date__lte": (lambda w: date(2025, 1, 2), 3),
        "rate__gte": (lambda w: D("100"), 1),
        "rate__lte": (lambda w: D("0.9"), 1),
    }


class TestEvents(ResourceTests):
    endpoint = "events"
    view = views.EventViewSet
    make_many = w.many_events
    fields = {
        "id",
        "url",
        "kind",
        "title",
        "occurred_on",
        "occurred_on_precision",
        "place",
        "body",
        "participants",
        "description",
        "source",
        "further_sources",
        "recorded_at",
        "idempotency_key",
    }
    filters = {
        "q": (lambda w: "partnership", 1),
        "kind": (lambda w: "meeting", 1),
        "body": (lambda w: w.contact_group, 1),
        "participant": (lambda w: w.united_kingdom, 1),
        "occurred_on_precision": (lambda w: "month", 1),
        "source": (lambda w: w.ministry, 1),
        "occurred_on": (lambda w: date(2025, 1, 16), 1),
        "occurred_on__gte": (lambda w: date(2025, 1, 1), 1),
        "occurred_on__lte": (lambda w: date(2024, 12, 31), 1),
        "place": (lambda w: "Kyiv", 1),
        "place__icontains": (lambda w: "bruss", 1),
        "recorded_at__gte": (lambda w: w.council.recorded_at, 1),
        "recorded_at__lte": (lambda w: w.partnership.recorded_at, 1),
        "idempotency_key": (lambda w: "ev-1", 1),
        "title__icontains": (lambda w: "council", 1),
    }


class TestReportedTotals(ResourceTests):
    endpoint = "reported-totals"
    view = views.ReportedTotalViewSet
    make_many = w.many_reported_totals
    fields = {
        "id",
        "url",
        "donor",
        "recipient",
        "stage",
        "qualifier",
        "amount",
        "currency",
        "period_start",
        "period_start_precision",
        "as_of",
        "as_of_precision",
        "source",
        "further_sources",
        "note",
        "recorded_at",
        "idempotency_key",
    }
    filters = {
        "q": (lambda w: "running", 1),  # the note
        "donor": (lambda w: w.united_kingdom, 1),
        "recipient": (lambda w: w.united_states, 1),
        "stage": (lambda w: "commitment", 1),
        "qualifier": (lambda w: "at_least", 1),
        "currency": (lambda w: "gbp", 1),
        "period_start_precision": (lambda w: "month", 1),
        "as_of_precision": (lambda w: "week", 1),
        "source": (lambda w: w.ministry, 1),
        "amount__gte": (lambda w: D("10000000000"), 1),
        "amount__lte": (lambda w: D("5000000000"), 1),
        "period_start": (lambda w: date(2022, 2, 1), 1),
        "period_start__gte": (lambda w: date(2024, 1, 1), 1),
        "period_start__lte": (lambda w: date(2023, 1, 1), 1),
        "as_of": (lambda w: date(2024, 1, 1), 1),
        "as_of__gte": (lambda w: date(2025, 1, 1), 1),
        "as_of__lte": (lambda w: date(2024, 6, 1), 1),
        "recorded_at__gte": (lambda w: w.uk_total.recorded_at, 1),
        "recorded_at__lte": (lambda w: w.us_total.recorded_at, 1),
        "idempotency_key": (lambda w: "rt-1", 1),
    }
