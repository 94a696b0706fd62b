"""Who may do what: reading is public (unless a setting says otherwise); writing needs
the editor role, as a logged-in user in the "editor" group or with an editor API key."""

from typing import Any

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from api.models import ApiKey

EDITOR = "editor"


def is_editor(request: Request) -> bool:
    if isinstance(request.auth, ApiKey):
        return request.auth.role == EDITOR
    user = request.user
    if not (user and user.is_authenticated):
        return False
    return user.is_superuser or user.groups.filter(name=EDITOR).exists()


def is_identified(request: Request) -> bool:
    return isinstance(request.auth, ApiKey) or bool(request.user and request.user.is_authenticated)


class ReadOrEditor(BasePermission):
    message = "Writing to the ledger needs the editor role (an editor user or API key)."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return is_identified(request) or not settings.API_READ_REQUIRES_AUTHENTICATION
        return is_editor(request)
