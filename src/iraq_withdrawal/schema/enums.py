"""Controlled vocabularies of schema 1.0.0, each value with its written definition.

The definitions are part of the schema: they go into the JSON Schema, the Table
Schema's field descriptions and the codebook.
"""

from __future__ import annotations

from enum import Enum


class Vocabulary(str, Enum):
    """A string enum whose members carry a definition."""

    definition: str

    def __new__(cls, value: str, definition: str = ""):
        member = str.__new__(cls, value)
        member._value_ = value
        member.definition = definition
        return member

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value

    @classmethod
    def values(cls) -> list[str]:
        return [m.value for m in cls]

    @classmethod
    def definitions(cls) -> dict[str, str]:
        return {m.value: m.definition for m in cls}


class ActorKind(Vocabulary):
    PERSON = "person", "A named individual."
    STATE = "state", "A country acting as a whole (e.g. 'the United States', 'Iran')."
    GOVERNMENT_BODY = "government_body", "A government, administration, ministry, parliament or other state institution."
    ARMED_FORCES = "armed_forces", "A state's armed forces or a branch or contingent of them (e.g. 'US forces in Iraq')."
    MILITARY_COMMAND = "military_command", "A named military command or headquarters."
    ARMED_GROUP = "armed_group", "A non-state armed group, militia or faction, or a grouping of them."
    POLITICAL_PARTY = "political_party", "A political party, bloc or movement acting in politics."
    INTERGOVERNMENTAL_ORGANISATION = "intergovernmental_organisation", "An organisation of states (e.g. NATO, the UN)."
    COALITION = "coalition", "A military coalition of states (e.g. the US-led coalition against ISIS)."
    RESEARCH_ORGANISATION = "research_organisation", "A research centre, think tank or university cited as a source."
    MEDIA_OUTLET = "media_outlet", "A newspaper, magazine, channel, news agency or website."
    ANONYMOUS_SOURCE = "anonymous_source", "An unnamed speaker or group of speakers as the article describes them (e.g. 'US officials')."
    OTHER = "other", "Any other actor; the notes say what."


class PlaceKind(Vocabulary):
    COUNTRY = "country", "A country."
    REGION = "region", "A region within or across countries (e.g. the Kurdistan Region, the Middle East)."
    GOVERNORATE = "governorate", "A first-order administrative division (governorate, province)."
    CITY = "city", "A city, town or village."
    MILITARY_BASE = "military_base", "A military base or installation."
    AIRPORT = "airport", "A civil airport."
    BORDER_AREA = "border_area", "An area on or around a border."
    BODY_OF_WATER = "body_of_water", "A sea, gulf or river."
    OTHER = "other", "Any other place; the notes say what."


class EventType(Vocabulary):
    MILITARY_POSTURE = "military_posture", "Changes in the presence, role or numbers of foreign forces."
    DIPLOMACY = "diplomacy", "Negotiations, agreements, official visits and formal demands between governments."
    ARMED_VIOLENCE = "armed_violence", "Attacks, strikes and wars."
    POLITICS = "politics", "Domestic political acts: laws, government decisions, elections, protests, appointments."
    OTHER = "other", "Anything else; the notes say what."


class EventSubtype(Vocabulary):
    COMBAT_MISSION_END = "combat_mission_end", "A force ends its combat mission (and may stay in another role)."
    MISSION_CHANGE = "mission_change", "A force's mission changes (e.g. to advising and training) or a mission ends."
    TROOP_WITHDRAWAL = "troop_withdrawal", "Forces leave a country, base or area, in whole or in part."
    TROOP_DEPLOYMENT = "troop_deployment", "Forces are sent to or reinforced in a country, base or area."
    TROOP_PRESENCE = "troop_presence", "Forces are stationed or remain somewhere over a period."
    BASE_HANDOVER = "base_handover", "A base or facility passes from one force to another."
    EQUIPMENT_TRANSFER = "equipment_transfer", "Military equipment is moved out or handed over."
    TALKS = "talks", "Negotiations or a dialogue round between parties."
    AGREEMENT = "agreement", "Parties reach or announce an agreement."
    VISIT = "visit", "An official visit."
    MEETING = "meeting", "A meeting that is not part of a negotiation round."
    DEMAND = "demand", "A formal demand or request by one party to another."
    ATTACK = "attack", "An armed attack by any means (rockets, drones, explosives, gunfire)."
    AIRSTRIKE = "airstrike", "A strike from the air by a state's forces."
    KILLING = "killing", "A targeted killing or assassination."
    WAR = "war", "A war or armed campaign as a whole."
    LEGISLATION = "legislation", "A parliament passes, reads or votes on a law or resolution."
    GOVERNMENT_DECISION = "government_decision", "A government decides or orders something."
    ELECTION = "election", "An election."
    PROTEST = "protest", "A demonstration or protest."
    APPOINTMENT = "appointment", "Someone takes or leaves an office."
    OTHER = "other", "Anything else; the notes say what."


