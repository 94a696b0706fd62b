"""The review forms: a candidate's page decides it (accept, edit then accept, link,
reject), and the bulk rejection asks for its reason first.

A decision is checked the way ``ledger.admin.base.ServiceForm`` checks every write: the
review service runs in a savepoint that is always rolled back, so whatever it refuses
shows next to its field (or above the form) before anything is recorded; the admin then
calls it for real.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from ledger.admin.base import ServiceForm
from ledger.formatting import format_amount
from ledger.models import Commitment, CoordinationBody, EventKind, Pause, Responsibility
from news.models import Candidate
from news.services import review
from news.services.recording import AcceptDetails

# The submit buttons of a candidate's page, by name; "_link"'s value names the fact.
ACCEPT = "_accept"
EDIT_AND_ACCEPT = "_edit_accept"
LINK = "_link"
REJECT = "_reject"
DECISIONS = (ACCEPT, EDIT_AND_ACCEPT, LINK, REJECT)
# What the editor may correct before accepting: what the extractor read.
EDITABLE = [
    "kind",
    "donor",
    "recipient",
    "amount",
    "amount_upper",
    "qualifier",
    "currency",
    "category",
    "date",
    "date_precision",
    "counterpart",
    "stage",
    "period_start",
    "period_start_precision",
]
# What the ledger needs beyond the candidate (``news.services.recording.AcceptDetails``):
# a title, the commitment an amount adds to, the body and responsibility of a mandate,
# the kind and place of an event, the pause a resumption ends, a pause's reason. Left
# empty, the service finds or derives each where it can.
DETAILS = [
    "title",
    "existing_commitment",
    "body",
    "responsibility",
    "hands_over",
    "event_kind",
    "place",
    "pause",
    "pause_reason",
    "record_anyway",
]
# The form's names for the details whose own names the form uses for something else.
DETAIL_NAMES = {"existing_commitment": "commitment", "pause_reason": "reason"}
# The review service's names for fields, as the form names them (a detail's error names
# the detail; a duplicate or a decision taken already is about no one field).
FORM_NAMES = {
    **{detail: field for field, detail in DETAIL_NAMES.items()},
    "duplicates": NON_FIELD_ERRORS,
    "status": NON_FIELD_ERRORS,
}


def fact_key(fact: models.Model) -> str:
    """How a link button names a ledger fact: ``ledger.pause:7``."""
    return f"{fact._meta.label_lower}:{fact.pk}"


class ReviewForm(ServiceForm):
    """A pending candidate's page. Which decision is taken depends on the button pressed;
    ``user`` and ``duplicates`` (the facts it may be linked to) are set by the admin."""

    user: Any = None
    duplicates: dict[str, models.Model] = {}

    title = forms.CharField(
        required=False,
        max_length=300,
        help_text="For a new commitment or an event; the evidence suggests one if left empty.",
    )
    existing_commitment = forms.ModelChoiceField(
        queryset=Commitment.objects.all(),
        required=False,
        widget=AutocompleteSelect(Candidate._meta.get_field("commitment"), admin.site),
        help_text="Add the amount to this commitment instead of a new one.",
    )
    body = forms.ModelChoiceField(
        queryset=CoordinationBody.objects.all(),
        required=False,
        help_text="For a mandate: the body that takes over or holds it.",
    )
    responsibility = forms.ModelChoiceField(
        queryset=Responsibility.objects.all(),
        required=False,
        help_text="For a mandate: what it is responsible for.",
    )
    hands_over = forms.NullBooleanField(
        required=False,
        label="Hands over",
        help_text="For a mandate: whether it ends the current holder's (unknown: the "
        "service decides from the ledger).",
    )
    event_kind = forms.ChoiceField(
        choices=[("", "---------"), *EventKind.choices], required=False, label="Event kind"
    )
    place = forms.CharField(required=False, max_length=200, help_text="For an event.")
    pause = forms.ModelChoiceField(
        queryset=Pause.objects.filter(resumed_on__isnull=True),
        required=False,
        label="Pause it ends",
        help_text="For a resumption, where the donor has more than one open pause.",
    )
    pause_reason = forms.CharField(
        required=False, max_length=500, label="Reason for the pause", help_text="For a pause."
    )
    record_anyway = forms.BooleanField(
        required=False,
        label="Record it although the ledger probably holds it",
        help_text="Only if the facts listed as probable duplicates are different ones.",
    )
    reject_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason to reject",
        help_text="Required to reject: it stays in the candidate's history.",
    )

    class Meta:
        model = Candidate
        fields = EDITABLE
        widgets = {"date": AdminDateWidget, "period_start": AdminDateWidget}
        labels = {"amount_upper": "Top of the range", "period_start": "Period from"}
        help_texts = {
            "amount_upper": "Only for a range (“$1-2 billion”): the amount is its bottom.",
            "counterpart": "Who a mandate is taken over from, or who ordered a pause.",
            "stage": "For a reported total: the stage it counts (“has sent”: disbursement).",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Organizations are chosen here, not edited or deleted from a candidate's page.
        for name in ("donor", "recipient", "counterpart"):
            widget = self.fields[name].widget if name in self.fields else None
            if hasattr(widget, "can_delete_related"):
                widget.can_change_related = widget.can_delete_related = False  # type: ignore[union-attr]
        amount = self.instance.amount
        if amount is not None and "amount" in self.fields:
            self.fields["amount"].help_text = f"Read as {format_amount(amount)}."

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's names for what the form calls otherwise; a probable duplicate
        is said above the form, beside the list of them and their link buttons."""
        if hasattr(error, "error_dict"):
            names = (
                {**FORM_NAMES, "reason": "reject_reason"}
                if self.decision() == REJECT
                else FORM_NAMES
            )
            renamed: dict[str, Any] = {}
            for field, errors in error.error_dict.items():
                name = names.get(field, field)
                renamed.setdefault(name, []).extend(errors)
            error = ValidationError(renamed)
        super().add_service_errors(error)

    def decision(self) -> str:
        pressed = [name for name in DECISIONS if name in self.data]
        return pressed[0] if pressed else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        decision = self.decision()
        if not decision:
            raise ValidationError("Choose a decision: accept, edit and accept, link or reject.")
        if decision == REJECT and not cleaned.get("reject_reason", "").strip():
            self.add_error("reject_reason", "Say why the candidate is rejected.")
        if decision == LINK and self.data.get(LINK) not in self.duplicates:
            raise ValidationError("Link it to one of the facts listed as probable duplicates.")
        return cleaned

    def details(self) -> AcceptDetails:
        given: dict[str, Any] = {
            DETAIL_NAMES.get(name, name): self.cleaned_data.get(name) for name in DETAILS
        }
        return AcceptDetails(
            **{name: value for name, value in given.items() if value not in (None, "")}
        )

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.changed_data if name in EDITABLE}

    def write(self) -> models.Model:
        candidate = Candidate.objects.get(pk=self.instance.pk)
        decision = self.decision()
        if decision == REJECT:
            return review.reject_candidate(
                candidate=candidate,
                user=self.user,
                reason=self.cleaned_data["reject_reason"].strip(),
            )
        if decision == LINK:
            fact = self.duplicates[self.data[LINK]]
            return review.link_candidate(candidate=candidate, user=self.user, fact=fact)
        changes = self.changes() if decision == EDIT_AND_ACCEPT else None
        return review.accept_candidate(
            candidate=candidate, user=self.user, changes=changes, details=self.details()
        )


class RejectForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The same reason is recorded for every candidate selected.",
    )
