"""Machine clients authenticate with ``Authorization: Api-Key <key>``; an unknown,
revoked or expired key is a 401, never a silent anonymous request. Refused keys count
against their address's anonymous rate, and an address that has spent it gets a 429
before its key is looked up (see api/throttling.py)."""

from typing import Any, NoReturn

from django.contrib.auth.models import AnonymousUser
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework_api_key.permissions import KeyParser

from api.models import ApiKey
from api.throttling import count_failed_authentication, refuse_spent_address


class ApiKeyAuthentication(BaseAuthentication):
    keyword = "Api-Key"

    def authenticate(self, request: Request) -> tuple[Any, ApiKey] | None:
        key = KeyParser().get(request)
        if not key:
            return None
        refuse_spent_address(request)
        try:
            api_key = ApiKey.objects.get_from_key(key)
        except ApiKey.DoesNotExist:
            refuse(request, "Unknown or revoked API key.")
        if api_key.has_expired:
            refuse(request, "This API key has expired.")
        return AnonymousUser(), api_key  # type: ignore[return-value]

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


def refuse(request: Request, reason: str) -> NoReturn:
    count_failed_authentication(request)
    raise AuthenticationFailed(reason)
