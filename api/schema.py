"""What drf-spectacular cannot infer: the API-key scheme, the parameters that are not
filters, and the error responses every operation may give (one shared shape)."""

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import SAFE_METHODS

from api.params import FIGURE_PARAMS

CURRENCY = OpenApiParameter(
    "currency", OpenApiTypes.STR, description="ISO 4217 code the figures are given in (EUR)."
)
AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    description="Valid time: entries whose value date is on or before it; pauses in force on it.",
)
KNOWN_AT = OpenApiParameter(
    "known_at",
    OpenApiTypes.DATETIME,
    description="Transaction time: only what the ledger had recorded by this moment (UTC "
    "if no offset is given).",
)
FIGURE_PARAMETERS = [CURRENCY, AS_OF, KNOWN_AT]
FORMAT = OpenApiParameter(
    "format", OpenApiTypes.STR, enum=["json", "csv"], description="csv streams the whole list."
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": 200},
    location=OpenApiParameter.HEADER,
    required=True,
    description="Makes a retry safe: the same key and body return the first result (200); "
    "the same key with another body is a 409. Without it (or the body's idempotency_key) "
    "the write is a 428. A reversal and a resumption happen at most once, so their replays "
    "are matched on the entry or pause.",
)


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'An editor or viewer key, sent as "Api-Key <key>".',
        }


ERRORS = {
    "400": "Invalid input or query parameter; `fields` names each.",
    "401": "Unknown, revoked or expired API key, or a write without credentials.",
    "403": "Not allowed for this user or key.",
    "404": "No such row.",
    "405": "Method not allowed (entries are never changed or deleted).",
    "406": "Cannot produce the format asked for.",
    "409": "Idempotency key reused for other content, already reversed / resumed, or a "
    "mandate that would end another body's without hands_over (`fields` names that one).",
    "413": "Request body too large.",
    "415": "Unsupported media type.",
    "429": "Too many requests from this address (anonymous, or with refused credentials) "
    "or with this API key.",
}


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: every operation documents the error shape it may answer with,
    and every creation the 200 of a replay."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": {"type": "string"},
            "message": {"type": "string"},
            "fields": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
    }
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                responses.setdefault(status, {"description": description, "content": error})
            if needs_idempotency_key(operation):
                responses["428"] = {"description": NO_IDEMPOTENCY_KEY, "content": error}
            if method == "post" and "201" in responses and "200" not in responses:
                responses["200"] = {**responses["201"], "description": REPLAY}
    return result


NO_IDEMPOTENCY_KEY = "No Idempotency-Key header (nor idempotency_key field); `fields` names it."


def needs_idempotency_key(operation: dict[str, Any]) -> bool:
    return any(
        parameter.get("in") == "header" and parameter.get("name") == IDEMPOTENCY_KEY.name
        for parameter in operation.get("parameters", [])
    )


REPLAY = (
    "A replay: the row this idempotency key (or, for sources and commitments, the same "
    "content or identifier; for a reversal, the same entry) recorded first. Nothing new "
    "was written."
)


class LedgerAutoSchema(AutoSchema):
    """Documents, for every viewset at once, what its code does: ``POST`` takes the
    viewset's ``input_class`` (and an Idempotency-Key for its ``keyed_actions``), lists take
    ``?format=``, and commitments take the figures' parameters."""

    def get_auth(self) -> list[dict[str, Any]]:
        """Reads are open to anonymous callers unless API_READ_REQUIRES_AUTHENTICATION:
        ``{}`` says so (drf-spectacular knows it only of AllowAny and its kin)."""
        auth = list(super().get_auth())
        public = not settings.API_READ_REQUIRES_AUTHENTICATION
        if public and self.method in SAFE_METHODS and {} not in auth:
            auth.append({})
        return auth

    def get_request_serializer(self) -> Any:
        if self.method == "POST" and getattr(self.view, "action", None) == "create":
            return getattr(self.view, "input_class", None) or super().get_request_serializer()
        return super().get_request_serializer()

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        action = getattr(self.view, "action", None)
        if action == "list":
            parameters.append(FORMAT)
        if action in {"list", "retrieve"} and set(FIGURE_PARAMS) <= set(
            getattr(self.view, "extra_params", ())
        ):
            parameters.extend(FIGURE_PARAMETERS)
        if action in getattr(self.view, "keyed_actions", ()):
            parameters.append(IDEMPOTENCY_KEY)
        return parameters
