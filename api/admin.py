from django.contrib import admin
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from api.models import ApiKey

# The library's own key model is unused here: keys carry a role (api.models.ApiKey).
admin.site.unregister(APIKey)


@admin.register(ApiKey)
class ApiKeyAdmin(APIKeyModelAdmin):
    """The key is shown once, when it is created; only its hash is stored."""

    # The library types these as fixed-length tuples; ours are one column longer.
    list_display = (*APIKeyModelAdmin.list_display, "role")  # type: ignore[assignment]
    list_filter = (*APIKeyModelAdmin.list_filter, "role")  # type: ignore[assignment]
