"""The seed scenario: what five news reports say about aid to Ukraine, as data.

``manage.py load_scenario`` records it through the services. Each block is one fact and
names the copy of the article it comes from (``shared/fixtures/news/<fixture>``, which is
not read at run time). Excerpts are quoted word for word; `` … `` joins two quoted passages.

Each fact is held by the model that fits it: money promised or moved is a commitment with
ledger entries; a running total someone reported is a ``ReportedTotal`` beside the ledger
(never summed into the figures); an agreement signed or a meeting agreed is an ``Event``;
a hold on deliveries is a ``Pause``; who coordinates what is a ``Mandate``.

Dates: most copies give only weekdays ("on Thursday", "last week"). Each date below is
worked out from what its article says, and the comment shows how. A date carries the
precision its article gives it (day, week, month, year); the date stored is the first day
of the period named ("last week" is that week's Monday, precision week). Where an article
gives no date at all, none is recorded (a source's ``published_on`` stays empty).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ledger.models import (
    AidCategory,
    AmountQualifier,
    DatePrecision,
    EventKind,
    MembershipRole,
    OrganizationKind,
    Stage,
)

# A copy with no headline gets a descriptive title, marked so: a source needs a URL or a title.
NO_HEADLINE = "[No headline in the copy] "

DAY = DatePrecision.DAY
WEEK = DatePrecision.WEEK
MONTH = DatePrecision.MONTH
YEAR = DatePrecision.YEAR


@dataclass(frozen=True)
class Article:
    """A copy of an article. What the copy does not state stays empty (the admin shows
    "not stated"): no copy gives its URL, one its date, two their publisher."""

    fixture: str
    title: str
    publisher: str = ""  # only where the copy names it (a byline, "Asked by RFE/RL")
    published_on: date | None = None  # only where the copy states it
    url: str = ""


@dataclass(frozen=True)
class Citation:
    article: Article
    excerpt: str


@dataclass(frozen=True)
class OrganizationSpec:
    name: str
    kind: str
    country_code: str = ""
    parent: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class BodySpec:
    name: str
    description: str
    members: tuple[tuple[str, str], ...]  # (organization name, role)
    acronym: str = ""


@dataclass(frozen=True)
class EntryFact:
    key: str
    stage: str
    amount: Decimal
    currency: str
    value_date: date
    value_date_precision: str
    note: str = ""


@dataclass(frozen=True)
class CommitmentFact:
    key: str  # stored as the commitment's identifier (scheme "other"), which makes it idempotent
    donor: str
    recipient: str
    title: str
    category: str
    announced_on: date
    announced_on_precision: str
    citation: Citation
    description: str = ""
    period_start: date | None = None
    period_end: date | None = None
    entries: tuple[EntryFact, ...] = ()


@dataclass(frozen=True)
class PauseFact:
    key: str
    donor: str
    ordered_by: str | None
    category: str
    description: str
    reason: str
    paused_on: date
    paused_on_precision: str
    citation: Citation
    resumed_on: date
    resumption_citation: Citation


@dataclass(frozen=True)
class MandateFact:
    key: str
    body: str
    responsibility: str  # its code
    starts_on: date
    starts_on_precision: str
    citation: Citation
    note: str
    # Ends the holder's open mandate on ``starts_on``: a handover the source reports.
    hands_over: bool = False


@dataclass(frozen=True)
class ResponsibilitySpec:
    code: str
    name: str
    description: str


@dataclass(frozen=True)
class ReportedTotalFact:
    key: str
    donor: str
    recipient: str
    stage: str
    qualifier: str
    amount: Decimal
    currency: str
    period_start: date
    period_start_precision: str
    as_of: date
    as_of_precision: str
    citation: Citation
    note: str = ""


@dataclass(frozen=True)
class EventFact:
    key: str
    kind: str
    title: str
    occurred_on: date
    occurred_on_precision: str
    citation: Citation
    participants: tuple[str, ...] = ()  # organization names
    body: str | None = None  # a coordination body's name
    place: str = ""
    description: str = ""


# --- The articles ------------------------------------------------------------------------

# 000: a weekly roundup of days 1,055-1,059 of the invasion. The copy names no publisher and
# gives no date. Counting from day 1 = Thursday 24 February 2022 (the invasion), day 1,055 is
# Monday 13 January 2025 and day 1,059 Friday 17 January 2025, so its "Thursday" is
# 16 January 2025; it fits "that doesn't change on Monday", the day Trump took office
# (20 January 2025).
INVASION_DAY_ONE = date(2022, 2, 24)
ROUNDUP = Article(
    fixture="000_70ffde4021a1320a.txt",
    title="Weekly roundup. Ukraine resists Russia’s invasion. Days 1,055-1,059",
)
ROUNDUP_MONDAY = INVASION_DAY_ONE + timedelta(days=1055 - 1)  # 13 January 2025
ROUNDUP_THURSDAY = ROUNDUP_MONDAY + timedelta(days=3)  # 16 January 2025

# 001: an RFE/RL report ("Asked by RFE/RL ...", "RFE/RL's Ukraine Live Briefing"); the copy's
# heading belongs to another story. It reports what Blinken said in Brussels on November 13
# ("we discussed with allies and partners today"), of 2024: Trump is President-elect, to be
# inaugurated "early next year", and Biden "leaves office on January 20". The copy does not
# say when it was published, so its source has no publication date.
BLINKEN = Article(
    fixture="001_bdfcc43fd8513210.txt",
    title=f"{NO_HEADLINE}Blinken says the U.S. will push out all its aid for Ukraine by January 20",
    publisher="RFE/RL",
)
BLINKEN_IN_BRUSSELS = date(2024, 11, 13)  # "on November 13", of 2024 (see above)

# 002: a copy without publisher or date. Its "Thursday" is the first day of the Ukraine
# Recovery Conference in Rome, Thursday 10 July 2025, the day after "the largest assault of
# the war" (Wednesday 9 July) and the day Rubio met Lavrov in Kuala Lumpur. Its "Monday" is
# 7 July 2025 and its "last week" the week of Monday 30 June to Sunday 6 July 2025.
ROME = Article(
    fixture="002_b5d61d524fee68a9.txt",
    title="Kyiv weathers bombardment from Russia as Europe recommits to defense",
)
ROME_THURSDAY = date(2025, 7, 10)
ROME_MONDAY = ROME_THURSDAY - timedelta(days=3)  # 7 July 2025
ROME_LAST_WEEK_MONDAY = ROME_MONDAY - timedelta(weeks=1)  # 30 June 2025

# 003: a copy with no headline, publisher or date. It reports Putin's New Year's Eve address
# as past and Russia's strikes in retaliation for the Belgorod attack as the latest, with
# Biden in office and the invasion of February 2022 behind: the turn of 2023 to 2024. The
# strikes it reports are those of 30-31 December 2023 (21 of 49 drones downed overnight into
# Sunday 31 December), and it reports nothing of the 99-missile attack of 2 January 2024, so
# it was written on New Year's Eve or in the first days of January 2024. No precision holds
# "31 December or the week after"; the week of Monday 1 January 2024 is recorded, the first
# days of January as the scenario has always read it, and the note says so.
BELGOROD = Article(
    fixture="003_bf083ae5b549d731.txt",
    title=f"{NO_HEADLINE}Russia strikes Kyiv and Kharkiv in retaliation for the Belgorod attack",
)
FIRST_WEEK_OF_2024 = date(2024, 1, 1)  # a Monday

# 004: The Kyiv Independent, "January 3, 2024 8:36 PM". Its news-feed sidebar (the Pentagon
# halting "shipments of certain weapons") is a later item the page does not date: not cited.
KULEBA = Article(
    fixture="004_4ab7b1c942c3d559.txt",
    title=(
        "Kuleba: NATO-Ukraine Council to hold emergency meeting in response to Russia’s "
        "mass strikes on Ukraine"
    ),
    publisher="The Kyiv Independent",
    published_on=date(2024, 1, 3),
)


# --- Who -----------------------------------------------------------------------------------

UKRAINE = "Ukraine"
UNITED_STATES = "United States"
US_DEPARTMENT_OF_DEFENSE = "United States Department of Defense"
UNITED_KINGDOM = "United Kingdom"
NATO = "NATO"
ROME_CONFERENCE = "Ukraine Recovery Conference 2025"

# Each organization also goes by its Ukrainian and Russian names (in that order; where the
# two languages write it alike, once), so a search in either language finds it. Russian is
# written with the letter yo (ё) by the dictionary and with ie in most print: both are listed.
ORGANIZATIONS: tuple[OrganizationSpec, ...] = (
    OrganizationSpec(UKRAINE, OrganizationKind.STATE, "UA", aliases=("Kyiv", "Україна", "Украина")),
    OrganizationSpec(
        UNITED_STATES,
        OrganizationKind.STATE,
        "US",
        aliases=(
            "U.S.",
            "USA",
            "United States of America",
            "Washington",
            "Сполучені Штати Америки",
            "США",
            "Соединённые Штаты Америки",
            "Соединенные Штаты Америки",
        ),
    ),
    OrganizationSpec(
        US_DEPARTMENT_OF_DEFENSE,
        OrganizationKind.GOVERNMENT_BODY,
        "US",
        parent=UNITED_STATES,
        aliases=(
            "Pentagon",
            "The Pentagon",
            "U.S. Department of Defense",
            "DoD",
            "Пентагон",
            "Міністерство оборони США",
            "Министерство обороны США",
        ),
    ),
    OrganizationSpec(
        UNITED_KINGDOM,
        OrganizationKind.STATE,
        "GB",
        aliases=(
            "UK",
            "U.K.",
            "Britain",
            "Велика Британія",
            "Сполучене Королівство",
            "Великобритания",
            "Соединённое Королевство",
            "Соединенное Королевство",
        ),
    ),
    OrganizationSpec(
        NATO,
        OrganizationKind.MULTILATERAL,
        aliases=(
            "North Atlantic Treaty Organization",
            "НАТО",
            "Організація Північноатлантичного договору",
            "Организация Североатлантического договора",
        ),
    ),
    OrganizationSpec(
        ROME_CONFERENCE,
        OrganizationKind.CONFERENCE,
        aliases=(
            "URC2025",
            "Ukraine Recovery Conference in Rome",
            "Конференція з відновлення України 2025",
            "Конференция по восстановлению Украины 2025",
        ),
    ),
)


# --- 001: the Biden administration pushes out every remaining dollar ------------------------

BIDEN_EVERY_DOLLAR = CommitmentFact(
    key="scenario:biden-every-dollar-2024",
    donor=UNITED_STATES,
    recipient=UKRAINE,
    title="Every dollar at the administration's disposal pushed out the door by January 20",
    # "every dollar we have at our disposal": the article names no kind of aid.
    category=AidCategory.UNSPECIFIED,
    announced_on=BLINKEN_IN_BRUSSELS,
    announced_on_precision=DAY,
    period_start=BLINKEN_IN_BRUSSELS,  # "between now and January 20"
    period_end=date(2025, 1, 20),  # Biden "leaves office on January 20" (2025, see BLINKEN)
    description=(
        "Blinken in Brussels on November 13: President Biden has committed to pushing out "
        "every dollar at the administration's disposal before he leaves office on January 20. "
        "No amount is stated, so the commitment has no entries; the article does not say "
        "which kind of aid, so the category is not stated."
    ),
    citation=Citation(
        BLINKEN,
        "Blinken, who met with NATO Secretary-General Mark Rutte at the alliance’s "
        "headquarters in Brussels on November 13, said the administration of President Joe "
        "Biden, who leaves office on January 20, would “continue to shore up everything we’re "
        "doing for Ukraine” … “President Biden has committed to making sure that every dollar "
        "we have at our disposal will be pushed out the door between now and January 20,” "
        "Blinken said",
    ),
)


# --- 000: NATO takes over coordinating military aid from the U.S. ---------------------------

MILITARY_AID_COORDINATION = ResponsibilitySpec(
    code="military-aid-coordination",
    name="Coordinating military aid for Ukraine",
    description=(
        "The coordination the U.S. organized through the ECCU (European Control Center "
        "Ukraine) and the IDCC (International Donor Coordination Centre), which NATO takes "
        "over: in Admiral Bauer's words, \"some of the responsibility to coordinate military "
        'aid for Ukraine earlier held by the U.S."'
    ),
)

US_LED_COORDINATION = "U.S.-led coordination of military aid for Ukraine"
NATO_COORDINATION = "NATO coordination of military aid for Ukraine"
NATO_UKRAINE_COUNCIL = "NATO-Ukraine Council"

BODIES: tuple[BodySpec, ...] = (
    BodySpec(
        US_LED_COORDINATION,
        description=(
            "The structures organized by the U.S. that Admiral Bauer names: the ECCU "
            "(European Control Center Ukraine) and the IDCC (International Donor Coordination "
            'Centre), "a group of nations helping Ukraine". Its members are not named.'
        ),
        members=((UNITED_STATES, MembershipRole.LEAD),),
    ),
    BodySpec(
        NATO_COORDINATION,
        description=(
            'The ECCU and the IDCC moved from the U.S. into NATO under "the framework after '
            'Washington [summit]", with the agreement of the United States.'
        ),
        members=((NATO, MembershipRole.LEAD),),
    ),
    BodySpec(
        NATO_UKRAINE_COUNCIL,
        description=(
            "Also called the Ukraine-NATO Council. Established by NATO at its Vilnius summit "
            '"to enable closer coordination between Kyiv and the alliance".'
        ),
        members=((NATO, MembershipRole.LEAD), (UKRAINE, MembershipRole.MEMBER)),
    ),
)

BAUER_CONFERENCE = (
    "NATO is taking over some of the responsibility to coordinate military aid for Ukraine "
    "earlier held by the U.S., the Chair of the NATO Military Committee, Admiral Rob Bauer "
    "told a news conference Thursday that followed a meeting of allied and partner chiefs of "
    "defense in Brussels."
)

# The handover: NATO "is taking over" on Thursday 16 January 2025, a transfer under way that
# the article does not date, so NATO's mandate starts in January 2025 (precision month,
# stored as 1 January 2025), and the U.S.-led mandate ends there. The U.S. held it "earlier":
# the article gives no start at all. The model needs one, so it is recorded with the least
# the article implies: the coordination of aid for Ukraine's resistance to the invasion whose
# days the roundup counts, which began in 2022 (precision year, stored as 1 January 2022).
# That year is a reading of the context, not a reported date, and the note says so.
MANDATES: tuple[MandateFact, ...] = (
    MandateFact(
        key="scenario:military-aid-coordination:us-led",
        body=US_LED_COORDINATION,
        responsibility=MILITARY_AID_COORDINATION.code,
        starts_on=date(2022, 1, 1),  # 2022, precision year
        starts_on_precision=YEAR,
        citation=Citation(ROUNDUP, BAUER_CONFERENCE),
        note=(
            'Held by the U.S. "earlier": the article gives no start date. Recorded from 2022 '
            "(precision year), the year of the invasion whose days the report counts, as the "
            "earliest the coordination of aid against it can have begun; the real start is not "
            "in the sources."
        ),
    ),
    MandateFact(
        key="scenario:military-aid-coordination:nato",
        body=NATO_COORDINATION,
        responsibility=MILITARY_AID_COORDINATION.code,
        starts_on=date(2025, 1, 1),  # January 2025, precision month
        starts_on_precision=MONTH,
        citation=Citation(
            ROUNDUP,
            f"{BAUER_CONFERENCE} … “The framework after Washington [summit] is to transfer some "
            "of the things that were organized by the U.S. now into NATO, the ECCU [European "
            "Control Center Ukraine], the IDCC [International Donor Coordination Centre]. That "
            "was a group of nations helping Ukraine. Now NATO is taking over that "
            "responsibility, and the United States has agreed to that, and that doesn’t change "
            "on Monday,” Bauer said",
        ),
        note=(
            'Reported as under way ("is taking over") on Thursday 16 January 2025; the article '
            "gives no date on which the transfer took effect, so it is known only to the month "
            "(January 2025), and so is the end of the U.S.-led mandate. NATO takes over "
            '"some of" the U.S.\'s coordination: the ECCU and the IDCC.'
        ),
        hands_over=True,
    ),
)


# --- 000: the UK-Ukraine 100-year partnership ---------------------------------------------

UK_PARTNERSHIP = EventFact(
    key="scenario:uk-ukraine-100-year-partnership",
    kind=EventKind.AGREEMENT,
    title="UK–Ukraine 100-year partnership agreement signed",
    occurred_on=ROUNDUP_THURSDAY,  # "on Thursday" of days 1,055-1,059: see ROUNDUP
    occurred_on_precision=DAY,
    place="Kyiv",
    participants=(UNITED_KINGDOM, UKRAINE),
    description=(
        "Signed by Prime Minister Keir Starmer and President Volodymyr Zelenskyi. The article "
        "gives no figures and does not say what the agreement covers."
    ),
    citation=Citation(
        ROUNDUP,
        "Ukrainian President Volodymyr Zelenskyi and British Prime Minister Keir Starmer signed "
        "a landmark 100-year partnership agreement in Kyiv on Thursday.",
    ),
)


# --- 002: $12 billion at the Ukraine Recovery Conference in Rome ----------------------------

ROME_PLEDGE = CommitmentFact(
    key="scenario:rome-urc-2025",
    donor=ROME_CONFERENCE,
    recipient=UKRAINE,
    title="Funds secured from participants of the Ukraine Recovery Conference to rebuild Ukraine",
    # Not stated, rather than financial: the article gives the money's purpose ("to rebuild
    # Ukraine") but not its kind (grants, loans, guarantees or investment), and its own lede
    # calls what European leaders committed that day "billions of dollars in military aid".
    # Filing it as financial, as the Kiel tracker files reconstruction money, would be our
    # reading, not the article's; the purpose is in the title and description.
    category=AidCategory.UNSPECIFIED,
    announced_on=ROME_THURSDAY,  # the lede: leaders committed on Thursday (see ROME)
    announced_on_precision=DAY,
    description=(
        "Announced by Italy's Prime Minister at the conference in Rome. The sum is not split "
        "by participant, so the conference is the donor. For reconstruction; the article "
        "does not say in what form, and its lede speaks of military aid, so the category is "
        "not stated."
    ),
    citation=Citation(
        ROME,
        "Ukraine endured another air assault from Russia on Thursday before European leaders "
        "committed to sending billions of dollars in military aid to Kyiv. … The strikes came "
        "as Mr. Zelenskyy prepared to meet a slew of European leaders in Rome for the Ukraine "
        "Recovery Conference. … European leaders were receptive, with Kyiv securing $12 "
        "billion from participants to rebuild Ukraine, according to Italian Prime Minister "
        "Georgia Meloni.",
    ),
    entries=(
        EntryFact(
            key="scenario:rome-urc-2025-pledge",
            stage=Stage.PLEDGE,
            amount=Decimal("12000000000"),  # "$12 billion"
            currency="USD",
            # To the day: the lede puts the commitment on Thursday, after that day's assault.
            value_date=ROME_THURSDAY,
            value_date_precision=DAY,
            note='"$12 billion" secured from the conference\'s participants, as a pledge.',
        ),
    ),
)


# --- 002: the Pentagon pauses weapons shipments; Trump resumes them -------------------------

US_WEAPONS_PAUSE = PauseFact(
    key="scenario:us-weapons-pause-2025",
    # The donor of the aid paused, not the agency that ordered it: a pause covers the
    # commitments of its donor, and U.S. aid is recorded with the United States as donor.
    donor=UNITED_STATES,
    ordered_by=US_DEPARTMENT_OF_DEFENSE,  # "The Pentagon had ordered the pause"
    category=AidCategory.MILITARY,
    description="weapons shipments to Ukraine",
    # "last week", seen from the week of Thursday 10 July 2025: the week of Monday 30 June
    # 2025 (ROME_LAST_WEEK_MONDAY), recorded as that Monday with precision week.
    paused_on=ROME_LAST_WEEK_MONDAY,
    paused_on_precision=WEEK,
    reason="Over concerns that U.S. stockpiles were running low.",
    citation=Citation(
        ROME,
        "Russia’s escalating offensive comes as Washington resumes weapons shipments to Ukraine "
        "following a temporary pause last week. The Pentagon had ordered the pause over "
        "concerns that U.S. stockpiles were running low.",
    ),
    # "On Monday", seen from Thursday 10 July 2025: 7 July 2025 (ROME_MONDAY), the day Trump
    # declared the resumption; the article does not date the first shipment after it.
    resumed_on=ROME_MONDAY,
    resumption_citation=Citation(
        ROME,
        "On Monday, President Trump declared that the U.S. would resume sending hardware, "
        "asserting that Ukraine needs equipment to defend against Russia’s assaults.",
    ),
)


# --- 003: over $40bn of U.S. aid since February 2022 ----------------------------------------

US_AID_SINCE_INVASION = ReportedTotalFact(
    key="scenario:us-aid-since-february-2022",
    donor=UNITED_STATES,
    recipient=UKRAINE,
    stage=Stage.DISBURSEMENT,  # "has sent"
    qualifier=AmountQualifier.AT_LEAST,  # "over"
    amount=Decimal("40000000000"),  # "$40bn"
    currency="USD",
    period_start=date(2022, 2, 1),  # "since Russia's invasion in February 2022"
    period_start_precision=MONTH,
    as_of=FIRST_WEEK_OF_2024,  # see BELGOROD
    as_of_precision=WEEK,
    note=(
        'A running total of U.S. aid (the article says only "aid"), with the U.S. as '
        "Ukraine's biggest single-country donor; kept beside the ledger, not summed into it. "
        "The copy is undated: it reports Putin's New Year's Eve address and the strikes of "
        "30-31 December 2023, so it was written on New Year's Eve 2023 or in the first days "
        "of January 2024; recorded as of the week of 1 January 2024."
    ),
    citation=Citation(
        BELGOROD,
        "The US, Ukraine’s biggest single-country donor, has sent over $40bn in aid since "
        "Russia’s invasion in February 2022.",
    ),
)


# --- 004: the NATO-Ukraine Council's emergency meeting on air defence -----------------------

NUC_EMERGENCY_MEETING = EventFact(
    key="scenario:nato-ukraine-council-emergency-meeting-2024",
    kind=EventKind.MEETING,
    title="NATO agrees to an emergency meeting of the NATO-Ukraine Council",
    # The day Kuleba announced NATO's approval ("said on Jan. 3", 2024 from the byline); the
    # article dates the approval no more closely, nor the meeting itself.
    occurred_on=date(2024, 1, 3),
    occurred_on_precision=DAY,
    body=NATO_UKRAINE_COUNCIL,
    participants=(NATO, UKRAINE),
    description=(
        "NATO approved Kyiv's request for an emergency meeting of the council in response to "
        "Russia's recent large-scale strikes, Foreign Minister Dmytro Kuleba said on "
        "3 January 2024. A key topic: strengthening Ukraine's air defence. The date is that "
        "of the announcement; when and where the meeting would take place was not specified."
    ),
    citation=Citation(
        KULEBA,
        "NATO approved Kyiv’s request to hold an emergency meeting of the Ukraine-NATO Council "
        "in response to Russia's recent large-scale strikes against Ukraine, Foreign Minister "
        "Dmytro Kuleba said on Jan. 3. … One of the key topics of the council’s upcoming "
        "emergency meeting will be strengthening Ukraine's air defense, Kuleba said on X "
        "(formerly Twitter). … He didn't specify when and where the meeting would take place.",
    ),
)


COMMITMENTS: tuple[CommitmentFact, ...] = (BIDEN_EVERY_DOLLAR, ROME_PLEDGE)
PAUSES: tuple[PauseFact, ...] = (US_WEAPONS_PAUSE,)
RESPONSIBILITIES: tuple[ResponsibilitySpec, ...] = (MILITARY_AID_COORDINATION,)
REPORTED_TOTALS: tuple[ReportedTotalFact, ...] = (US_AID_SINCE_INVASION,)
EVENTS: tuple[EventFact, ...] = (UK_PARTNERSHIP, NUC_EMERGENCY_MEETING)


def citations() -> list[Citation]:
    """Every citation of the scenario, for checking them against the articles."""
    return [
        *(c.citation for c in COMMITMENTS),
        *(p.citation for p in PAUSES),
        *(p.resumption_citation for p in PAUSES),
        *(m.citation for m in MANDATES),
        *(t.citation for t in REPORTED_TOTALS),
        *(e.citation for e in EVENTS),
    ]
