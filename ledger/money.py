"""Money and code validation shared by models, services and selectors.

Amounts are ``Decimal`` everywhere; the column precision below is the single place
that decides it (changing it needs a migration).
"""

from decimal import Decimal

import pycountry
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Upper
from django.db.models.lookups import Exact

MONEY_MAX_DIGITS = 20
MONEY_DECIMAL_PLACES = 4
RATE_MAX_DIGITS = 20
RATE_DECIMAL_PLACES = 10
# Figures are reported to the cent (or the currency's smallest common unit).
FIGURE_QUANTUM = Decimal("0.01")
BASE_CURRENCY = "EUR"


def is_currency_code(code: str) -> bool:
    return len(code) == 3 and code.isupper() and pycountry.currencies.get(alpha_3=code) is not None


def validate_currency_code(code: str) -> None:
    if not is_currency_code(code):
        raise ValidationError(
            "%(code)s is not an ISO 4217 currency code.",
            code="unknown_currency",
            params={"code": code or "(empty)"},
        )


def validate_country_code(code: str) -> None:
    if not code:
        return
    if len(code) != 2 or not code.isupper() or pycountry.countries.get(alpha_2=code) is None:
        raise ValidationError(
            "%(code)s is not an ISO 3166-1 alpha-2 country code.",
            code="unknown_country",
            params={"code": code},
        )


def validate_positive_amount(amount: Decimal) -> None:
    if amount is not None and amount <= 0:
        raise ValidationError("The amount must be greater than zero.", code="not_positive")


def currency_code_check(field: str, *, name: str) -> models.CheckConstraint:
    """Three upper-case letters, in SQL both backends evaluate without Python functions.

    Membership of ISO 4217 is checked by the services; this is the backstop for raw writes.
    """
    return models.CheckConstraint(
        condition=Q(Exact(Length(field), 3), Exact(Upper(field), F(field))),
        name=name,
        violation_error_message="The currency must be a three-letter ISO 4217 code.",
    )
