"""Query parameters that are not filters: the figures' currency and time axes, and the
summary's groupings. Each is validated; a bad value is a 400 naming the parameter."""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.settings import api_settings

from api.dates import DateField, DateTimeField
from api.pagination import paging_params, unknown_paging_reasons
from ledger.models import FxRate
from ledger.money import BASE_CURRENCY, is_currency_code
from ledger.selectors.figures import GROUPINGS

FIGURE_PARAMS = ("currency", "as_of", "known_at")
FORMAT = api_settings.URL_FORMAT_OVERRIDE or "format"


class FigureParams(serializers.Serializer):
    """``?currency=`` (EUR by default), ``?as_of=YYYY-MM-DD`` (valid time) and
    ``?known_at=`` an ISO 8601 moment (transaction time; UTC if no offset is given)."""

    currency = serializers.CharField(default=BASE_CURRENCY, max_length=3)
    as_of = DateField(required=False, allow_null=True, default=None)
    known_at = DateTimeField(required=False, allow_null=True, default=None)

    def validate_currency(self, value: str) -> str:
        value = value.upper()
        if not is_currency_code(value):
            raise serializers.ValidationError(f"{value} is not an ISO 4217 currency code.")
        if value != BASE_CURRENCY and not FxRate.objects.filter(currency=value).exists():
            raise serializers.ValidationError(f"The ledger has no exchange rates for {value}.")
        return value

    def validate_known_at(self, value: datetime | None) -> datetime | None:
        if value is not None and timezone.is_naive(value):
            return timezone.make_aware(value, UTC)
        return value


class SummaryParams(FigureParams):
    group_by = serializers.CharField(default="donor")

    def validate_group_by(self, value: str) -> list[str]:
        groups = [g.strip() for g in value.split(",") if g.strip()]
        unknown = [g for g in groups if g not in GROUPINGS]
        if unknown or not groups:
            raise serializers.ValidationError(
                f"Unknown grouping {', '.join(unknown) or '(none)'}; use one or more of "
                f"{', '.join(GROUPINGS)}, comma-separated."
            )
        return list(dict.fromkeys(groups))


def parse(params_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """The validated parameters, or a 400 listing each bad one by name."""
    names = params_class().fields.keys()
    given = {name: request.query_params[name] for name in names if name in request.query_params}
    params = params_class(data=given)
    params.is_valid(raise_exception=True)
    return dict(params.validated_data)


def refuse_unknown(
    request: Request, allowed: set[str], *, reasons: Mapping[str, str] | None = None
) -> None:
    """A parameter the endpoint does not know is an error, not silently ignored; where
    ``reasons`` says why it does not take one (a page of a CSV list), the error says so."""
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        why = reasons or {}
        raise ValidationError(
            {
                name: [f"Unknown parameter. {why[name]}" if name in why else "Unknown parameter."]
                for name in unknown
            }
        )


def refuse_unknown_in_list(request: Request, *, paginator: Any, known: set[str]) -> None:
    """A list takes ``known`` (its filters and parameters of its own), ``format``, and its
    paginator's parameters unless it streams CSV, which has no pages."""
    csv = request.accepted_renderer.format == "csv"
    refuse_unknown(
        request,
        known | {FORMAT} | paging_params(paginator, csv=csv),
        reasons=unknown_paging_reasons(paginator, csv=csv),
    )
