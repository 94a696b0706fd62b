"""Dates in query parameters and bodies, with an error that says what is wrong.

``2025-02-30`` has the shape of a date: answering "wrong format" sends a client looking
for a format error it did not make. A value shaped ``YYYY-MM-DD`` (alone, or starting a
moment such as ``2025-02-30T10:00Z``) that names no day is refused as such ("2025-02-30 is
not a date: February 2025 has 28 days."); anything else keeps the format message."""

import calendar
import re
from datetime import date, datetime
from typing import Any

import django_filters
from django import forms
from rest_framework import serializers

# ASCII digits only: \d would take other scripts' digits, which no parser here reads.
DAY_SHAPE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# What may follow the day in a moment (ISO 8601's T, or the space Python also reads).
MOMENT_SEPARATORS = ("T", "t", " ")


def why_no_such_day(text: str) -> str | None:
    """Why ``text``, shaped YYYY-MM-DD, names no day; None if it does."""
    year, month, day = (int(part) for part in text.split("-"))
    if year < 1:
        return "years start at 0001"
    if not 1 <= month <= 12:
        return "months run from 01 to 12"
    if day < 1:
        return "days start at 01"
    days = calendar.monthrange(year, month)[1]
    if day > days:
        return f"{calendar.month_name[month]} {year} has {days} days"
    return None


def refuse_nonexistent_day(value: Any, *, moment: bool = False) -> None:
    """Raises a ValidationError (Django's) saying why ``value`` is no day, when it has a
    day's shape; lets anything else through to the field's own parsing."""
    if not isinstance(value, str):
        return
    text = value.strip()
    shaped = DAY_SHAPE.match(text)
    if shaped is None:
        return
    rest = text[shaped.end() :]
    if rest and not (moment and rest.startswith(MOMENT_SEPARATORS)):
        return
    reason = why_no_such_day(shaped.group(0))
    if reason is not None:
        raise forms.ValidationError(
            "%(day)s is not a date: %(reason)s.",
            code="no_such_day",
            params={"day": shaped.group(0), "reason": reason},
        )


def drf_error(error: forms.ValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(error.messages, code="invalid")


class DateField(serializers.DateField):
    """DRF's DateField, saying when a date does not exist."""

    def to_internal_value(self, value: Any) -> date:
        try:
            refuse_nonexistent_day(value)
        except forms.ValidationError as error:
            raise drf_error(error) from error
        return super().to_internal_value(value)


class DateTimeField(serializers.DateTimeField):
    """DRF's DateTimeField, saying when the moment's date does not exist."""

    def to_internal_value(self, value: Any) -> datetime:
        try:
            refuse_nonexistent_day(value, moment=True)
        except forms.ValidationError as error:
            raise drf_error(error) from error
        return super().to_internal_value(value)


class DateFormField(forms.DateField):
    """Django's form DateField (behind the filters), saying when a date does not exist."""

    def to_python(self, value: Any) -> date | None:
        refuse_nonexistent_day(value)
        return super().to_python(value)


class DateFilter(django_filters.DateFilter):
    field_class = DateFormField
