"""One FilterSet per resource, on a shared base (after NetBox's ``BaseFilterSet``).

Every model field a client could ask about has a filter: choices and relations take
several values (``?donor=1&donor=2``), dates and amounts take ``__gte`` / ``__lte``, and
``q`` searches the resource's text and the names and aliases of the organizations it
names. ``tests/api/base.py`` (test_every_model_field_has_a_filter)
fails when a model field has none.
"""

from datetime import UTC, datetime
from typing import Any

import django_filters as filters
from django import forms
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django_filters.fields import ModelMultipleChoiceField

from api.dates import DateFilter, refuse_nonexistent_day
from ledger.models import (
    AidCategory,
    Commitment,
    CoordinationBody,
    DatePrecision,
    Event,
    EventKind,
    FxRate,
    Instrument,
    LedgerEntry,
    Mandate,
    Organization,
    OrganizationKind,
    Pause,
    RateProvider,
    ReportedTotal,
    Responsibility,
    Source,
    Stage,
)
from ledger.selectors.organizations import organizations_matching
from ledger.selectors.pauses import in_force_condition

RANGE = ["exact", "gte", "lte"]


class StrictBooleanField(forms.NullBooleanField):
    """``true`` / ``false`` (or ``1`` / ``0``); anything else is an error. Django's field
    reads an unknown word as "no value", so ``?is_verified=no`` would drop the filter and
    answer the whole list."""

    widget = forms.TextInput  # NullBooleanSelect would turn unknown words into None first

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        if value in (None, ""):
            return None
        text = str(value).lower()
        if text in {"true", "1"}:
            return True
        if text in {"false", "0"}:
            return False
        raise forms.ValidationError("Enter true or false.", code="invalid")


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


class UTCDateTimeField(forms.DateTimeField):
    """A moment, handed to the database in UTC: PostgreSQL refuses offsets beyond
    ±15:59 that Python reads (``…T10:00-21:53``), which would be a 500."""

    def to_python(self, value: Any) -> datetime | None:
        refuse_nonexistent_day(value, moment=True)
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


class UTCDateTimeFilter(filters.DateTimeFilter):
    field_class = UTCDateTimeField


class RowChoiceField(ModelMultipleChoiceField):
    """Ids are checked against the range of the database's keys before they reach it:
    SQLite cannot even bind an integer past 64 bits (an OverflowError, so a 500)."""

    def _check_values(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            try:
                number = int(str(pk))
            except ValueError:
                continue  # not a number: the parent says so, as an invalid id
            if not -(2**63) <= number < 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)  # type: ignore[misc]


