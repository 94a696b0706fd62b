"""Machine clients authenticate with ``Authorization: Api-Key <key>``; an unknown,
revoked or expired key is a 401, never a silent anonymous request."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle
from rest_framework_api_key.permissions import KeyParser

from api.models import ApiKey


class ApiKeyAuthentication(BaseAuthentication):
    keyword = "Api-Key"

    def authenticate(self, request: Request) -> tuple[Any, ApiKey] | None:
        key = KeyParser().get(request)
        if not key:
            return None
        try:
            api_key = ApiKey.objects.get_from_key(key)
        except ApiKey.DoesNotExist as error:
            raise AuthenticationFailed("Unknown or revoked API key.") from error
        if api_key.has_expired:
            raise AuthenticationFailed("This API key has expired.")
        return AnonymousUser(), api_key  # type: ignore[return-value]

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class AnonymousThrottle(AnonRateThrottle):
    """Throttles requests with neither a logged-in user nor an API key."""

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiKey):
            return None
        return super().get_cache_key(request, view)
