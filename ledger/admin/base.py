"""What every ledger admin shares: forms that write through ``ledger.services``.

A ``ServiceForm`` validates by calling its service inside a savepoint that is always
rolled back, so every rule the services enforce shows next to its field before anything
is saved; the admin then calls the same service for real in ``save_model``. Nothing in
the admin writes to the ledger any other way.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.forms.models import InlineForeignKeyField
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin


class _DryRun(Exception):
    """Raised inside the validation savepoint so that it always rolls back."""


class ServiceForm(forms.ModelForm):
    """A model form whose ``create`` / ``update`` call a service with the cleaned data.

    ``user_name`` is the editor's, set by the admin before the real write.
    """

    user_name = ""

    def create(self, data: dict[str, Any]) -> models.Model:
        raise ValidationError("New rows of this kind are not added here.")

    def update(self, instance: models.Model, changes: dict[str, Any]) -> models.Model:
        from ledger.services import edit

        return edit(instance, changes)

    def write(self) -> models.Model:
        # Only the fields the form edits: an inline formset adds the row's id and the
        # parent's foreign key, which each inline form's ``create`` supplies itself.
        declared = self._meta.fields or list(self.fields)
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name in declared and not isinstance(self.fields[name], InlineForeignKeyField)
        }
        if self.instance.pk is None:
            return self.create(data)
        return self.update(
            self.instance, {name: data[name] for name in self.changed_data if name in data}
        )

    def _post_clean(self) -> None:
        # Instead of the model's full_clean: the service validates, in a throwaway savepoint.
        if self.errors:
            return
        try:
            with transaction.atomic():
                self.write()
                raise _DryRun
        except _DryRun:
            pass
        except ValidationError as error:
            self.add_service_errors(error)
        except IntegrityError as error:
            # A database rule the service does not check first refuses it all the same:
            # say so above the form rather than fail when saving.
            self.add_error(None, f"The ledger refuses this: {str(error).splitlines()[0]}")

    def add_service_errors(self, error: ValidationError) -> None:
        """Put each message next to its field; messages about fields not on the form
        (or about no field) go above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, field_errors in error.error_dict.items():
            name = field.removesuffix("_id")
            target = name if name in self.fields else None
            for message in ValidationError(field_errors).messages:
                if target is None and field != NON_FIELD_ERRORS:
                    self.add_error(None, f"{field.replace('_', ' ')}: {message}")
                else:
                    self.add_error(target, message)


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves go through its ``ServiceForm``."""

    form = ServiceForm
    # Actions also offered as a button on an object's page: action name to button label.
    object_actions: dict[str, str] = {}

    class Media:
        css = {"all": ["ledger/admin.css"]}

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        available = self.get_actions(request)
        obj = self.get_object(request, unquote(object_id))
        buttons = [
            (name, label)
            for name, label in self.object_actions.items()
            if name in available and obj is not None and applies(available[name][0], obj)
        ]
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "object_actions": buttons}
        )

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        # Inline rows are written by services that need their parent saved, so they are
        # offered on its page once it exists, not on the add page.
        return list(super().get_inlines(request, obj)) if obj is not None else []

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        """Offer a form action only to users holding the permission it needs."""
        actions: dict[str, Any] = super().get_actions(request)
        return {
            name: (function, *rest)
            for name, (function, *rest) in actions.items()
            if request.user.has_perm(getattr(function, "required_permission", None) or "")
            or not hasattr(function, "required_permission")
        }

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        form.user_name = request.user.get_username()
        saved = form.write()
        obj.pk = saved.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not inline_form.has_changed():
                continue
            inline_form.user_name = request.user.get_username()
            if inline_form.instance.pk is None:
                formset.new_objects.append(inline_form.write())
            else:
                formset.changed_objects.append((inline_form.write(), inline_form.changed_data))


class EditableAdmin(ServiceAdmin, SimpleHistoryAdmin):
    """For models that change after they are recorded: their history (who changed what,
    when, before and after) is a button on every object's page."""


class AddOnlyInline(admin.TabularInline):
    """Rows already recorded show read-only; new ones can be added; none deleted."""

    extra = 1
    can_delete = False
    show_change_link = True

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NoDeleteMixin:
    """For rows the database itself refuses to delete: offer no delete button."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def form_action(
    *,
    form_class: type[forms.Form],
    perform: Callable[[Any, dict[str, Any], HttpRequest], Any],
    title: str,
    done: str,
    permission: str,
    refuses: Callable[[Any], str | None] | None = None,
) -> Callable[[admin.ModelAdmin, HttpRequest, Any], HttpResponse | None]:
    """An admin action that first asks for the values ``form_class`` defines (a date, a
    source, a reason), then calls ``perform(obj, cleaned_data, request)`` for each selected
    row in one transaction. A service's ``ValidationError`` shows next to its field and
    nothing is written. Only users with ``permission`` (e.g. ``ledger.add_pause``) see it.

    ``refuses(obj)`` says why the action does not apply to a row (``None`` when it does):
    such a row gets no button on its page, and selecting it in the list writes nothing
    and says why, before any value is asked for.
    """

    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Any) -> Any:
        reasons = [reason for reason in map(refuses, queryset) if reason] if refuses else []
        if reasons:
            modeladmin.message_user(
                request, f"Nothing was recorded: {'; '.join(reasons)}.", messages.ERROR
            )
            return None
        form = form_class(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            current = None
            try:
                with transaction.atomic():
                    for current in queryset:
                        perform(current, form.cleaned_data, request)
            except ValidationError as error:
                add_errors(form, error, prefix=str(current))
            else:
                modeladmin.message_user(
                    request, done.format(count=queryset.count()), messages.SUCCESS
                )
                return None
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "opts": modeladmin.model._meta,
            "form": form,
            "objects": list(queryset),
            "action": request.POST.get("action"),
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "media": modeladmin.media + form.media,
        }
        return TemplateResponse(request, "admin/ledger/action_form.html", context)

    action.__name__ = title.lower().replace(" ", "_")
    action.required_permission = permission  # type: ignore[attr-defined]
    action.refuses = refuses  # type: ignore[attr-defined]
    return admin.action(description=title)(action)


def applies(action: Callable[..., Any], obj: Any) -> bool:
    """Whether an action applies to ``obj`` (see ``form_action``'s ``refuses``)."""
    refuses = getattr(action, "refuses", None)
    return refuses is None or refuses(obj) is None


def add_errors(form: forms.Form, error: ValidationError, *, prefix: str) -> None:
    messages_by_field: Iterable[tuple[str, list[str]]] = (
        error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]
    )
    for field, field_messages in messages_by_field:
        target = field if field in form.fields else None
        for message in field_messages:
            form.add_error(target, message if target else f"{prefix}: {message}")