class IdField(forms.IntegerField):
    """A row's id: an integer the database can hold (so never a 500, nor 1.5 read as 1)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=-(2**63), max_value=2**63 - 1, **kwargs)


class IdFilter(filters.NumberFilter):
    field_class = IdField  # type: ignore[assignment]  # an integer, not NumberFilter's decimal


class RowsFilter(filters.ModelMultipleChoiceFilter):
    """Rows by id, repeatable (``?donor=1&donor=2``). Without DISTINCT, which a filter
    across a to-one relation does not need and which costs a sort of every match; a
    filter across a to-many relation passes ``distinct=True``."""

    field_class = RowChoiceField

    def __init__(self, *args: Any, distinct: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, distinct=distinct, **kwargs)


def crosses_to_many(model: type[models.Model], path: str) -> bool:
    """Whether a lookup path (``donor__aliases__alias``) passes a to-many relation, so
    that filtering on it can return a row once per related match."""
    for part in path.split(LOOKUP_SEP):
        field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        if field.one_to_many or field.many_to_many:
            return True
        if not field.is_relation:
            return False
        model = field.related_model  # type: ignore[assignment]
    return False


class BaseFilterSet(filters.FilterSet):
    """``q``: a search, case-insensitive in every script, over the subclass's
    ``search_fields`` (text) and ``search_organizations`` (relations to organizations,
    matched by the organization's name or any of its aliases). Boolean filters
    (``is_verified``, ``ends_on__isnull``...) refuse values other than true/false, moments
    (``created_at__gte``...) reach the database in UTC, and a date that does not exist
    (``value_date=2025-02-30``) is refused as such."""

    FILTER_DEFAULTS = {
        **filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
        models.DateTimeField: {"filter_class": UTCDateTimeFilter},
        models.DateField: {"filter_class": DateFilter},
    }
    search_fields: tuple[str, ...] = ()
    search_organizations: tuple[str, ...] = ()
    q = filters.CharFilter(method="search", label="Search")

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": text})
        if self.search_organizations:
            matching = organizations_matching(text).values("pk")
            for relation in self.search_organizations:
                condition |= Q(**{f"{relation}__in": matching})
        paths = (*self.search_fields, *self.search_organizations)
        many = any(crosses_to_many(queryset.model, path) for path in paths)
        return queryset.filter(condition).distinct() if many else queryset.filter(condition)


def organizations(
    label: str, field_name: str, *, distinct: bool = False
) -> filters.ModelMultipleChoiceFilter:
    return RowsFilter(
        field_name=field_name, queryset=Organization.objects.all(), label=label, distinct=distinct
    )


def choices(field_name: str, options: list[tuple[str, str]]) -> filters.MultipleChoiceFilter:
    """Values of a field of the row or of a to-one relation: no DISTINCT needed."""
    return filters.MultipleChoiceFilter(field_name=field_name, choices=options, distinct=False)


class OrganizationFilterSet(BaseFilterSet):
    search_fields = ("iati_identifier",)
    search_organizations = ("pk",)
    kind = choices("kind", OrganizationKind.choices)
    parent = organizations("Parent organization", "parent")
    country_code = filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Organization
        fields = {
            "name": ["exact", "icontains"],
            "iati_identifier": ["exact"],
            "is_verified": ["exact"],
            "created_at": ["gte", "lte"],
        }


class CommitmentFilterSet(BaseFilterSet):
    search_fields = (
        "title",
        "description",
        "identifiers__value",
        "channel__name",
        "channel__acronym",
    )
    search_organizations = ("donor", "recipient")
    donor = organizations("Donor", "donor")
    recipient = organizations("Recipient", "recipient")
    category = choices("category", AidCategory.choices)
    instrument = choices("instrument", Instrument.choices)
    announced_on_precision = choices("announced_on_precision", DatePrecision.choices)
    country_code = filters.CharFilter(
        field_name="donor__country_code", lookup_expr="iexact", label="Donor's country code"
    )
    stage = filters.MultipleChoiceFilter(
        choices=Stage.choices, method="with_stage", label="Has entries at stage"
    )
    channel = RowsFilter(queryset=CoordinationBody.objects.all())
    source = RowsFilter(queryset=Source.objects.all())
    identifier = filters.CharFilter(field_name="identifiers__value", label="External identifier")

    class Meta:
        model = Commitment
        fields = {
            "title": ["icontains"],
            "announced_on": RANGE,
            "period_start": RANGE,
            "period_end": RANGE,
            "created_at": ["gte", "lte"],
        }

    def with_stage(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        entries = LedgerEntry.objects.filter(commitment=OuterRef("pk"), stage__in=value)
        return queryset.filter(Exists(entries))


class LedgerEntryFilterSet(BaseFilterSet):
    search_fields = ("note", "commitment__title", "idempotency_key")
    search_organizations = ("commitment__donor", "commitment__recipient")
    commitment = RowsFilter(queryset=Commitment.objects.all())
    donor = organizations("Donor", "commitment__donor")
    recipient = organizations("Recipient", "commitment__recipient")
    category = choices("commitment__category", AidCategory.choices)
    stage = choices("stage", Stage.choices)
    currency = filters.CharFilter(method="in_currencies", label="Currency (comma-separated)")
    value_date_precision = choices("value_date_precision", DatePrecision.choices)
    country_code = filters.CharFilter(
        field_name="commitment__donor__country_code", lookup_expr="iexact"
    )
    source = RowsFilter(queryset=Source.objects.all())
    is_reversal = StrictBooleanFilter(field_name="reverses", lookup_expr="isnull", exclude=True)
    reverses = IdFilter()

    class Meta:
        model = LedgerEntry
        fields = {
            "amount": ["gte", "lte"],
            "value_date": RANGE,
            "recorded_at": ["gte", "lte"],
            "idempotency_key": ["exact"],
            "recorded_by": ["exact"],
            "note": ["icontains"],
        }

    def in_currencies(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(currency__in=[c.strip().upper() for c in value.split(",")])


class PauseFilterSet(BaseFilterSet):
    search_fields = ("description", "reason", "commitment__title")
    search_organizations = ("donor", "ordered_by")
    donor = organizations("Donor", "donor")
    ordered_by = organizations("Ordered by", "ordered_by")
    commitment = RowsFilter(queryset=Commitment.objects.all())
    category = choices("category", AidCategory.choices)
    paused_on_precision = choices("paused_on_precision", DatePrecision.choices)
    active_on = DateFilter(method="in_force_on", label="In force on (date)")
    source = RowsFilter(queryset=Source.objects.all())
    resumption_source = RowsFilter(queryset=Source.objects.all())

    class Meta:
        model = Pause
        fields = {
            "paused_on": RANGE,
            "resumed_on": [*RANGE, "isnull"],
            "recorded_at": ["gte", "lte"],
            "resumption_recorded_at": ["gte", "lte"],
            "idempotency_key": ["exact"],
            "description": ["icontains"],
        }

    def in_force_on(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        return queryset.filter(in_force_condition(value))  # type: ignore[arg-type]


class CoordinationBodyFilterSet(BaseFilterSet):
    search_fields = ("name", "acronym", "description")
    search_organizations = ("memberships__organization",)
    member = organizations("Member organization", "memberships__organization", distinct=True)

    class Meta:
        model = CoordinationBody
        fields = {
            "name": ["exact", "icontains"],
            "acronym": ["exact"],
            "created_at": ["gte", "lte"],
        }


class MandateFilterSet(BaseFilterSet):
    search_fields = (
        "note",
        "body__name",
        "body__acronym",
        "responsibility__name",
        "responsibility__code",
    )
    search_organizations = ("body__memberships__organization",)
    body = RowsFilter(queryset=CoordinationBody.objects.all())
    responsibility = RowsFilter(queryset=Responsibility.objects.all())
    responsibility_code = filters.CharFilter(field_name="responsibility__code")
    starts_on_precision = choices("starts_on_precision", DatePrecision.choices)
    active_on = DateFilter(method="held_on", label="In force on (date)")
    predecessor = IdFilter()
    source = RowsFilter(queryset=Source.objects.all())
    end_source = RowsFilter(queryset=Source.objects.all())

    class Meta:
        model = Mandate
        fields = {
            "starts_on": RANGE,
            "ends_on": [*RANGE, "isnull"],
            "recorded_at": ["gte", "lte"],
            "idempotency_key": ["exact"],
            "note": ["icontains"],
        }

    def held_on(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        return queryset.filter(starts_on__lte=value).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=value)
        )


class SourceFilterSet(BaseFilterSet):
    search_fields = ("title", "publisher", "url", "excerpt")

    class Meta:
        model = Source
        fields = {
            "url": ["exact", "icontains"],
            "publisher": ["exact", "icontains"],
            "title": ["icontains"],
            "published_on": RANGE,
            "retrieved_at": ["gte", "lte"],
            "excerpt": ["icontains"],
            "created_at": ["gte", "lte"],
        }


class FxRateFilterSet(BaseFilterSet):
    search_fields = ("currency",)
    currency = filters.CharFilter(method="in_currencies", label="Currency (comma-separated)")
    provider = choices("provider", RateProvider.choices)
    source = RowsFilter(queryset=Source.objects.all())

    class Meta:
        model = FxRate
        fields = {"date": RANGE, "rate": ["gte", "lte"]}

    def in_currencies(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(currency__in=[c.strip().upper() for c in value.split(",")])


class EventFilterSet(BaseFilterSet):
    search_fields = ("title", "description", "place", "body__name", "body__acronym")
    search_organizations = ("participants",)
    kind = choices("kind", EventKind.choices)
    body = RowsFilter(queryset=CoordinationBody.objects.all())
    participant = organizations("Participant", "participants", distinct=True)
    occurred_on_precision = choices("occurred_on_precision", DatePrecision.choices)
    source = RowsFilter(queryset=Source.objects.all())

    class Meta:
        model = Event
        fields = {
            "occurred_on": RANGE,
            "place": ["exact", "icontains"],
            "recorded_at": ["gte", "lte"],
            "idempotency_key": ["exact"],
            "title": ["icontains"],
        }


class ReportedTotalFilterSet(BaseFilterSet):
    search_fields = ("note",)
    search_organizations = ("donor", "recipient")
    donor = organizations("Donor", "donor")
    recipient = organizations("Recipient", "recipient")
    stage = choices("stage", Stage.choices)
    qualifier = filters.CharFilter()
    currency = filters.CharFilter(lookup_expr="iexact")
    period_start_precision = choices("period_start_precision", DatePrecision.choices)
    as_of_precision = choices("as_of_precision", DatePrecision.choices)
    source = RowsFilter(queryset=Source.objects.all())

    class Meta:
        model = ReportedTotal
        fields = {
            "amount": ["gte", "lte"],
            "period_start": RANGE,
            "as_of": RANGE,
            "recorded_at": ["gte", "lte"],
            "idempotency_key": ["exact"],
        }
