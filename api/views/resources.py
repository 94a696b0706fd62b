"""The resources under /api/v1/: a queryset, a serializer, a filterset and, where clients
may write, the service that writes. Nothing here computes."""

from typing import Any

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.serializers import Serializer

from api import filtersets
from api.errors import Conflict
from api.pagination import EntryCursorPagination
from api.params import FIGURE_PARAMS, FigureParams, parse
from api.serializers import inputs
from api.serializers.resources import (
    CommitmentSerializer,
    CoordinationBodySerializer,
    EventSerializer,
    FxRateSerializer,
    LedgerEntrySerializer,
    MandateSerializer,
    MandateWrittenSerializer,
    OrganizationSerializer,
    PauseSerializer,
    ReportedTotalSerializer,
    SourceSerializer,
)
from api.views.base import LedgerViewSet, WritableViewSet, keyed_input
from ledger import services
from ledger.models import (
    BodyMembership,
    Commitment,
    CoordinationBody,
    Corroboration,
    Event,
    FxRate,
    LedgerEntry,
    Mandate,
    Organization,
    Pause,
    ReportedTotal,
    Source,
)
from ledger.selectors import figures_by_commitment

# Each fact's further sources, with their documents, in one query per page.
FURTHER_SOURCES = Prefetch("further_sources", Corroboration.objects.select_related("source"))


class OrganizationViewSet(WritableViewSet):
    queryset = Organization.objects.select_related("parent").prefetch_related("aliases")
    serializer_class = OrganizationSerializer
    filterset_class = filtersets.OrganizationFilterSet
    ordering_fields = ["name", "kind", "country_code", "created_at", "id"]
    ordering = ["name"]
    input_class = inputs.OrganizationInput

    def write(self, **data: Any) -> Organization:
        return services.create_organization(**data)


class CommitmentViewSet(WritableViewSet):
    """Commitments with their figures in ``?currency=`` (EUR by default), ``?as_of=`` a
    date (valid time) and ``?known_at=`` a moment (transaction time)."""

    queryset = Commitment.objects.select_related(
        "donor", "recipient", "channel", "source"
    ).prefetch_related("identifiers", FURTHER_SOURCES)
    serializer_class = CommitmentSerializer
    filterset_class = filtersets.CommitmentFilterSet
    ordering_fields = ["announced_on", "title", "created_at", "id"]
    ordering = ["-announced_on", "id"]
    extra_params = frozenset(FIGURE_PARAMS)
    input_class = inputs.CommitmentInput

    def prepare(self, objects: list[Any]) -> list[Any]:
        params = parse(FigureParams, self.request)
        by_commitment = figures_by_commitment(objects, **params)
        for commitment in objects:
            commitment.figures = {**by_commitment[commitment.pk], **params}
        return objects

    def write(self, **data: Any) -> Commitment:
        return services.create_commitment(**data)


class LedgerEntryViewSet(WritableViewSet):
    """Entries are created and reversed, never changed: PUT, PATCH and DELETE answer 405."""

    queryset = LedgerEntry.objects.select_related(
        "commitment", "source", "reversed_by"
    ).prefetch_related(FURTHER_SOURCES)
    serializer_class = LedgerEntrySerializer
    filterset_class = filtersets.LedgerEntryFilterSet
    pagination_class = EntryCursorPagination
    ordering_fields = ["recorded_at", "value_date", "amount", "id"]
    input_class = inputs.EntryInput
    keyed_actions = frozenset({"create", "reverse"})

    def write(self, **data: Any) -> LedgerEntry:
        return services.record_entry(**data, recorded_by=self.recorded_by())

    def recorded_by(self) -> str:
        if self.request.user.is_authenticated:
            return self.request.user.get_username()
        return f"api-key:{getattr(self.request.auth, 'prefix', '')}"

    @extend_schema(request=inputs.ReverseInput, responses={201: LedgerEntrySerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request: Request, pk: str | None = None) -> Response:
        entry = self.get_object()
        values = keyed_input(request, inputs.ReverseInput)
        # An entry is reversed at most once: a replay is matched on the entry, not the key.
        values.pop("idempotency_key", None)
        reversal = services.reverse_entry(entry=entry, **values, recorded_by=self.recorded_by())
        created = services.was_created(reversal)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=reversal.pk)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class PauseViewSet(WritableViewSet):
    """``?active_on=YYYY-MM-DD`` lists the pauses in force that day."""

    queryset = Pause.objects.select_related(
        "donor", "ordered_by", "commitment", "source", "resumption_source"
    ).prefetch_related(FURTHER_SOURCES)
    serializer_class = PauseSerializer
    filterset_class = filtersets.PauseFilterSet
    ordering_fields = ["paused_on", "resumed_on", "recorded_at", "id"]
    ordering = ["-paused_on", "id"]
    input_class = inputs.PauseInput
    keyed_actions = frozenset({"create", "resume"})

    def write(self, **data: Any) -> Pause:
        return services.pause(**data)

    @extend_schema(request=inputs.ResumeInput, responses={200: PauseSerializer})
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str | None = None) -> Response:
        pause = self.get_object()
        values = keyed_input(request, inputs.ResumeInput)
        # A pause is resumed at most once: a replay is matched on the pause, not the key.
        values.pop("idempotency_key", None)
        resumed = services.resume(pause=pause, **values)
        return Response(self.get_serializer(self.get_queryset().get(pk=resumed.pk)).data)


