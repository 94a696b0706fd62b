"""What the donor and commitment pages show beside the figures: a donor's commitments, a
commitment's entries, the pauses covering them and every fact's sources.

Each answers on the same two time axes as ``ledger.selectors.figures``: ``as_of`` (valid
time) hides what had not happened by that day, ``known_at`` (transaction time) what the
ledger had not recorded by that moment. A reversal recorded after ``known_at`` had not yet
reversed anything; a resumption recorded later had not yet ended its pause; a further
source added later was not yet cited.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from ledger.models import Commitment, Corroboration, LedgerEntry, Organization, Pause, Source
from ledger.selectors.figures import figures
from ledger.selectors.pauses import in_force_condition


def _known(known_at: datetime | None, column: str = "recorded_at") -> Q:
    return Q(**{f"{column}__lte": known_at}) if known_at is not None else Q()


def _valid(as_of: date | None, column: str) -> Q:
    return Q(**{f"{column}__lte": as_of}) if as_of is not None else Q()


def _further_sources(known_at: datetime | None) -> Prefetch:
    """A fact's further sources as known at ``known_at``, to prefetch as ``known_sources``."""
    rows = Corroboration.objects.filter(_known(known_at)).select_related("source")
    return Prefetch("further_sources", queryset=rows, to_attr="known_sources")


def sources_of(fact: Commitment | LedgerEntry | Pause) -> list[Source]:
    """The fact's own source then the further ones (prefetched by these selectors)."""
    further = [c.source for c in getattr(fact, "known_sources", [])]
    return [fact.source, *further]


def visible_entries(
    *, as_of: date | None = None, known_at: datetime | None = None
) -> QuerySet[LedgerEntry]:
    """Entries valid by ``as_of`` and recorded by ``known_at``: the ones the figures sum."""
    return LedgerEntry.objects.filter(_valid(as_of, "value_date"), _known(known_at))


def donor_commitments(
    *, donor: Organization, as_of: date | None = None, known_at: datetime | None = None
) -> QuerySet[Commitment]:
    """The donor's commitments known at ``known_at`` and either announced by ``as_of`` or
    with an entry by then (every commitment the figures count), latest announced first."""
    commitments = Commitment.objects.filter(donor=donor).filter(_known(known_at, "created_at"))
    if as_of is not None:
        counted = visible_entries(as_of=as_of, known_at=known_at).filter(commitment=OuterRef("pk"))
        commitments = commitments.filter(Q(announced_on__lte=as_of) | Exists(counted))
    return (
        commitments.select_related("recipient", "source")
        .prefetch_related(_further_sources(known_at))
        .order_by("-announced_on", "-id")
    )


def entry_sources(
    *, commitment_ids: Sequence[int], as_of: date | None = None, known_at: datetime | None = None
) -> dict[int, list[Source]]:
    """Per commitment, the sources its visible entries cite, own or further (as known at
    ``known_at``), each once: the sources of a donor's figures, from two queries
    however many entries there are."""
    entries = visible_entries(as_of=as_of, known_at=known_at).filter(
        commitment_id__in=commitment_ids
    )
    # Without order_by(), the models' default ordering would join the DISTINCT.
    pairs = set(entries.order_by().values_list("commitment_id", "source_id").distinct())
    further = Corroboration.objects.filter(_known(known_at), entry__in=entries).order_by()
    pairs |= set(further.values_list("entry__commitment_id", "source_id").distinct())
    sources = Source.objects.in_bulk({source for _, source in pairs})
    cited: dict[int, list[Source]] = {pk: [] for pk in commitment_ids}
    for commitment, source in sorted(pairs):
        cited[commitment].append(sources[source])
    return cited


def donor_reversals(
    *, donor: Organization, as_of: date | None = None, known_at: datetime | None = None
) -> QuerySet[LedgerEntry]:
    """The reversing entries of the donor's commitments, latest first, each with the
    entry it reverses."""
    return (
        visible_entries(as_of=as_of, known_at=known_at)
        .filter(commitment__donor=donor, reverses__isnull=False)
        .select_related("commitment", "reverses", "source")
        .order_by("-value_date", "-recorded_at", "-id")
    )


@dataclass(frozen=True)
class EntryRow:
    """An entry as the page lists it: with the reversal that cancels it, if any."""

    entry: LedgerEntry
    reversed_by: LedgerEntry | None
    sources: list[Source] = field(default_factory=list)


