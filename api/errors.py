"""Every error leaves as JSON of one shape:

    {"code": "invalid", "message": "...", "fields": {"amount": ["..."]}}

``fields`` appears for validation errors, naming each bad field or query parameter.
Django's ``ValidationError`` from the services becomes a 400, or a 409 when an
idempotency key was reused for other content.
"""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler

CONFLICT_CODES = {
    "idempotency_conflict",
    "already_reversed",
    "already_resumed",
    # News review: a candidate decided otherwise before, or a fact the ledger holds.
    "already_decided",
    "probable_duplicate",
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "This conflicts with what the ledger already holds."

    def __init__(self, detail: Any = None, *, message: str | None = None) -> None:
        super().__init__(detail)
        self.message = message


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = "This request needs a precondition header."


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"
    default_detail = "The request body is larger than this service accepts."


def from_django(error: DjangoValidationError) -> exceptions.APIException:
    if hasattr(error, "error_dict"):
        detail: Any = error.message_dict
        codes = {e.code for errors in error.error_dict.values() for e in errors}
    else:
        detail, codes = error.messages, {e.code for e in error.error_list}
    if codes & CONFLICT_CODES:
        conflict = Conflict()
        conflict.detail = detail
        return conflict
    return exceptions.ValidationError(detail)


def as_api_exception(exc: Exception) -> Exception:
    if isinstance(exc, DjangoValidationError):
        return from_django(exc)
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    return exc


def handle_exception(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = as_api_exception(exc)
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    response.data = shape(exc)
    # An error is JSON even where CSV was asked for (?format=csv): a client reads the error
    # shape from it, and the OpenAPI description promises JSON for every error.
    request = context.get("request")
    renderer = getattr(request, "accepted_renderer", None)
    if request is not None and (renderer is None or renderer.format == "csv"):
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    return response


def shape(exc: exceptions.APIException) -> dict[str, Any]:
    code = exc.default_code
    if isinstance(exc.detail, dict):
        fields = {printable(name): messages(value) for name, value in exc.detail.items()}
        # An error may say itself what went wrong, where its fields only add detail.
        message = getattr(exc, "message", None) or summary(fields)
        return {"code": code, "message": message, "fields": fields}
    return {"code": code, "message": " ".join(messages(exc.detail))}


def summary(fields: dict[str, list[str]]) -> str:
    if len(fields) == 1:
        ((name, field_messages),) = fields.items()
        return f"{name}: {' '.join(field_messages)}"
    return f"{len(fields)} fields are not valid: {', '.join(fields)}."


def messages(value: Any) -> list[str]:
    if isinstance(value, list):
        return [m for item in value for m in messages(item)]
    if isinstance(value, dict):
        return [f"{printable(key)}: {' '.join(messages(item))}" for key, item in value.items()]
    return [printable(value)]


def printable(value: Any) -> str:
    """The text with lone surrogates (``"\\ud800"`` echoed from a bad choice) written as
    escapes: no UTF-8 can encode them, so the error could not be rendered at all."""
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")
