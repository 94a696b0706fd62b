"""The small forms admin actions ask before they act: a date, a source, a reason."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect

from ledger.models import AidCategory, DatePrecision, LedgerEntry, Pause, Source


def source_field(label: str = "Source") -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Source.objects.all(),
        label=label,
        widget=AutocompleteSelect(LedgerEntry._meta.get_field("source"), admin.site),
        help_text="The document that reports it.",
    )


class ReverseEntriesForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    source = source_field("Source of the correction")


class PauseForm(forms.Form):
    paused_on = forms.DateField(widget=AdminDateWidget)
    paused_on_precision = forms.ChoiceField(
        choices=DatePrecision.choices, initial=DatePrecision.DAY, label="Precision of the date"
    )
    description = forms.CharField(
        required=False, max_length=300, help_text='What is held back, e.g. "certain weapons".'
    )
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    source = source_field()


class DonorPauseForm(PauseForm):
    category = forms.ChoiceField(
        choices=[("", "All of the donor's aid"), *AidCategory.choices], required=False
    )


class ResumeForm(forms.Form):
    resumed_on = forms.DateField(widget=AdminDateWidget)
    source = forms.ModelChoiceField(
        queryset=Source.objects.all(),
        label="Source of the resumption",
        widget=AutocompleteSelect(Pause._meta.get_field("resumption_source"), admin.site),
    )


class EndMandateForm(forms.Form):
    ends_on = forms.DateField(widget=AdminDateWidget, help_text="The first day it no longer holds.")
    source = source_field("Source of the end")