#: Which subtypes belong to which type.
SUBTYPES_BY_TYPE: dict[EventType, tuple[EventSubtype, ...]] = {
    EventType.MILITARY_POSTURE: (
        EventSubtype.COMBAT_MISSION_END,
        EventSubtype.MISSION_CHANGE,
        EventSubtype.TROOP_WITHDRAWAL,
        EventSubtype.TROOP_DEPLOYMENT,
        EventSubtype.TROOP_PRESENCE,
        EventSubtype.BASE_HANDOVER,
        EventSubtype.EQUIPMENT_TRANSFER,
    ),
    EventType.DIPLOMACY: (
        EventSubtype.TALKS,
        EventSubtype.AGREEMENT,
        EventSubtype.VISIT,
        EventSubtype.MEETING,
        EventSubtype.DEMAND,
    ),
    EventType.ARMED_VIOLENCE: (
        EventSubtype.ATTACK,
        EventSubtype.AIRSTRIKE,
        EventSubtype.KILLING,
        EventSubtype.WAR,
    ),
    EventType.POLITICS: (
        EventSubtype.LEGISLATION,
        EventSubtype.GOVERNMENT_DECISION,
        EventSubtype.ELECTION,
        EventSubtype.PROTEST,
        EventSubtype.APPOINTMENT,
    ),
    EventType.OTHER: (EventSubtype.OTHER,),
}

#: PLOVER (Halterman et al.) event category for each subtype, where one fits.
PLOVER_BY_SUBTYPE: dict[EventSubtype, str | None] = {
    EventSubtype.COMBAT_MISSION_END: "RETREAT",
    EventSubtype.MISSION_CHANGE: "RETREAT",
    EventSubtype.TROOP_WITHDRAWAL: "RETREAT",
    EventSubtype.TROOP_DEPLOYMENT: "MOBILIZE",
    EventSubtype.TROOP_PRESENCE: None,
    EventSubtype.BASE_HANDOVER: "CONCEDE",
    EventSubtype.EQUIPMENT_TRANSFER: "AID",
    EventSubtype.TALKS: "CONSULT",
    EventSubtype.AGREEMENT: "AGREE",
    EventSubtype.VISIT: "CONSULT",
    EventSubtype.MEETING: "CONSULT",
    EventSubtype.DEMAND: "REQUEST",
    EventSubtype.ATTACK: "ASSAULT",
    EventSubtype.AIRSTRIKE: "ASSAULT",
    EventSubtype.KILLING: "ASSAULT",
    EventSubtype.WAR: "ASSAULT",
    EventSubtype.LEGISLATION: None,
    EventSubtype.GOVERNMENT_DECISION: None,
    EventSubtype.ELECTION: None,
    EventSubtype.PROTEST: "PROTEST",
    EventSubtype.APPOINTMENT: None,
    EventSubtype.OTHER: None,
}


class EventStatus(Vocabulary):
    OCCURRED = "occurred", "Took place before publication."
    ONGOING = "ongoing", "Under way at publication."
    ANNOUNCED = "announced", "Declared or agreed, to take effect later."
    PLANNED = "planned", "Intended, scheduled or under consideration."
    THREATENED = "threatened", "An actor threatens to carry it out."
    DENIED = "denied", "Reported, then denied."
    SPECULATED = "speculated", "The author's or an analyst's expectation or scenario."


#: Statuses whose dates may lie after the source's publication date.
FORWARD_LOOKING_STATUSES = frozenset(
    {EventStatus.ANNOUNCED, EventStatus.PLANNED, EventStatus.THREATENED, EventStatus.SPECULATED, EventStatus.ONGOING}
)


class DatePrecision(Vocabulary):
    DAY = "day", "The day is known (for a multi-day span, the first and last day are known)."
    WEEK = "week", "Known to within a week."
    MONTH = "month", "The month is known, not the day: date_start is its first day, date_end its last."
    SEASON = "season", "A season or part of a year (e.g. 'summer 2020', 'late last year')."
    YEAR = "year", "The year is known: 1 January to 31 December."
    YEARS = "years", "A span of several years."


class DateBasis(Vocabulary):
    STATED = "stated", "The source prints the date."
    RELATIVE_TO_PUBLICATION = "relative_to_publication", "Resolved from a relative expression ('last Thursday') against the publication date."
    INFERRED = "inferred", "Deduced from other content; date_note gives the reasoning."


