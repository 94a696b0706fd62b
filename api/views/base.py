"""What every resource's viewset shares: strict query parameters, CSV streaming, and
writes that hand typed input to a service."""

from collections.abc import Iterator, Mapping
from itertools import islice
from typing import Any

from django.db.models import Model, QuerySet
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.settings import api_settings

from api.csv import columns_of, csv_response, without_format
from api.errors import PreconditionRequired
from api.params import FORMAT, refuse_unknown, refuse_unknown_in_list
from ledger.services import was_created

CSV_BATCH = 500


def idempotency_key(request: Request, data: dict[str, Any]) -> str | None:
    """From the ``Idempotency-Key`` header or the body's ``idempotency_key``, not both."""
    header = request.headers.get("Idempotency-Key")
    field = data.get("idempotency_key")
    if header and field and header != field:
        raise ValidationError(
            {"idempotency_key": ["The Idempotency-Key header and the field differ."]}
        )
    return header or field


KEY_REQUIRED = (
    "This write needs an Idempotency-Key header (or an idempotency_key field): a retry "
    "with the same key answers with the first result instead of writing again."
)


def require_idempotency_key(request: Request) -> None:
    """A 428 for a write that names no idempotency key: a client retrying it after a
    timeout would write it twice. The body's ``idempotency_key`` may stand in."""
    data = request.data
    field = data.get("idempotency_key") if isinstance(data, Mapping) else None
    if not request.headers.get("Idempotency-Key", "").strip() and not field:
        raise PreconditionRequired({"Idempotency-Key": [KEY_REQUIRED]})


def keyed_input(request: Request, input_class: type[Serializer]) -> dict[str, Any]:
    """The body, validated, with the idempotency key from the header or the body."""
    data = input_class(data=request.data)
    data.is_valid(raise_exception=True)
    values = dict(data.validated_data)
    key = idempotency_key(request, values) if "idempotency_key" in data.fields else None
    if key:
        values["idempotency_key"] = key
    return values


class LedgerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List and detail, filters and ordering; ``?format=csv`` streams the whole list."""

    extra_params: frozenset[str] = frozenset()
    filterset_class: Any = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if self.action == "list":
            filters = set(self.filterset_class.base_filters) if self.filterset_class else set()
            known = filters | {api_settings.ORDERING_PARAM} | self.extra_params
            refuse_unknown_in_list(request, paginator=self.paginator, known=known)
        elif self.action == "retrieve":
            refuse_unknown(request, {FORMAT} | self.extra_params)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        # The schema generator's request negotiated nothing.
        renderer = getattr(self.request, "accepted_renderer", None)
        if renderer is not None and renderer.format == "csv":
            context["request"] = without_format(self.request)
        return context

    def prepare(self, objects: list[Any]) -> list[Any]:
        """Attach what the serializer reads beyond the row (one query per page at most)."""
        return objects

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        queryset = self.filter_queryset(self.get_queryset())
        if request.accepted_renderer.format == "csv":
            columns = list(columns_of(self.get_serializer()))
            return csv_response(self.csv_rows(queryset), self.basename, columns)
        page = self.paginate_queryset(queryset) or []
        serializer = self.get_serializer(self.prepare(list(page)), many=True)
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        (instance,) = self.prepare([self.get_object()])
        return Response(self.get_serializer(instance).data)

    def csv_rows(self, queryset: QuerySet) -> Iterator[dict[str, Any]]:
        rows = queryset.iterator(chunk_size=CSV_BATCH)
        while batch := list(islice(rows, CSV_BATCH)):
            yield from self.get_serializer(self.prepare(batch), many=True).data


class WritableViewSet(mixins.CreateModelMixin, LedgerViewSet):
    """``POST`` creates through ``write(**input)``, a service call; PUT, PATCH and DELETE
    are not routed (405). A replay (of an idempotency key, or of what else the service
    matches on: a commitment's identifiers, a source's content) answers 200 with the first
    row; the service says whether it inserted the row."""

    input_class: type[Serializer]
    # The actions an API client must send an Idempotency-Key for (428 without one): the
    # writes of dated facts, which a retry would otherwise record twice. The admin calls
    # the services directly and needs none.
    keyed_actions: frozenset[str] = frozenset()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authenticated and allowed first
        if self.action in self.keyed_actions:
            require_idempotency_key(request)

    def write(self, **data: Any) -> Model:
        raise NotImplementedError

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        written = self.write(**keyed_input(request, self.input_class))
        (obj,) = self.prepare([self.get_queryset().get(pk=written.pk)])
        return Response(
            self.get_serializer(obj).data,
            status=status.HTTP_201_CREATED if was_created(written) else status.HTTP_200_OK,
        )
