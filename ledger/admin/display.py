"""How the admin shows what it does not let anyone edit: amounts as people read them
(``ledger.formatting``), and the moment the database stamps on a row not yet saved."""

from typing import Any

from django import forms
from django.contrib.admin.utils import display_for_value
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from ledger.formatting import format_amount

# What a row's recorded_at says before the row exists: the database sets it on insert.
NOT_YET_RECORDED = "on save"


class ReadOnlyText(forms.Widget):
    """A form field shown as fixed text. The admin renders a read-only field through its
    widget when the widget says ``read_only`` (as contrib.auth does for password hashes),
    instead of the raw value it would print otherwise (``1000.0000``)."""

    read_only = True

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        return conditional_escape(self.text)


def show_recorded_amount(form: forms.ModelForm) -> None:
    """On a recorded entry's form the amount reads as it counts (``-1,000`` for a
    reversal; the currency is a field of its own); a new entry's form keeps its number
    input."""
    entry = form.instance
    if entry.pk is not None and "amount" in form.fields:
        form.fields["amount"].widget = ReadOnlyText(format_amount(entry.signed_amount))


def recorded_moment(row: Any) -> str:
    """A row's ``recorded_at`` as the admin shows dates, or that it is set on save: an
    unsaved row holds the database default itself, which would print as its repr."""
    if row.pk is None:
        return NOT_YET_RECORDED
    return str(display_for_value(row.recorded_at, "-"))
