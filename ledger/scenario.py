"""The seed scenario: what five news reports say about aid to Ukraine, as data.

``manage.py load_scenario`` records it through the services. Each block is one fact and
names the copy of the article it comes from (``shared/fixtures/news/<fixture>``, which is
not read at run time). Excerpts are quoted word for word; `` … `` joins two quoted passages.

Dates: most copies give only weekdays ("on Thursday", "last week"). Each date below is
worked out from what its article says, and the comment shows how. Where the ledger cannot
hold a fact as reported (a date known only to the week, an "over" amount, a running total,
a meeting), the note or description says what was approximated or left out.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ledger.models import AidCategory, MembershipRole, OrganizationKind, Stage

# A copy with no headline gets a descriptive title, marked so: a source needs a URL or a title.
NO_HEADLINE = "[No headline in the copy] "


@dataclass(frozen=True)
class Article:
    fixture: str
    title: str
    publisher: str = ""
    published_on: date | None = None
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
    note: str = ""


@dataclass(frozen=True)
class CommitmentFact:
    key: str  # stored as the commitment's identifier (scheme "other"), which makes it idempotent
    donor: str
    recipient: str
    title: str
    category: str
    announced_on: date
    citation: Citation
    description: str = ""
    period_start: date | None = None
    period_end: date | None = None
    entries: tuple[EntryFact, ...] = ()


@dataclass(frozen=True)
class PauseFact:
    key: str
    donor: str
    category: str
    description: str
    reason: str
    paused_on: date
    citation: Citation
    resumed_on: date
    resumption_citation: Citation


@dataclass(frozen=True)
class MandateFact:
    key: str
    body: str
    responsibility: str  # its code
    starts_on: date
    citation: Citation
    note: str


@dataclass(frozen=True)
class ResponsibilitySpec:
    code: str
    name: str
    description: str


@dataclass(frozen=True)
class EventFact:
    """Something that happened that the ledger has no table for: kept as its cited source."""

    summary: str
    body: str
    citation: Citation


# --- The articles ------------------------------------------------------------------------

# 000: a weekly roundup of days 1,055-1,059 of the invasion. The copy names no publisher and
# gives no date. Counting from day 1 = 24 February 2022, those days are Monday 13 to Friday
# 17 January 2025, so its "Thursday" is 16 January 2025; it fits "that doesn't change on
# Monday", the day Trump took office (20 January 2025).
ROUNDUP = Article(
    fixture="000_70ffde4021a1320a.txt",
    title="Weekly roundup. Ukraine resists Russia’s invasion. Days 1,055-1,059",
)
ROUNDUP_THURSDAY = date(2025, 1, 16)

# 001: an RFE/RL report ("Asked by RFE/RL ...", "RFE/RL's Ukraine Live Briefing"); the copy's
# heading belongs to another story. Written on November 13 ("we discussed with allies and
# partners today"), of 2024: Trump is President-elect, to be inaugurated "early next year".
BLINKEN = Article(
    fixture="001_bdfcc43fd8513210.txt",
    title=f"{NO_HEADLINE}Blinken says the U.S. will push out all its aid for Ukraine by January 20",
    publisher="RFE/RL",
    published_on=date(2024, 11, 13),
)

# 002: a copy without publisher or date. Its "Thursday" is the first day of the Ukraine
# Recovery Conference in Rome, 10 July 2025 (the day Rubio met Lavrov in Kuala Lumpur);
# its "Monday" is 7 July 2025 and its "last week" the week of 30 June to 6 July 2025.
ROME = Article(
    fixture="002_b5d61d524fee68a9.txt",
    title="Kyiv weathers bombardment from Russia as Europe recommits to defense",
)
ROME_THURSDAY = date(2025, 7, 10)
ROME_MONDAY = ROME_THURSDAY - timedelta(days=3)
ROME_LAST_WEEK_MONDAY = ROME_MONDAY - timedelta(weeks=1)

# 003: a copy with no headline, publisher or date. It reports Putin's New Year's Eve address
# and Russia's strikes after the Belgorod attack, with Biden in office and the invasion of
# February 2022 behind: the turn of 2023 to 2024, reported at the start of January 2024.
BELGOROD = Article(
    fixture="003_bf083ae5b549d731.txt",
    title=f"{NO_HEADLINE}Russia strikes Kyiv and Kharkiv in retaliation for the Belgorod attack",
)
START_OF_JANUARY_2024 = date(2024, 1, 1)

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
UNITED_KINGDOM = "United Kingdom"
NATO = "NATO"
ROME_CONFERENCE = "Ukraine Recovery Conference 2025"

ORGANIZATIONS: tuple[OrganizationSpec, ...] = (
    OrganizationSpec(UKRAINE, OrganizationKind.STATE, "UA", aliases=("Kyiv",)),
    OrganizationSpec(
        UNITED_STATES,
        OrganizationKind.STATE,
        "US",
        aliases=("U.S.", "USA", "United States of America", "Washington"),
    ),
    OrganizationSpec(
        "United States Department of Defense",
        OrganizationKind.GOVERNMENT_BODY,
        "US",
        parent=UNITED_STATES,
        aliases=("Pentagon", "The Pentagon", "U.S. Department of Defense", "DoD"),
    ),
    OrganizationSpec(
        UNITED_KINGDOM, OrganizationKind.STATE, "GB", aliases=("UK", "U.K.", "Britain")
    ),
    OrganizationSpec(
        NATO, OrganizationKind.MULTILATERAL, aliases=("North Atlantic Treaty Organization",)
    ),
    OrganizationSpec(
        ROME_CONFERENCE,
        OrganizationKind.CONFERENCE,
        aliases=("URC2025", "Ukraine Recovery Conference in Rome"),
    ),
)


# --- 001: the Biden administration pushes out every remaining dollar ------------------------

BIDEN_EVERY_DOLLAR = CommitmentFact(
    key="scenario:biden-every-dollar-2024",
    donor=UNITED_STATES,
    recipient=UKRAINE,
    title="Every dollar at the administration's disposal pushed out the door by January 20",
    # The article does not say which aid; "military" is the nearest to its context
    # (Washington's military backing for Kyiv), because the model needs a category.
    category=AidCategory.MILITARY,
    announced_on=date(2024, 11, 13),
    period_start=date(2024, 11, 13),  # "between now and January 20"
    period_end=date(2025, 1, 20),  # Biden "leaves office on January 20" (2025, see BLINKEN)
    description=(
        "Blinken in Brussels on November 13: President Biden has committed to pushing out "
        "every dollar at the administration's disposal before he leaves office on January 20. "
        "No amount is stated, so the commitment has no entries. The article names no kind of "
        "aid; the category is the nearest to its context, not a reported fact."
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
            '"to enable closer coordination between Kyiv and the alliance". On 3 January 2024 '
            "NATO agreed to hold an emergency meeting of the council on Russia's mass strikes, "
            "strengthening Ukraine's air defence being a key topic."
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

MANDATES: tuple[MandateFact, ...] = (
    MandateFact(
        key="scenario:military-aid-coordination:us-led",
        body=US_LED_COORDINATION,
        responsibility=MILITARY_AID_COORDINATION.code,
        # The article says only that the U.S. held it "earlier". The model needs a start, so
        # the mandate starts on the one day the article puts it with the U.S.: the day before.
        starts_on=ROUNDUP_THURSDAY - timedelta(days=1),
        citation=Citation(ROUNDUP, BAUER_CONFERENCE),
        note=(
            'Held by the U.S. "earlier": the article gives no start date. Recorded from the day '
            "before the report (15 January 2025), the only day it places the responsibility "
            "with the U.S.; the real start is earlier and not in the sources."
        ),
    ),
    MandateFact(
        key="scenario:military-aid-coordination:nato",
        body=NATO_COORDINATION,
        responsibility=MILITARY_AID_COORDINATION.code,
        starts_on=ROUNDUP_THURSDAY,
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
            'gives no date on which the transfer took effect. NATO takes over "some of" the '
            "U.S.'s coordination: the ECCU and the IDCC."
        ),
    ),
)


# --- 000: the UK-Ukraine 100-year partnership ---------------------------------------------

UK_PARTNERSHIP = CommitmentFact(
    key="scenario:uk-ukraine-100-year-partnership",
    donor=UNITED_KINGDOM,
    recipient=UKRAINE,
    title="UK–Ukraine 100-year partnership agreement",
    # Nothing in the article says what the agreement covers; the model needs a category.
    category=AidCategory.MILITARY,
    announced_on=ROUNDUP_THURSDAY,
    description=(
        "Signed in Kyiv by Prime Minister Keir Starmer and President Volodymyr Zelenskyi. "
        "An agreement between two states, not an amount: the article gives no figures and "
        "does not say what it covers, so there are no entries and the category stands in for "
        "one the article does not give."
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
    # The ledger has no reconstruction category; funds "to rebuild Ukraine" are nearest to
    # financial aid.
    category=AidCategory.FINANCIAL,
    announced_on=ROME_THURSDAY,
    description=(
        "Announced by Italy's Prime Minister at the conference in Rome. The sum is not split "
        "by participant, so the conference is the donor. For reconstruction, which has no "
        "category of its own."
    ),
    citation=Citation(
        ROME,
        "The strikes came as Mr. Zelenskyy prepared to meet a slew of European leaders in Rome "
        "for the Ukraine Recovery Conference. … European leaders were receptive, with Kyiv "
        "securing $12 billion from participants to rebuild Ukraine, according to Italian Prime "
        "Minister Georgia Meloni.",
    ),
    entries=(
        EntryFact(
            key="scenario:rome-urc-2025-pledge",
            stage=Stage.PLEDGE,
            amount=Decimal("12000000000"),  # "$12 billion"
            currency="USD",
            value_date=ROME_THURSDAY,
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
    category=AidCategory.MILITARY,
    description="weapons shipments to Ukraine",
    # "last week", seen from the week of the conference: the pause began in the week of
    # 30 June to 6 July 2025; it is recorded from that week's first day.
    paused_on=ROME_LAST_WEEK_MONDAY,
    reason=(
        "Ordered by the Pentagon over concerns that U.S. stockpiles were running low. "
        'Dated only to "last week" by a report from the week of 7 July 2025: recorded from '
        "the first day of that week, 30 June 2025."
    ),
    citation=Citation(
        ROME,
        "Russia’s escalating offensive comes as Washington resumes weapons shipments to Ukraine "
        "following a temporary pause last week. The Pentagon had ordered the pause over "
        "concerns that U.S. stockpiles were running low.",
    ),
    resumed_on=ROME_MONDAY,  # the day Trump declared the resumption
    resumption_citation=Citation(
        ROME,
        "On Monday, President Trump declared that the U.S. would resume sending hardware, "
        "asserting that Ukraine needs equipment to defend against Russia’s assaults.",
    ),
)


# --- 003: over $40bn of U.S. aid since February 2022 ----------------------------------------

US_AID_SINCE_INVASION = CommitmentFact(
    key="scenario:us-aid-since-february-2022",
    donor=UNITED_STATES,
    recipient=UKRAINE,
    title="U.S. aid sent since Russia's invasion in February 2022 (running total as reported)",
    # "aid", in a paragraph about military assistance; the model needs a category.
    category=AidCategory.MILITARY,
    announced_on=START_OF_JANUARY_2024,
    description=(
        "Not one package: the running total of U.S. aid that the article reports, with the "
        'U.S. as Ukraine\'s biggest single-country donor. The article says only "aid"; the '
        "category is the nearest to its context. The start of the period is known only to "
        "the month (February 2022) and is left empty."
    ),
    citation=Citation(
        BELGOROD,
        "The US, Ukraine’s biggest single-country donor, has sent over $40bn in aid since "
        "Russia’s invasion in February 2022.",
    ),
    entries=(
        EntryFact(
            key="scenario:us-aid-since-february-2022-sent",
            stage=Stage.DISBURSEMENT,
            amount=Decimal("40000000000"),  # "over $40bn"
            currency="USD",
            value_date=START_OF_JANUARY_2024,
            note=(
                '"over $40bn" sent since February 2022: a lower bound of a running total, not '
                "one delivery. The copy is undated and was reported at the start of January "
                "2024; recorded on 1 January 2024."
            ),
        ),
    ),
)


# --- 004: the NATO-Ukraine Council's emergency meeting on air defence -----------------------

NUC_EMERGENCY_MEETING = EventFact(
    summary="NATO agrees to an emergency NATO-Ukraine Council meeting on air defence",
    body=NATO_UKRAINE_COUNCIL,
    citation=Citation(
        KULEBA,
        "NATO approved Kyiv’s request to hold an emergency meeting of the Ukraine-NATO Council "
        "in response to Russia's recent large-scale strikes against Ukraine, Foreign Minister "
        "Dmytro Kuleba said on Jan. 3. … One of the key topics of the council’s upcoming "
        "emergency meeting will be strengthening Ukraine's air defense, Kuleba said on X "
        "(formerly Twitter).",
    ),
)


COMMITMENTS: tuple[CommitmentFact, ...] = (
    US_AID_SINCE_INVASION,
    BIDEN_EVERY_DOLLAR,
    UK_PARTNERSHIP,
    ROME_PLEDGE,
)
PAUSES: tuple[PauseFact, ...] = (US_WEAPONS_PAUSE,)
RESPONSIBILITIES: tuple[ResponsibilitySpec, ...] = (MILITARY_AID_COORDINATION,)
EVENTS: tuple[EventFact, ...] = (NUC_EMERGENCY_MEETING,)


def citations() -> list[Citation]:
    """Every citation of the scenario, for checking them against the articles."""
    return [
        *(c.citation for c in COMMITMENTS),
        *(p.citation for p in PAUSES),
        *(p.resumption_citation for p in PAUSES),
        *(m.citation for m in MANDATES),
        *(e.citation for e in EVENTS),
    ]