class PublicationDateBasis(Vocabulary):
    STATED = "stated", "The article prints its publication date."
    INFERRED = "inferred", "Deduced from the article's content; the note gives the reasoning."


class Channel(Vocabulary):
    SPEECH = "speech", "A speech or address."
    PRESS_CONFERENCE = "press_conference", "A press conference."
    PRESS_BRIEFING = "press_briefing", "A briefing to journalists, often background."
    SOCIAL_MEDIA_POST = "social_media_post", "A post on a social network."
    INTERVIEW = "interview", "An interview with a media outlet."
    OFFICIAL_STATEMENT = "official_statement", "A written or read-out statement of an institution."
    REPORT_OR_STUDY = "report_or_study", "A report, study or document."
    NEWS_REPORT = "news_report", "Information published by a media outlet."
    LETTER = "letter", "A letter."
    ARTICLE = "article", "The article's own author stating a view in the article itself (opinion or analysis)."
    OTHER = "other", "Another channel; the notes say which."
    UNKNOWN = "unknown", "The article does not say how it was said."


class Directness(Vocabulary):
    DIRECT = "direct", "The article quotes the speaker's words."
    INDIRECT = "indirect", "The article reports the speech in its own words."


class Stance(Vocabulary):
    SUPPORTS_PRESENCE = "supports_presence", "Argues for keeping foreign or coalition forces in Iraq, or warns against their leaving."
    SUPPORTS_WITHDRAWAL = "supports_withdrawal", "Demands, welcomes or announces the departure of foreign forces or the end of their mission."
    MIXED = "mixed", "Both, or conditional (end the combat role but keep advisers)."
    NEUTRAL = "neutral", "Speaks of the presence or withdrawal without taking a position."
    NOT_APPLICABLE = "not_applicable", "Does not concern foreign forces in Iraq."


class Qualifier(Vocabulary):
    EXACT = "exact", "The number as given, without qualification."
    APPROXIMATELY = "approximately", "About, nearly, around (نحو، حوالي، قرابة)."
    MORE_THAN = "more_than", "More than (أكثر من)."
    AT_LEAST = "at_least", "At least (ما لا يقل عن)."
    FEWER_THAN = "fewer_than", "Fewer than (أقل من)."
    UP_TO = "up_to", "Up to (حتى، ما يصل إلى)."
    RANGE = "range", "From ... to ...: value_low and value_high are set and value is empty."
    ORDER_OF = "order_of", ("A plural of a round number with no count (عشرات tens of, مئات hundreds of, آلاف thousands of); "
                            "value is the round number (10, 100, 1000).")


class Unit(Vocabulary):
    COUNT = "count", "A count of things; counted_en says of what."
    PERCENT = "percent", "A percentage."
    MULTIPLE = "multiple", "A multiple (المثلين, twice)."
    USD = "usd", "US dollars."
    DECADES = "decades", "A duration in decades (عقد، عقدين)."
    YEARS = "years", "A duration in years."
    MONTHS = "months", "A duration in months."
    WEEKS = "weeks", "A duration in weeks."
    DAYS = "days", "A duration in days."
    HOURS = "hours", "A duration in hours."
    KILOMETRES = "kilometres", "A distance in kilometres."
    ORDINAL = "ordinal", "A rank or order (the first, the second round)."
    OTHER = "other", "Another unit; counted_en says which."


class ActorRole(Vocabulary):
    INITIATOR = "initiator", "Carries out or starts the event."
    TARGET = "target", "The event is directed at or done to this actor."
    PARTICIPANT = "participant", "Takes part on an equal footing (a party to talks or an agreement)."
    HOST = "host", "Hosts the event or the forces concerned."
    MEDIATOR = "mediator", "Mediates between other parties."


class PlaceRole(Vocabulary):
    WHERE = "where", "Where the event happened."
    ORIGIN = "origin", "Where forces or goods moved from."
    DESTINATION = "destination", "Where forces or goods moved to."


class RecordTable(Vocabulary):
    SOURCES = "sources", "A source (article)."
    ACTORS = "actors", "An actor."
    PLACES = "places", "A place."
    EVENTS = "events", "An event."
    STATEMENTS = "statements", "A statement."
    FIGURES = "figures", "A figure."


# --- schema 1.1.0 -------------------------------------------------------------
# Vocabularies added in schema 1.1.0. The 1.0.0 classes above stay as they are, so the
# published documents of schema 1.0.0 do not change.