class CoordinationBodyViewSet(LedgerViewSet):
    queryset = CoordinationBody.objects.prefetch_related(
        Prefetch("memberships", queryset=BodyMembership.objects.select_related("organization"))
    )
    serializer_class = CoordinationBodySerializer
    filterset_class = filtersets.CoordinationBodyFilterSet
    ordering_fields = ["name", "created_at", "id"]
    ordering = ["name"]


class MandateViewSet(WritableViewSet):
    """``?active_on=YYYY-MM-DD`` lists the mandates in force that day. A ``POST`` that
    would end another body's open mandate needs ``"hands_over": true`` (else a 409 naming
    that mandate), and its answer shows the mandate it ended."""

    queryset = Mandate.objects.select_related(
        "body", "responsibility", "source", "end_source"
    ).prefetch_related(FURTHER_SOURCES)
    serializer_class = MandateSerializer
    filterset_class = filtersets.MandateFilterSet
    ordering_fields = ["starts_on", "ends_on", "recorded_at", "id"]
    ordering = ["starts_on", "id"]
    input_class = inputs.MandateInput
    keyed_actions = frozenset({"create"})

    def get_serializer_class(self) -> type[Serializer]:
        return MandateWrittenSerializer if self.action == "create" else MandateSerializer

    def write(self, **data: Any) -> Mandate:
        try:
            return services.assign_mandate(**data)
        except services.MandateHeld as held:
            raise self.held_by(held) from held

    def held_by(self, held: services.MandateHeld) -> Conflict:
        """The 409 of a handover not asked for: which mandate is in the way, and where."""
        holder = held.holder.pk
        message = f'{" ".join(held.messages)} Send "hands_over": true to hand over.'
        return Conflict(
            {
                "hands_over": [message],
                "conflicting_mandate": [str(holder)],
                "conflicting_mandate_url": [
                    reverse("api:mandate-detail", args=[holder], request=self.request)
                ],
            },
            message=f"hands_over: {message}",
        )


class SourceViewSet(WritableViewSet):
    queryset = Source.objects.all()
    serializer_class = SourceSerializer
    filterset_class = filtersets.SourceFilterSet
    ordering_fields = ["published_on", "publisher", "created_at", "id"]
    ordering = ["-published_on", "id"]
    input_class = inputs.SourceInput

    def write(self, **data: Any) -> Source:
        return services.record_source(**data)


class FxRateViewSet(LedgerViewSet):
    queryset = FxRate.objects.all()
    serializer_class = FxRateSerializer
    filterset_class = filtersets.FxRateFilterSet
    ordering_fields = ["currency", "date", "id"]
    ordering = ["currency", "-date"]


class EventViewSet(WritableViewSet):
    queryset = Event.objects.select_related("body", "source").prefetch_related(
        "participants", FURTHER_SOURCES
    )
    serializer_class = EventSerializer
    filterset_class = filtersets.EventFilterSet
    ordering_fields = ["occurred_on", "recorded_at", "id"]
    ordering = ["-occurred_on", "id"]
    input_class = inputs.EventInput
    keyed_actions = frozenset({"create"})

    def write(self, **data: Any) -> Event:
        return services.record_event(**data)


class ReportedTotalViewSet(LedgerViewSet):
    queryset = ReportedTotal.objects.select_related(
        "donor", "recipient", "source"
    ).prefetch_related(FURTHER_SOURCES)
    serializer_class = ReportedTotalSerializer
    filterset_class = filtersets.ReportedTotalFilterSet
    ordering_fields = ["as_of", "amount", "recorded_at", "id"]
    ordering = ["-as_of", "id"]
