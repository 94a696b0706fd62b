"""The timeline's rows as they leave the API: the fact (date, kind, its own id and URL) and
each object it concerns as ``{"id", "name", "url"}``, from the columns the selector joined
(ledger/selectors/timeline.py), so a row needs no query of its own."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from ledger.models import AmountQualifier
from ledger.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS
from ledger.selectors.timeline import KINDS

# The API resource each kind of fact is read at.
RECORD_VIEWS = {
    "commitment": "api:commitment-detail",
    "entry": "api:ledgerentry-detail",
    "pause": "api:pause-detail",
    "resumption": "api:pause-detail",
    "mandate_start": "api:mandate-detail",
    "mandate_end": "api:mandate-detail",
    "event": "api:event-detail",
    "reported_total": "api:reportedtotal-detail",
}


class TimelineRelatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="Its name (a commitment's or a source's title).")
    url = serializers.URLField()


class TimelineSourceSerializer(TimelineRelatedSerializer):
    publisher = serializers.CharField(help_text='"" where the source does not name one.')


class RelatedField(serializers.Field):
    """One related object from the row's ``<role>_ref`` and ``<role>_name`` columns, with
    its URL; null where the fact has no such relation."""

    parts: tuple[str, ...] = ("id", "name", "url")  # its CSV columns (api/csv.py)

    def __init__(self, *, role: str, view_name: str, allow_null: bool = True) -> None:
        self.role = role
        self.view_name = view_name
        super().__init__(source="*", read_only=True, allow_null=allow_null)

    def to_representation(self, row: dict[str, Any]) -> dict[str, Any] | None:
        pk = row[f"{self.role}_ref"]
        if pk is None:
            return None
        url = reverse(self.view_name, kwargs={"pk": pk}, request=self.context.get("request"))
        return {"id": pk, "name": row[f"{self.role}_name"] or "", "url": url}


@extend_schema_field(TimelineRelatedSerializer)
class RelatedObjectField(RelatedField):
    pass


@extend_schema_field(TimelineSourceSerializer)
class RelatedSourceField(RelatedField):
    """The source, which every fact has, with its publisher beside its title."""

    parts = (*RelatedField.parts, "publisher")

    def __init__(self) -> None:
        super().__init__(role="source", view_name="api:source-detail", allow_null=False)

    def to_representation(self, row: dict[str, Any]) -> dict[str, Any] | None:
        related = super().to_representation(row)
        return related and {**related, "publisher": row["source_publisher"] or ""}


@extend_schema_field({"type": "string", "format": "uri"})
class RecordURLField(serializers.Field):
    """The URL of the row the fact comes from (a resumption's is its pause's)."""

    def __init__(self) -> None:
        super().__init__(source="*", read_only=True)

    def to_representation(self, row: dict[str, Any]) -> str:
        view_name = RECORD_VIEWS[row["happening"]]
        return reverse(view_name, kwargs={"pk": row["record"]}, request=self.context.get("request"))


class TimelineEventSerializer(serializers.Serializer):
    date = serializers.DateField(source="happened_on")
    kind = serializers.ChoiceField(choices=KINDS, source="happening")
    id = serializers.IntegerField(source="record", help_text="The id of the row at `url`.")
    url = RecordURLField()
    title = serializers.CharField(source="headline", allow_null=True)
    detail = serializers.CharField(allow_null=True)
    amount = serializers.DecimalField(
        source="amount_value",
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
        coerce_to_string=True,
        allow_null=True,
        help_text="An entry's or a reported total's amount; null for other facts.",
    )
    currency = serializers.CharField(source="currency_code", allow_null=True)
    qualifier = serializers.ChoiceField(
        source="qualifier_code",
        choices=AmountQualifier.choices,
        allow_null=True,
        help_text="A reported total's qualifier; null for other facts.",
    )
    donor = RelatedObjectField(role="donor", view_name="api:organization-detail")
    recipient = RelatedObjectField(role="recipient", view_name="api:organization-detail")
    commitment = RelatedObjectField(role="commitment", view_name="api:commitment-detail")
    body = RelatedObjectField(role="body", view_name="api:coordinationbody-detail")
    source = RelatedSourceField()