def commitment_entries(
    *,
    commitment: Commitment,
    as_of: date | None = None,
    known_at: datetime | None = None,
    latest: int | None = None,
) -> list[EntryRow]:
    """The commitment's entries as known at ``known_at`` and valid by ``as_of`` (only the
    ``latest`` ones by value date, if given), by value date then recording; a reversal
    names the entry it reverses (``entry.reverses``) and an entry names its reversal
    where that is visible too."""
    rows = (
        visible_entries(as_of=as_of, known_at=known_at)
        .filter(commitment=commitment)
        .select_related("source", "reverses")
        .prefetch_related(_further_sources(known_at))
        .order_by("-value_date", "-recorded_at", "-id")
    )
    entries = list(reversed(rows[:latest] if latest is not None else rows))
    reversal_of = {e.reverses_id: e for e in entries if e.reverses_id is not None}
    return [EntryRow(e, reversal_of.get(e.pk), sources_of(e)) for e in entries]


def _covering(commitment: Commitment) -> Q:
    """Pauses whose scope covers ``commitment``: the rule of
    ``ledger.selectors.pauses.covers_commitment`` for one commitment in hand."""
    return Q(donor_id=commitment.donor_id) & (
        Q(commitment_id=commitment.pk)
        | Q(commitment__isnull=True, category__in=["", commitment.category])
    )


@dataclass(frozen=True)
class PauseRow:
    """A pause as known at the moment asked about: its resumption only where that had
    happened by ``as_of`` and been recorded by ``known_at``."""

    pause: Pause
    resumed_on: date | None
    resumption_source: Source | None
    in_force: bool
    sources: list[Source]


def _resumed(pause: Pause, *, as_of: date | None, known_at: datetime | None) -> bool:
    """Whether the pause had resumed by ``as_of``, as far as the ledger knew at ``known_at``."""
    if pause.resumed_on is None or pause.resumption_recorded_at is None:
        return False
    happened = as_of is None or pause.resumed_on <= as_of
    return happened and (known_at is None or pause.resumption_recorded_at <= known_at)


def _pause_rows(
    pauses: QuerySet[Pause], *, as_of: date | None, known_at: datetime | None
) -> list[PauseRow]:
    on = as_of or timezone.now().date()
    rows = (
        pauses.filter(_valid(as_of, "paused_on"), _known(known_at))
        .annotate(
            in_force=Exists(
                Pause.objects.filter(in_force_condition(on, known_at=known_at), pk=OuterRef("pk"))
            )
        )
        .select_related("commitment", "ordered_by", "source", "resumption_source")
        .prefetch_related(_further_sources(known_at))
        .order_by("paused_on", "id")
    )
    result = []
    for pause in rows:
        resumed = _resumed(pause, as_of=as_of, known_at=known_at)
        result.append(
            PauseRow(
                pause=pause,
                resumed_on=pause.resumed_on if resumed else None,
                resumption_source=pause.resumption_source if resumed else None,
                in_force=pause.in_force,
                sources=sources_of(pause),
            )
        )
    return result


def donor_pauses(
    *, donor: Organization, as_of: date | None = None, known_at: datetime | None = None
) -> list[PauseRow]:
    """Every pause of the donor's aid that had begun by ``as_of`` and was known at
    ``known_at``, in force or resumed, oldest first."""
    return _pause_rows(Pause.objects.filter(donor=donor), as_of=as_of, known_at=known_at)


def commitment_pauses(
    *, commitment: Commitment, as_of: date | None = None, known_at: datetime | None = None
) -> list[PauseRow]:
    """The pauses covering the commitment (its own, its category's, all the donor's aid)."""
    return _pause_rows(Pause.objects.filter(_covering(commitment)), as_of=as_of, known_at=known_at)


# The stages a commitment's chart draws, as the figures name them.
CHART_STAGES = ("pledged", "committed", "allocated", "disbursed")


@dataclass(frozen=True)
class CumulativePoint:
    """A commitment's figures as they stood at the end of ``month``, in one currency."""

    month: date
    figures: dict[str, Decimal]


def commitment_cumulative(
    *,
    commitment: Commitment,
    currency: str,
    as_of: date | None = None,
    known_at: datetime | None = None,
) -> list[CumulativePoint]:
    """Running totals of each stage by month of value date, from the figures selector (so
    the last point equals the commitment's figures), one point per month with entries."""
    rows = figures(
        group_by=["month"],
        commitment_ids=[commitment.pk],
        currency=currency,
        as_of=as_of,
        known_at=known_at,
    )
    running = dict.fromkeys(CHART_STAGES, Decimal(0))
    points = []
    for row in rows:
        running = {stage: running[stage] + row[stage] for stage in CHART_STAGES}
        points.append(CumulativePoint(month=row["month"], figures=running))
    return points