class DatePrecision11(Vocabulary):
    """Date precision of schema 1.1.0: the values of :class:`DatePrecision` plus ``window``.

    A Python enum cannot be extended, so the six 1.0.0 values are repeated here; their
    definitions are sharpened to say what date_start and date_end hold, and ``week`` now
    refers to the calendar week of CURATION.md (Sunday to Saturday).
    """

    DAY = "day", "The day is known: date_start and date_end are that day; for a span of days, its first and last day."
    WEEK = "week", (
        "Known to within one calendar week (Sunday to Saturday, the week convention of CURATION.md): "
        "date_start and date_end lie in the same week."
    )
    MONTH = "month", (
        "The month is known, not the day: date_start is its first day, date_end its last; for a span of whole "
        "months whose first and last month are known, the first day of the first month and the last day of the last."
    )
    SEASON = "season", (
        "A season or part of a year that the text names (e.g. 'summer 2020', 'early last year', 'late last year'): "
        "date_start and date_end are its first and last day."
    )
    YEAR = "year", "The year is known: 1 January to 31 December."
    YEARS = "years", "A span of several years."
    WINDOW = "window", (
        "An interval where no calendar unit fits (e.g. a Friday somewhere between two dates, a publication window from "
        "one weekday to another): date_start and date_end (or published_date and published_date_end) give it."
    )


class ActorSector(Vocabulary):
    """The sector an actor belongs to, modelled on the CAMEO/PLOVER actor sector codes."""

    STATE = "state", "A state acting as a whole, or several states named as a group ('the United States', 'Iran', 'the West', 'partner countries')."
    GOVERNMENT_EXECUTIVE = "government_executive", (
        "The executive of a state: heads of state and government, governments and administrations (also a capital standing "
        "for its government), ministries, departments, embassies, national-security offices, and the people who hold or "
        "speak for these offices (ministers, spokespeople, advisers). Ministries of defence and interior are here; "
        "uniformed forces are military or police_security."
    )
    LEGISLATURE = "legislature", "A parliament or other legislative body, or its members."
    MILITARY = "military", (
        "A state's armed forces, a branch, contingent, command, office or joint committee of them, a multinational "
        "military coalition, and officers the text presents by military rank or command."
    )
    POLICE_SECURITY = "police_security", (
        "Police, internal-security, counter-terrorism and intelligence services, forces the text calls security forces "
        "('قوات الأمن'), and their offices and heads."
    )
    ARMED_NON_STATE_GROUP = "armed_non_state_group", (
        "A non-state armed group, militia, faction or resistance movement, or a grouping of them, including groups the "
        "text calls militias ('ميليشيا'), and their leaders and founders."
    )
    POLITICAL_PARTY = "political_party", "A political party, bloc or the 'political forces' the text names as acting in politics."
    MEDIA = "media", "A news agency, newspaper, magazine, channel or website, unattributed news reports, and journalists and column writers."
    ANALYST_ACADEMIC = "analyst_academic", "Analysts, researchers, experts, academics, think tanks and research centres."
    INTERGOVERNMENTAL_ORGANISATION = "intergovernmental_organisation", "An organisation of states (e.g. NATO), its organs and officials."
    ANONYMOUS_OFFICIALS = "anonymous_officials", (
        "Unnamed officials ('مسؤولون', 'مسؤول كبير'), whatever their institution; parent gives the institution where the "
        "text names it."
    )
    POPULATION_GROUP = "population_group", "A population, ethnic or religious community as a whole (the Shia, the Sunnis, the Kurds)."
    BUSINESS = "business", "Companies and contractors."
    UNIDENTIFIED = "unidentified", "The text does not say what the actor is (unnamed 'sources' or 'critics', a name printed with no role)."
    OTHER = "other", "Any other sector, or a mix the text does not separate; the notes say what."


class FigureMeasure(Vocabulary):
    """What a figure measures, independent of its unit, so that e.g. casualty figures can be filtered."""

    KILLED = "killed", "People killed."
    INJURED = "injured", "People wounded or injured."
    TROOPS_PERSONNEL = "troops_personnel", "Soldiers, troops or mission personnel (present, deployed, remaining or withdrawn)."
    ATTACKS = "attacks", "Attacks (a count, or a multiple of an earlier count)."
    BASES = "bases", "Military bases or installations."
    EQUIPMENT = "equipment", "Military equipment, vehicles or loads of equipment (trucks)."
    MEMBER_STATES = "member_states", "Members of a coalition, alliance or organisation (states and organisations)."
    ARMED_GROUPS = "armed_groups", "Armed groups, militias or factions."
    DURATION = "duration", "A length of time (years, decades, a centenary)."
    ORDINAL = "ordinal", "A rank or place in a series (the first session, the third time, the tenth anniversary)."
    OTHER = "other", "Anything else (phases, sources, population components); counted_en says what."
