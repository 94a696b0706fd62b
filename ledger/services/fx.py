from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from ledger.models import FxRate, RateProvider, Source
from ledger.money import BASE_CURRENCY, is_currency_code
from ledger.services._common import clean_fields, require


@transaction.atomic
def record_fx_rates(
    *,
    rates: Iterable[tuple[str, date, Decimal]],
    source: Source,
    provider: RateProvider = RateProvider.ECB,
) -> int:
    """Store (currency, date, units per euro) rates set by ``provider``; days already
    present are kept, whoever set them.

    Returns how many rows were new. Raises ``ValidationError`` naming the first bad
    rate, and then stores none of them.
    """
    require(source=source)
    rates = list(rates)
    if not rates:
        return 0
    for currency in {currency for currency, _, _ in rates}:
        if currency == BASE_CURRENCY or not is_currency_code(currency):
            raise ValidationError({"currency": f"{currency!r} is not a foreign ISO 4217 code."})
    for currency, day, rate in rates:
        if rate <= 0:
            raise ValidationError({"rate": f"{currency} on {day}: the rate must be positive."})
    # Reading the days already stored is far cheaper than re-sending them to be ignored.
    present = set(
        FxRate.objects.filter(
            currency__in={currency for currency, _, _ in rates},
            date__gte=min(day for _, day, _ in rates),
            date__lte=max(day for _, day, _ in rates),
        ).values_list("currency", "date")
    )
    new_rows = [
        FxRate(currency=currency, date=day, rate=rate, provider=provider, source_id=source.pk)
        for currency, day, rate in rates
        if (currency, day) not in present
    ]
    FxRate.objects.bulk_create(new_rows, batch_size=2000, ignore_conflicts=True)
    return len(new_rows)


@transaction.atomic
def record_fx_rate(
    *,
    currency: str,
    date: date,
    rate: Decimal,
    source: Source,
    provider: RateProvider = RateProvider.ECB,
) -> FxRate:
    """Store one day's rate. The same rate again is harmless; another rate for a day that
    already has one raises ``ValidationError`` (edit that row instead)."""
    existing = FxRate.objects.filter(currency=currency, date=date).first()
    if existing is not None:
        if existing.rate == rate:
            return existing
        raise ValidationError(
            {"date": f"{currency} already has a rate on {date} ({existing.rate}); edit that one."}
        )
    if currency == BASE_CURRENCY:
        raise ValidationError({"currency": "Rates are against the euro; the euro needs none."})
    fx_rate = FxRate(currency=currency, date=date, rate=rate, provider=provider, source=source)
    clean_fields(fx_rate)
    fx_rate.save()  # one by one, unlike the bulk load, so the change history records it
    return fx_rate
