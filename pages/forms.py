"""The pages' query string as one form: the time axes, the currency and the narrowing.

Every page takes the same five parameters, validated like the API's (same names, same
messages where they say the same thing), so a page and its API link show the same rows.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from api.dates import DateFormField, refuse_nonexistent_day
from ledger.models import AidCategory, Commitment, FxRate, Organization
from ledger.money import BASE_CURRENCY, is_currency_code

PARAMS = ("as_of", "known_at", "currency", "donor", "category")


class MomentField(forms.DateTimeField):
    """A day or an ISO 8601 moment, in UTC unless it says otherwise. A day alone means the
    end of that day: "what the ledger knew on 5 July" includes what it learnt that day."""

    def to_python(self, value: Any) -> datetime | None:
        refuse_nonexistent_day(value, moment=True)
        text = value.strip() if isinstance(value, str) else value
        if isinstance(text, str) and len(text) == len("2025-07-05"):
            day = DateFormField().to_python(text)
            return datetime.combine(day, time.max, tzinfo=UTC) if day else None
        moment = super().to_python(text)
        if moment is not None and timezone.is_naive(moment):
            moment = timezone.make_aware(moment, UTC)
        return moment.astimezone(UTC) if moment is not None else None


@dataclass(frozen=True)
class PageQuery:
    """The validated parameters, as the selectors take them."""

    as_of: date | None
    known_at: datetime | None
    currency: str
    donor: Organization | None
    category: str

    @property
    def category_label(self) -> str:
        return str(dict(AidCategory.choices).get(self.category, ""))

    def figure_params(self) -> dict[str, Any]:
        """The keywords of ``ledger.selectors.figures``' time axes and currency."""
        return {"as_of": self.as_of, "known_at": self.known_at, "currency": self.currency}

    def api_params(self) -> dict[str, str]:
        """The same parameters as the API spells them (only those given)."""
        params = {
            "as_of": self.as_of.isoformat() if self.as_of else "",
            "known_at": self.known_at.isoformat().replace("+00:00", "Z") if self.known_at else "",
            "currency": self.currency if self.currency != BASE_CURRENCY else "",
            "donor": str(self.donor.pk) if self.donor else "",
            "category": self.category,
        }
        return {name: value for name, value in params.items() if value}


def donors() -> list[tuple[int, str]]:
    """The organizations that gave something: the donor control's options."""
    rows = Organization.objects.filter(pk__in=Commitment.objects.values("donor_id"))
    return list(rows.order_by("name").values_list("pk", "name"))


def currencies() -> list[str]:
    """The currencies the ledger can convert to: the base and those it has rates for."""
    rated = FxRate.objects.order_by().values_list("currency", flat=True).distinct()
    return sorted({BASE_CURRENCY, *rated})


class PageForm(forms.Form):
    as_of = DateFormField(
        required=False,
        label="As of",
        help_text="Valid time: entries dated up to this day, pauses in force on it.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    known_at = MomentField(
        required=False,
        label="Known at",
        help_text="Transaction time: what the ledger had recorded by then (UTC).",
        widget=forms.TextInput(attrs={"placeholder": "YYYY-MM-DD", "inputmode": "numeric"}),
    )
    currency = forms.CharField(required=False, label="Currency", max_length=3)
    donor = forms.IntegerField(required=False, label="Donor", min_value=1)
    category = forms.ChoiceField(
        required=False, label="Category", choices=[("", "All"), *AidCategory.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._donors = dict(donors())
        self.fields["currency"].widget = forms.Select(choices=[(c, c) for c in currencies()])
        self.fields["donor"].widget = forms.Select(
            choices=[("", "All donors"), *self._donors.items()]
        )

    def clean_currency(self) -> str:
        value = (self.cleaned_data.get("currency") or BASE_CURRENCY).strip().upper()
        if not is_currency_code(value):
            raise forms.ValidationError(f"{value} is not an ISO 4217 currency code.")
        if value not in currencies():
            raise forms.ValidationError(f"The ledger has no exchange rates for {value}.")
        return value

    def clean_donor(self) -> Organization | None:
        pk = self.cleaned_data.get("donor")
        if pk is None:
            return None
        if pk not in self._donors:
            raise forms.ValidationError(f"No donor has the id {pk}.")
        return Organization.objects.get(pk=pk)

    def query(self) -> PageQuery:
        data = self.cleaned_data
        return PageQuery(
            as_of=data.get("as_of"),
            known_at=data.get("known_at"),
            currency=data.get("currency") or BASE_CURRENCY,
            donor=data.get("donor"),
            category=data.get("category") or "",
        )
