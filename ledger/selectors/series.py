"""The ledger over time, for charts: the cumulative figures by value date, and the marks
drawn around them (pause bands, coordination handovers, events, mandates), each read on
both time axes: ``on`` is the valid-time day the reader stands on (``as_of``, or today)
and ``known_at`` the moment whose knowledge counts (or all of it).

The figures come from ``ledger.selectors.figures`` grouped by day, so a point of the
series is exactly what ``figures`` and the API's summary say for that day, summed."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q, QuerySet

from ledger.models import Commitment, Event, Mandate, Pause
from ledger.money import BASE_CURRENCY
from ledger.selectors.figures import figures

# The measures a cumulative series follows.
CUMULATIVE = ("pledged", "committed", "disbursed")


@dataclass(frozen=True, kw_only=True)
class Step:
    """The figures summed over every value date up to and including ``day``."""

    day: date
    pledged: Decimal
    committed: Decimal
    disbursed: Decimal
    entry_count: int
    unconverted_entries: int


def cumulative_figures(
    *,
    currency: str = BASE_CURRENCY,
    as_of: date | None = None,
    known_at: datetime | None = None,
    commitments: QuerySet[Commitment] | None = None,
) -> list[Step]:
    """One step per value date that has entries, oldest first, each the running total of
    ``CUMULATIVE`` (in ``currency``). Raises ``ValidationError`` as ``figures`` does."""
    rows = figures(
        group_by=["day"],
        currency=currency,
        as_of=as_of,
        known_at=known_at,
        commitments=commitments,
    )
    running = dict.fromkeys(CUMULATIVE, Decimal(0))
    counts = {"entry_count": 0, "unconverted_entries": 0}
    steps = []
    for row in rows:
        for name in CUMULATIVE:
            running[name] += row[name]
        for name in counts:
            counts[name] += row[name]
        steps.append(
            Step(
                day=row["day"],
                pledged=running["pledged"],
                committed=running["committed"],
                disbursed=running["disbursed"],
                entry_count=counts["entry_count"],
                unconverted_entries=counts["unconverted_entries"],
            )
        )
    return steps


@dataclass(frozen=True, kw_only=True)
class PauseBand:
    """A pause as seen on day ``on``: from ``pause.paused_on`` to ``ends_on``, which is
    its resumption if that had happened by ``on`` (and was known), else ``on`` itself."""

    pause: Pause
    ends_on: date
    resumed_on: date | None

    @property
    def in_force(self) -> bool:
        return self.resumed_on is None


def _scoped(pauses: QuerySet[Pause], *, donors: list[int], category: str) -> QuerySet[Pause]:
    if donors:
        pauses = pauses.filter(donor_id__in=donors)
    if category:
        # A pause of the category, of a commitment in it, or of all the donor's aid.
        pauses = pauses.filter(
            Q(category=category)
            | Q(commitment__category=category)
            | Q(category="", commitment__isnull=True)
        )
    return pauses


def pause_bands(
    *,
    on: date,
    known_at: datetime | None = None,
    donors: list[int] | None = None,
    category: str = "",
) -> list[PauseBand]:
    """The pauses begun by ``on`` (and recorded by ``known_at``), of ``donors`` and
    touching ``category`` if given, oldest first. Whether each is in force agrees with
    ``ledger.selectors.pauses.in_force_condition``: a resumption counts from its day,
    and only once the ledger had recorded it."""
    pauses = Pause.objects.filter(paused_on__lte=on).select_related(
        "donor", "ordered_by", "commitment", "source", "resumption_source"
    )
    if known_at is not None:
        pauses = pauses.filter(recorded_at__lte=known_at)
    bands = []
    for pause in _scoped(pauses, donors=donors or [], category=category).order_by(
        "paused_on", "id"
    ):
        resumed = pause.resumed_on is not None and pause.resumed_on <= on
        if resumed and known_at is not None:
            resumed = pause.resumption_recorded_at is not None and (
                pause.resumption_recorded_at <= known_at
            )
        resumed_on = pause.resumed_on if resumed else None
        bands.append(PauseBand(pause=pause, ends_on=resumed_on or on, resumed_on=resumed_on))
    return bands


def handovers(*, on: date, known_at: datetime | None = None) -> QuerySet[Mandate]:
    """The mandates that took a responsibility over from another body by ``on`` (and
    were recorded by ``known_at``), with both bodies, oldest first."""
    mandates = Mandate.objects.filter(predecessor__isnull=False, starts_on__lte=on)
    if known_at is not None:
        mandates = mandates.filter(recorded_at__lte=known_at)
    return mandates.select_related(
        "body", "predecessor__body", "responsibility", "source"
    ).order_by("starts_on", "id")


def events(
    *, on: date, known_at: datetime | None = None, donors: list[int] | None = None
) -> QuerySet[Event]:
    """Events that happened by ``on`` (recorded by ``known_at``), those some donor of
    ``donors`` took part in if given, oldest first."""
    found = Event.objects.filter(occurred_on__lte=on)
    if known_at is not None:
        found = found.filter(recorded_at__lte=known_at)
    if donors:
        found = found.filter(participants__in=donors).distinct()
    return found.select_related("body", "source").order_by("occurred_on", "id")


@dataclass(frozen=True, kw_only=True)
class MandateSpan:
    """A mandate as seen on day ``on``: ``ended_on`` its end if it had come by then (and
    was known), ``shown_until`` where its bar stops (that end, or ``on``)."""

    mandate: Mandate
    ended_on: date | None
    shown_until: date


def _ends_known_at(known_at: datetime) -> dict[int, date | None]:
    """Each mandate's end as the ledger knew it at ``known_at``, from its history: an end
    is written onto the mandate later (by a handover or ``end_mandate``)."""
    ends: dict[int, date | None] = {}
    history = Mandate.history.filter(history_date__lte=known_at).order_by("id", "history_date")
    for record in history.values("id", "ends_on"):
        ends[record["id"]] = record["ends_on"]  # the latest record wins
    return ends


def mandate_spans(*, on: date, known_at: datetime | None = None) -> list[MandateSpan]:
    """Every mandate begun by ``on`` (recorded by ``known_at``), by responsibility and
    start, with its sources."""
    mandates = Mandate.objects.filter(starts_on__lte=on)
    if known_at is not None:
        mandates = mandates.filter(recorded_at__lte=known_at)
    mandates = mandates.select_related(
        "body", "responsibility", "source", "end_source", "predecessor__body"
    ).order_by("responsibility__name", "starts_on", "id")
    known_ends = _ends_known_at(known_at) if known_at is not None else None
    spans = []
    for mandate in mandates:
        end = mandate.ends_on
        if known_ends is not None:
            # No history row by then (the row's clock and the history's differ by
            # microseconds): no end had been written onto it yet.
            end = known_ends.get(mandate.pk)
        ended_on = end if end is not None and end <= on else None
        spans.append(MandateSpan(mandate=mandate, ended_on=ended_on, shown_until=ended_on or on))
    return spans
