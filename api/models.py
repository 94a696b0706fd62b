from django.db import models
from rest_framework_api_key.models import AbstractAPIKey


class ApiKeyRole(models.TextChoices):
    EDITOR = "editor", "Editor (reads and writes)"
    VIEWER = "viewer", "Viewer (reads)"


class ApiKey(AbstractAPIKey):
    """A machine client's key (stored hashed by djangorestframework-api-key) and the role
    it acts in, as the editor and viewer groups do for people."""

    role = models.CharField(max_length=16, choices=ApiKeyRole.choices, default=ApiKeyRole.VIEWER)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "API key"
        verbose_name_plural = "API keys"
