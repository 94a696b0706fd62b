"""The admin site every app registers with: branded, the ledger first, and the Celery
schedules (django_celery_beat) for superusers only.

It is the default site (``config.apps.AdminConfig``), so ``admin.site`` and every
``@admin.register`` elsewhere use it. It lives outside ``ledger.admin`` on purpose:
importing that package registers models with ``admin.site``, which would build the
default site again while it is being built.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.db.models.base import ModelBase
from django.http import HttpRequest

BRAND = "aidledger"
# The project's own apps come first, in this order (the news review beside the ledger it
# feeds); the others keep Django's order.
APPS_FIRST = ("ledger", "news", "ingest")
# Whoever edits these schedules decides what the workers run: operators, not editors.
SUPERUSER_ONLY_APPS = frozenset({"django_celery_beat"})


class SuperusersOnlyAdmin(admin.ModelAdmin):
    """Shown to superusers only, whatever permissions another staff user holds."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class AidLedgerAdminSite(admin.AdminSite):
    site_header = BRAND
    site_title = BRAND
    index_title = f"{BRAND} administration"

    def register(
        self,
        model_or_iterable: ModelBase | Iterable[ModelBase],
        admin_class: type[admin.ModelAdmin] | None = None,
        **options: Any,
    ) -> None:
        models: Iterable[Any] = (
            [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        )
        for model in models:
            super().register(model, self._admin_class_for(model, admin_class), **options)

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[Any]:
        """Django's list (the index and the sidebar), the project's apps moved first."""
        apps = super().get_app_list(request, app_label)
        return sorted(apps, key=lambda app: _position(app["app_label"]))

    @staticmethod
    def _admin_class_for(
        model: type[Model], admin_class: type[admin.ModelAdmin] | None
    ) -> type[admin.ModelAdmin]:
        chosen = admin_class or admin.ModelAdmin
        if model._meta.app_label not in SUPERUSER_ONLY_APPS:
            return chosen
        return type(f"SuperusersOnly{chosen.__name__}", (SuperusersOnlyAdmin, chosen), {})


def _position(app_label: str) -> int:
    return APPS_FIRST.index(app_label) if app_label in APPS_FIRST else len(APPS_FIRST)
