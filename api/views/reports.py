"""Read-only reports over the whole ledger: the summary of figures and the timeline."""

from typing import Any, cast

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request

from api.csv import columns_of, csv_response, without_format
from api.dates import DateField
from api.filtersets import CommitmentFilterSet
from api.params import SummaryParams, parse, refuse_unknown_in_list
from api.schema import FORMAT
from api.serializers.figures import SummaryRowSerializer
from api.serializers.timeline import TimelineEventSerializer
from ledger.models import Commitment, CoordinationBody, LedgerEntry, Organization
from ledger.selectors import MEASURES, figures
from ledger.selectors.timeline import KINDS, timeline


class SummaryView(GenericAPIView):
    """Figures grouped by ``?group_by=`` (``donor``, ``category``, ``recipient``, ``stage``,
    ``year``, ``month``, ``day``, ``commitment``; comma-separated), on both time axes, in one
    currency; narrowed by the commitments' filters. Computed by the database in one
    statement; the grouped rows (a few hundred at most) are then paginated."""

    queryset = Commitment.objects.none()  # what the filters apply to, for the schema
    serializer_class = SummaryRowSerializer
    filterset_class = CommitmentFilterSet
    # Rows keep the groups' order, so no ?ordering= (which the schema would otherwise offer).
    filter_backends = [DjangoFilterBackend]

    @extend_schema(
        parameters=[SummaryParams, FORMAT],
        filters=True,
        responses=SummaryRowSerializer(many=True),
    )
    def get(self, request: Request) -> Any:
        known = set(SummaryParams().fields) | set(CommitmentFilterSet.base_filters)
        refuse_unknown_in_list(request, paginator=self.paginator, known=known)
        params = parse(SummaryParams, request)
        commitments = CommitmentFilterSet(request.query_params, queryset=Commitment.objects.all())
        if not commitments.is_valid():
            raise serializers.ValidationError(commitments.errors)
        # Without a commitment filter the whole ledger counts: no need to scope it.
        filtered = any(name in request.query_params for name in CommitmentFilterSet.base_filters)
        rows = figures(commitments=commitments.qs if filtered else None, **params)
        currency = params["currency"]
        if request.accepted_renderer.format == "csv":
            # A group's columns are named after it (donor: donor, donor_name).
            groups = set(params["group_by"])
            columns = [
                name
                for name in columns_of(SummaryRowSerializer())
                if name.split(".")[0] in {*MEASURES, "currency", "rates"}
                or name.split("_")[0] in groups
            ]
            return csv_response(
                (SummaryRowSerializer({**r, "currency": currency}).data for r in rows),
                "summary",
                columns,
            )
        # figures() gives a list of rows, which the paginator slices like a queryset.
        page: list[dict[str, Any]] = self.paginate_queryset(cast(Any, rows)) or []
        data = SummaryRowSerializer([{**r, "currency": currency} for r in page], many=True).data
        return self.get_paginated_response(data)


class TimelineParams(serializers.Serializer):
    kind = serializers.MultipleChoiceField(choices=KINDS, required=False)
    donor = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), many=True, required=False
    )
    body = serializers.PrimaryKeyRelatedField(
        queryset=CoordinationBody.objects.all(), many=True, required=False
    )
    since = DateField(required=False)
    until = DateField(required=False)


class TimelineView(GenericAPIView):
    """What happened, in date order: commitments announced, entries (by value date),
    pauses, resumptions, mandates beginning and ending, events and reported totals (by the
    day they were reported for), each with the donor, recipient, commitment, coordination
    body and source it concerns (id, name, URL); filter by ``kind``, ``donor``, ``body``
    (repeatable) and ``since`` / ``until``."""

    queryset = LedgerEntry.objects.none()  # for the schema; the rows come from timeline()
    serializer_class = TimelineEventSerializer
    filter_backends: list[Any] = []  # filtered by TimelineParams, always in date order

    @extend_schema(
        parameters=[TimelineParams, FORMAT], responses=TimelineEventSerializer(many=True)
    )
    def get(self, request: Request) -> Any:
        known = set(TimelineParams().fields)
        refuse_unknown_in_list(request, paginator=self.paginator, known=known)
        query = TimelineParams(
            data={
                "kind": request.query_params.getlist("kind"),
                "donor": request.query_params.getlist("donor"),
                "body": request.query_params.getlist("body"),
                **{
                    k: request.query_params[k]
                    for k in ("since", "until")
                    if k in request.query_params
                },
            }
        )
        query.is_valid(raise_exception=True)
        params = query.validated_data
        rows = timeline(
            kinds=sorted(params.get("kind", [])),
            donors=[o.pk for o in params.get("donor", [])],
            bodies=[b.pk for b in params.get("body", [])],
            since=params.get("since"),
            until=params.get("until"),
        )
        context = self.get_serializer_context()
        if request.accepted_renderer.format == "csv":
            context["request"] = without_format(request)
            return csv_response(
                (TimelineEventSerializer(r, context=context).data for r in rows.iterator()),
                "timeline",
                list(columns_of(TimelineEventSerializer())),
            )
        page = self.paginate_queryset(rows)
        data = TimelineEventSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)
