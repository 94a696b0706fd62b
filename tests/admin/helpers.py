"""What the admin tests share, so every model is exercised the same way (the NetBox style):
admin URLs by model and view, the forms of a page read as a browser would submit them,
the actions a page offers, and one sample row per registered model, made through the
services like every other write."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

from django.contrib import admin
from django.db import models
from django.urls import reverse

from ledger import services
from ledger.models import (
    BodyMembership,
    Commitment,
    CommitmentIdentifier,
    CoordinationBody,
    Event,
    FxRate,
    LedgerEntry,
    Mandate,
    Organization,
    OrganizationAlias,
    Pause,
    ReportedTotal,
    Responsibility,
    Source,
)
from news.models import Article, Candidate
from tests.news.admin_rows import make_article, pledge

# ---------------------------------------------------------------------------------------
# URLs and the registry


def ledger_models(app_label: str = "ledger") -> list[type[models.Model]]:
    """Every model the admin site registers for an app (the ledger's unless said), in a
    stable order."""
    return sorted(
        (model for model in admin.site._registry if model._meta.app_label == app_label),
        key=lambda model: model._meta.model_name or "",
    )


def admin_url(model: type[models.Model] | models.Model, view: str, *args: Any) -> str:
    """``admin_url(Pause, "changelist")``, ``admin_url(pause, "change")`` (the row's pk)."""
    opts = model._meta
    if isinstance(model, models.Model) and not args and view not in {"changelist", "add"}:
        args = (model.pk,)
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def count_of(model: type[models.Model]) -> int:
    return model._default_manager.count()


# ---------------------------------------------------------------------------------------
# Reading a page's forms as a browser would submit them


@dataclass
class HtmlForm:
    attrs: dict[str, str]
    fields: list[tuple[str, str]]

    def data(self) -> dict[str, list[str]]:
        """The values a browser would post, ready for ``client.post``."""
        values: dict[str, list[str]] = {}
        for name, value in self.fields:
            values.setdefault(name, []).append(value)
        return values

    def value(self, name: str) -> str | None:
        return next((value for field, value in self.fields if field == name), None)


class _FormParser(HTMLParser):
    """Collects every ``<form>`` with the successful controls a browser would submit
    (enabled, named, checked boxes only, a select's selected or else first option);
    inline "empty form" templates (names with ``__prefix__``) are left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: dict[str, Any] | None = None
        self._option: dict[str, Any] | None = None
        self._textarea: dict[str, Any] | None = None

    def _add(self, name: str | None, value: str) -> None:
        if self._form is not None and name and "__prefix__" not in name:
            self._form.fields.append((name, value))

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {key: value or "" for key, value in attr_list}
        disabled = "disabled" in attrs
        if tag == "form":
            self._form = HtmlForm(attrs=attrs, fields=[])
            self.forms.append(self._form)
        elif tag == "input" and not disabled:
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            default = "on" if kind in {"checkbox", "radio"} else ""
            self._add(attrs.get("name"), attrs.get("value", default))
        elif tag == "select":
            self._select = {
                "name": None if disabled else attrs.get("name"),
                "multiple": "multiple" in attrs,
                "options": [],
            }
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": attrs.get("value"),
                "text": "",
                "selected": "selected" in attrs,
            }
            self._select["options"].append(self._option)
        elif tag == "textarea":
            self._textarea = {"name": None if disabled else attrs.get("name"), "text": ""}

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            options = self._select["options"]
            chosen = [option for option in options if option["selected"]]
            if not chosen and options and not self._select["multiple"]:
                chosen = options[:1]
            for option in chosen:
                value = option["value"] if option["value"] is not None else option["text"]
                self._add(self._select["name"], value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the newline that follows <textarea>.
            self._add(self._textarea["name"], self._textarea["text"].removeprefix("\n"))
            self._textarea = None


def html_forms(response: Any) -> list[HtmlForm]:
    parser = _FormParser()
    parser.feed(response.content.decode())
    return parser.forms


def change_form(response: Any) -> HtmlForm:
    """The admin's add/change form of a page (``<form id="<model>_form">``)."""
    model_name = response.context["opts"].model_name
    (form,) = [f for f in html_forms(response) if f.attrs.get("id") == f"{model_name}_form"]
    return form


def object_action_buttons(response: Any) -> list[HtmlForm]:
    """The forms behind the action buttons of an object's page."""
    return [f for f in html_forms(response) if "object-action" in f.attrs.get("class", "")]


def object_action_button(response: Any, action: str) -> HtmlForm:
    """The button of an object's page that runs ``action`` on that object."""
    (button,) = [f for f in object_action_buttons(response) if f.value("action") == action]
    return button


def offered_actions(response: Any) -> set[str]:
    """The names of the actions a changelist offers in its action menu."""
    action_form = response.context["action_form"]
    if action_form is None:
        return set()
    return {name for name, _ in action_form.fields["action"].choices if name}


def form_errors(response: Any) -> dict[str, list[str]]:
    """The field errors of the main form of an add/change page (``""``: above the form)."""
    errors = response.context["adminform"].form.errors
    return {("" if field == "__all__" else field): list(msgs) for field, msgs in errors.items()}


# ---------------------------------------------------------------------------------------
# One sample row per registered model


@dataclass
class World:
    """The rows the samples build on (the fixtures of ``tests/conftest.py``)."""

    ukraine: Organization
    united_states: Organization
    source: Source
    commitment: Commitment


@dataclass
class Sample:
    obj: models.Model
    search: str  # a ``?q=`` that finds it in its changelist


def body(world: World) -> CoordinationBody:
    return services.create_coordination_body(
        name="Ukraine Defense Contact Group", acronym="UDCG", description="The Ramstein group."
    )


def responsibility(world: World) -> Responsibility:
    return services.create_responsibility(
        code="military-coordination", name="Coordinating military aid"
    )


def entry(world: World, **values: Any) -> LedgerEntry:
    return services.record_entry(
        **{
            "commitment": world.commitment,
            "stage": "commitment",
            "amount": Decimal("100"),
            "currency": "USD",
            "value_date": date(2025, 1, 10),
            "source": world.source,
            "note": "First tranche",
            **values,
        }
    )


def pause(world: World, **values: Any) -> Pause:
    return services.pause(
        **{
            "donor": world.united_states,
            "category": "military",
            "description": "certain weapons",
            "paused_on": date(2025, 7, 1),
            "source": world.source,
            **values,
        }
    )


def mandate(world: World) -> Mandate:
    return services.assign_mandate(
        body=body(world),
        responsibility=responsibility(world),
        starts_on=date(2022, 4, 26),
        source=world.source,
        note="Set up at Ramstein",
    )


SAMPLES: dict[type[models.Model], Callable[[World], Sample]] = {
    Organization: lambda w: Sample(w.united_states, "Washington"),
    OrganizationAlias: lambda w: Sample(w.united_states.aliases.get(alias="USA"), "USA"),
    Source: lambda w: Sample(w.source, "Example News"),
    FxRate: lambda w: Sample(
        services.record_fx_rate(
            currency="USD", date=date(2025, 1, 2), rate=Decimal("1.25"), source=w.source
        ),
        "USD",
    ),
    Commitment: lambda w: Sample(w.commitment, "drawdown"),
    CommitmentIdentifier: lambda w: Sample(
        services.add_identifier(commitment=w.commitment, scheme="iati", value="XM-DAC-41114-1"),
        "XM-DAC",
    ),
    LedgerEntry: lambda w: Sample(entry(w), "tranche"),
    Pause: lambda w: Sample(pause(w), "weapons"),
    CoordinationBody: lambda w: Sample(body(w), "UDCG"),
    BodyMembership: lambda w: Sample(
        services.set_membership(body=body(w), organization=w.united_states, role="lead"), "UDCG"
    ),
    Responsibility: lambda w: Sample(responsibility(w), "military aid"),
    Mandate: lambda w: Sample(mandate(w), "Ramstein"),
    Event: lambda w: Sample(
        services.record_event(
            kind="meeting",
            title="Contact group meets",
            occurred_on=date(2025, 2, 12),
            place="Brussels",
            body=body(w),
            participants=[w.united_states],
            source=w.source,
        ),
        "Brussels",
    ),
    ReportedTotal: lambda w: Sample(
        services.record_reported_total(
            donor=w.united_states,
            stage="disbursement",
            qualifier="at_least",
            amount=Decimal("40000000000"),
            currency="USD",
            period_start=date(2022, 2, 24),
            as_of=date(2025, 1, 1),
            source=w.source,
            note="over $40bn since February 2022",
        ),
        "40bn",
    ),
    # The review queue's rows are stored by the news adapter, not by a ledger service.
    Article: lambda w: Sample(make_article(), "Rome conference"),
    Candidate: lambda w: Sample(pledge(make_article()), "12 billion"),
}


# ---------------------------------------------------------------------------------------
# Admin actions that ask for values first


def run_action(
    client: Any, model: type[models.Model], action: str, rows: list[Any], **values: Any
) -> Any:
    """Post ``action`` for ``rows`` from ``model``'s changelist. Without ``values`` this is
    the first step (the page asking for them); with them, the form is applied."""
    data: dict[str, Any] = {
        "action": action,
        "_selected_action": [str(row.pk) for row in rows],
    }
    if values:
        data["apply"] = "1"
        data.update({name: str(value) for name, value in values.items()})
    return client.post(admin_url(model, "changelist"), data)


# ---------------------------------------------------------------------------------------
# What a valid add form holds, per registered model

ADD_VALUES: dict[type[models.Model], Callable[[World], dict[str, Any]]] = {
    Organization: lambda w: {"name": "NATO", "kind": "multilateral"},
    OrganizationAlias: lambda w: {"organization": w.united_states.pk, "alias": "Uncle Sam"},
    Source: lambda w: {"url": "example.org/news/2", "publisher": "Example News"},
    FxRate: lambda w: {
        "currency": "GBP",
        "date": "2025-03-03",
        "rate": "0.85",
        "source": w.source.pk,
    },
    Commitment: lambda w: {
        "donor": w.united_states.pk,
        "recipient": w.ukraine.pk,
        "title": "Patriot batteries",
        "category": "military",
        "announced_on": "2025-07-14",
        "source": w.source.pk,
    },
    CommitmentIdentifier: lambda w: {
        "commitment": w.commitment.pk,
        "scheme": "fts",
        "value": "FTS-1234",
    },
    LedgerEntry: lambda w: {
        "commitment": w.commitment.pk,
        "stage": "pledge",
        "amount": "1000",
        "currency": "EUR",
        "value_date": "2025-01-03",
        "source": w.source.pk,
    },
    Pause: lambda w: {
        "donor": w.united_states.pk,
        "paused_on": "2025-07-01",
        "source": w.source.pk,
    },
    CoordinationBody: lambda w: {"name": "NSATU", "acronym": "NSATU"},
    BodyMembership: lambda w: {
        "body": body(w).pk,
        "organization": w.united_states.pk,
        "role": "member",
    },
    Responsibility: lambda w: {"code": "training", "name": "Training Ukrainian forces"},
    Mandate: lambda w: {
        "body": body(w).pk,
        "responsibility": responsibility(w).pk,
        "starts_on": "2022-04-26",
        "source": w.source.pk,
    },
    Event: lambda w: {
        "kind": "agreement",
        "title": "Security agreement signed",
        "occurred_on": "2024-06-13",
        "participants": [w.united_states.pk, w.ukraine.pk],
        "source": w.source.pk,
    },
    ReportedTotal: lambda w: {
        "donor": w.united_states.pk,
        "recipient": w.ukraine.pk,
        "stage": "disbursement",
        "qualifier": "at_least",
        "amount": "40000000000",
        "currency": "USD",
        "period_start": "2022-02-24",
        "as_of": "2025-01-01",
        "source": w.source.pk,
    },
}


def post_add_form(client: Any, model: type[models.Model], values: dict[str, Any]) -> Any:
    """Post ``model``'s add form as a browser would, with ``values`` filled in."""
    data = change_form(client.get(admin_url(model, "add"))).data()
    for name, value in values.items():
        data[name] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return client.post(admin_url(model, "add"), data)
