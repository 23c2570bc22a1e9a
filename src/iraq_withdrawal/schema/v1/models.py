"""Schema 1.0.0: the one definition of every record and table.

Each table has a ``*Fields`` model with the columns a curator writes. The curated
record (``*Record``, what a YAML file holds) adds nested evidence and links; the
table row (``*Row``, what a release holds) adds the columns the build derives. The
JSON Schema, Frictionless Table Schema, Arrow schema, pandera schema and codebook
are all derived from these classes (see ``iraq_withdrawal.schema.derive``).

Column metadata rides in ``json_schema_extra``:

- ``primary_key``: part of the table's primary key;
- ``foreign_key``: ``"table.field"`` the value must exist in;
- ``arrow``: an Arrow type narrower than the Python annotation implies (``int8``);
- ``derived``: computed by the build, never written by a curator.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from ..enums import (
    SUBTYPES_BY_TYPE,
    ActorKind,
    ActorRole,
    Channel,
    DateBasis,
    DatePrecision,
    Directness,
    EventStatus,
    EventSubtype,
    EventType,
    PlaceKind,
    PlaceRole,
    PublicationDateBasis,
    Qualifier,
    RecordTable,
    Stance,
    Unit,
)

SCHEMA_VERSION = "1.0.0"

ID_PATTERN = r"^(src|act|plc|evt|stm|fig)-[a-z0-9]+(-[a-z0-9]+)*$"


def _id(prefix: str) -> str:
    return rf"^{prefix}-[a-z0-9]+(-[a-z0-9]+)*$"


def _country_exists(value: str | None) -> str | None:
    if value is None:
        return value
    import pycountry

    if pycountry.countries.get(alpha_2=value) is None:
        raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-2 country code")
    return value


SourceId = Annotated[str, StringConstraints(pattern=_id("src"))]
ActorId = Annotated[str, StringConstraints(pattern=_id("act"))]
PlaceId = Annotated[str, StringConstraints(pattern=_id("plc"))]
EventId = Annotated[str, StringConstraints(pattern=_id("evt"))]
StatementId = Annotated[str, StringConstraints(pattern=_id("stm"))]
FigureId = Annotated[str, StringConstraints(pattern=_id("fig"))]
RecordId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$"), AfterValidator(_country_exists)]
SubdivisionCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
CONTROL_CHARACTERS = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_CONTROL = re.compile(CONTROL_CHARACTERS)


def _no_control_characters(value: str) -> str:
    m = _CONTROL.search(value)  # compiled once: this runs on every text field of every record
    if m:
        raise ValueError(f"contains the control character U+{ord(m.group()):04X} at position {m.start()}")
    return value


Text = Annotated[str, StringConstraints(min_length=1), AfterValidator(_no_control_characters)]


def col(description: str, **extra: Any) -> Any:
    """A required column."""
    return Field(..., description=description, json_schema_extra=extra or None)


def opt(description: str, default: Any = None, **extra: Any) -> Any:
    """An optional column (null when unknown)."""
    return Field(default, description=description, json_schema_extra=extra or None)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, use_enum_values=False)


# --- evidence ---------------------------------------------------------------


class EvidenceQuote(Model):
    """One verbatim quote from a source, as a curator writes it."""

    source: SourceId = col("Id of the source the quote is taken from.", foreign_key="sources.id")
    quote: Text = col("The words the record rests on, copied verbatim from the source text.")
    occurrence: Optional[Annotated[int, Field(ge=1)]] = opt(
        "Which occurrence of the quote in the source is meant (1-based); required when the quote occurs more than once."
    )


class EvidenceRow(Model):
    """A row of the evidence table: a quote located in its source."""

    record: RecordId = col("Id of the record this quote supports.", primary_key=True)
    seq: Annotated[int, Field(ge=1)] = col("Position of this quote among the record's evidence (1-based).", primary_key=True, arrow="int16")
    record_table: RecordTable = col("Table the record belongs to.")
    source: SourceId = col("Id of the source the quote is taken from.", foreign_key="sources.id")
    quote: Text = col("The quote, verbatim from the source text.")
    occurrence: Annotated[int, Field(ge=1)] = col("Which occurrence of the quote in the source this is (1-based).", arrow="int16")
    char_start: Annotated[int, Field(ge=0)] = col(
        "Offset of the quote's first character in the source text (Unicode code points, 0-based).", arrow="int32", derived=True
    )
    char_end: Annotated[int, Field(ge=0)] = col(
        "Offset just past the quote's last character (end exclusive), so that text[char_start:char_end] == quote.",
        arrow="int32",
        derived=True,
    )


class Evidenced(Model):
    evidence: list[EvidenceQuote] = Field(
        ..., min_length=1, description="Verbatim quotes from the sources that this record rests on."
    )


# --- dates ------------------------------------------------------------------


class Dated(Model):
    date_start: Optional[dt.date] = opt("First day of the interval the source allows for the date (ISO 8601).")
    date_end: Optional[dt.date] = opt("Last day of the interval the source allows for the date (ISO 8601).")
    date_precision: Optional[DatePrecision] = opt("How precisely the source fixes the date.")
    date_basis: Optional[DateBasis] = opt("Where the date comes from: printed, resolved against the publication date, or inferred.")
    date_note: Optional[Text] = opt("How a relative or inferred date was resolved.")


# --- sources ----------------------------------------------------------------


class SourceFields(Model):
    id: SourceId = col("Source id.", primary_key=True)
    publisher_ar: Optional[Text] = opt("Publisher as named in the text (Arabic); null when the text does not name it.")
    publisher_en: Optional[Text] = opt("Publisher in English (transliteration or established English name).")
    title_ar: Optional[Text] = opt("Headline as printed; null when the text has none.")
    title_en: Optional[Text] = opt("Faithful English translation of the headline.")
    author_ar: Optional[Text] = opt("Author as printed; null when none is credited.")
    author_en: Optional[Text] = opt("Author's name transliterated.")
    wire_agency_ar: Optional[Text] = opt("News agency the text credits, as printed (e.g. 'أ ف ب').")
    wire_agency_en: Optional[Text] = opt("That agency's English name.")
    published_date: dt.date = col("Publication date (ISO 8601).")
    published_date_precision: DatePrecision = col("Precision of the publication date.")
    published_date_basis: PublicationDateBasis = col("Whether the publication date is printed or inferred.")
    published_date_note: Optional[Text] = opt("Where the date is printed, or how it was inferred.")
    language: LanguageCode = col("Language of the text (ISO 639-1).")
    url: Optional[Text] = opt("Address of the article; null when unknown (never guessed).")
    notes: Optional[Text] = opt("Observations on the source (credits that contradict the text, translation quality).")


class SourceRecord(SourceFields, Evidenced):
    """A source as curated in sources.yaml."""


class SourceRow(SourceFields):
    text_path: Text = col("Path of the source text inside the release, with '/' separators.", derived=True)
    text_sha256: Sha256 = col("SHA-256 of the source text file (UTF-8 bytes).", derived=True)
    text_length: Annotated[int, Field(ge=0)] = col("Length of the source text in Unicode code points.", arrow="int32", derived=True)


# --- actors -----------------------------------------------------------------


class ActorFields(Model):
    id: ActorId = col("Actor id.", primary_key=True)
    name_en: Text = col("Name in English (transliteration or established English name), as the articles give it.")
    name_ar: Text = col("Name in Arabic, as the articles give it.")
    aliases_ar: list[Text] = Field(default_factory=list, description="Other Arabic names the articles use.")
    aliases_en: list[Text] = Field(default_factory=list, description="Those other names in English.")
    kind: ActorKind = col("What kind of actor this is.")
    country: Optional[CountryCode] = opt("Country the actor belongs to (ISO 3166-1 alpha-2), where the text makes it clear.")
    parent: Optional[ActorId] = opt("Id of the actor this one belongs to, where the text says so.", foreign_key="actors.id")
    description_en: Optional[Text] = opt("Who or what this is, as the articles present it (English).")
    description_ar: Optional[Text] = opt("Who or what this is, in the articles' words (Arabic).")
    notes: Optional[Text] = opt("Curator's notes.")


class ActorRecord(ActorFields, Evidenced):
    """An actor as curated."""


class ActorRow(ActorFields):
    pass


# --- places -----------------------------------------------------------------


class PlaceFields(Model):
    id: PlaceId = col("Place id.", primary_key=True)
    name_en: Text = col("Name in English, as the articles give it.")
    name_ar: Text = col("Name in Arabic, as the articles give it.")
    kind: PlaceKind = col("What kind of place this is.")
    country: Optional[CountryCode] = opt("Country (ISO 3166-1 alpha-2); null for places across or outside countries.")
    subdivision: Optional[SubdivisionCode] = opt("ISO 3166-2 subdivision, only where the text names it.")
    parent: Optional[PlaceId] = opt("Id of the containing place, where the text gives it.", foreign_key="places.id")
    where_prec: Optional[Annotated[int, Field(ge=1, le=7)]] = opt(
        "Spatial precision on UCDP's where_prec scale: 1 exact location, 2 within about 25 km, 3 second-order "
        "administrative division, 4 first-order administrative division, 5 part of a country, "
        "6 country, 7 international waters or airspace; null for an area larger than one country "
        "or a place the text does not locate.",
        arrow="int8",
    )
    notes: Optional[Text] = opt("Curator's notes.")

    @field_validator("subdivision")
    @classmethod
    def _subdivision_exists(cls, value: str | None) -> str | None:
        if value is None:
            return value
        import pycountry

        if pycountry.subdivisions.get(code=value) is None:
            raise ValueError(f"'{value}' is not an ISO 3166-2 subdivision code")
        return value


class PlaceRecord(PlaceFields, Evidenced):
    """A place as curated."""


class PlaceRow(PlaceFields):
    pass


# --- events -----------------------------------------------------------------


class EventActorLink(Model):
    actor: ActorId = col("Id of the actor.", foreign_key="actors.id")
    role: ActorRole = col("The actor's role in the event.")


class EventPlaceLink(Model):
    place: PlaceId = col("Id of the place.", foreign_key="places.id")
    role: PlaceRole = col("The place's role in the event.")


class EventFields(Dated):
    id: EventId = col("Event id.", primary_key=True)
    event_type: EventType = col("Type of event.")
    event_subtype: EventSubtype = col("Subtype of event; must belong to event_type.")
    status: EventStatus = col("Whether the event occurred, is under way, announced, planned, threatened, denied or speculated.")
    summary_en: Text = col("What happened, in English, faithful to the sources.")
    summary_ar: Text = col("What happened, in Arabic, in the sources' words.")
    notes: Optional[Text] = opt("Curator's notes: differences between sources, inconsistencies.")

    @model_validator(mode="after")
    def _subtype_belongs_to_type(self):
        if self.event_subtype not in SUBTYPES_BY_TYPE[self.event_type]:
            allowed = ", ".join(s.value for s in SUBTYPES_BY_TYPE[self.event_type])
            raise ValueError(
                f"event_subtype '{self.event_subtype.value}' does not belong to event_type "
                f"'{self.event_type.value}' (allowed: {allowed})"
            )
        return self


class EventRecord(EventFields, Evidenced):
    """An event as curated, with its actors and places."""

    actors: list[EventActorLink] = Field(default_factory=list, description="Actors and their roles.")
    places: list[EventPlaceLink] = Field(default_factory=list, description="Places and their roles.")


class EventRow(EventFields):
    plover_category: Optional[Text] = opt("PLOVER event category for the subtype, where one fits.", derived=True)
    date_prec: Optional[Annotated[int, Field(ge=1, le=5)]] = opt(
        "UCDP date_prec code from the date interval: 1 one day, 2 two to six days, 3 a week to a month, "
        "4 more than a month within a year, 5 more than a year.",
        arrow="int8",
        derived=True,
    )


class EventActorRow(Model):
    event: EventId = col("Id of the event.", primary_key=True, foreign_key="events.id")
    actor: ActorId = col("Id of the actor.", primary_key=True, foreign_key="actors.id")
    role: ActorRole = col("The actor's role in the event.", primary_key=True)


class EventPlaceRow(Model):
    event: EventId = col("Id of the event.", primary_key=True, foreign_key="events.id")
    place: PlaceId = col("Id of the place.", primary_key=True, foreign_key="places.id")
    role: PlaceRole = col("The place's role in the event.", primary_key=True)


# --- statements -------------------------------------------------------------


class StatementFields(Dated):
    id: StatementId = col("Statement id.", primary_key=True)
    source: SourceId = col("Id of the source that reports the statement.", foreign_key="sources.id")
    speaker: ActorId = col("Id of the actor the source attributes the statement to.", foreign_key="actors.id")
    speaker_role_ar: Optional[Text] = opt("The speaker's role as the source gives it (Arabic).")
    speaker_role_en: Optional[Text] = opt("That role in English.")
    channel: Channel = col("How the statement was made.")
    reported_via: Optional[ActorId] = opt("Id of the media actor the source credits for the statement, if named.", foreign_key="actors.id")
    directness: Directness = col("Direct quotation or reported speech.")
    text_ar: Text = col("The statement in Arabic, verbatim from the source.")
    text_en: Text = col("Faithful English translation of text_ar.")
    original_language: Optional[LanguageCode] = opt(
        "ISO 639-1 language of the original utterance when the Arabic is a translation; null otherwise."
    )
    stance: Stance = col("Stance towards foreign troops in Iraq.")
    event: Optional[EventId] = opt("Id of the event the statement concerns.", foreign_key="events.id")
    notes: Optional[Text] = opt("Curator's notes.")


class StatementRecord(StatementFields, Evidenced):
    """A statement as curated."""

    text_occurrence: Optional[Annotated[int, Field(ge=1)]] = Field(
        None, description="Which occurrence of text_ar in the source is meant, when it occurs more than once."
    )


class StatementRow(StatementFields):
    pass


# --- figures ----------------------------------------------------------------


class FigureFields(Dated):
    id: FigureId = col("Figure id.", primary_key=True)
    source: SourceId = col("Id of the source that gives the figure.", foreign_key="sources.id")
    value: Optional[float] = opt("The number; null for a range.")
    value_low: Optional[float] = opt("Lower bound, for a range.")
    value_high: Optional[float] = opt("Upper bound, for a range.")
    qualifier: Qualifier = col("How the number is qualified in the text.")
    unit: Unit = col("Unit of the number.")
    counted_en: Text = col("What is counted or measured, in English.")
    counted_ar: Optional[Text] = opt("What is counted, in the source's words.")
    as_written: Text = col("The number exactly as printed, digits or words.")
    whose: Optional[ActorId] = opt("Id of the actor whose troops, money or losses are counted.", foreign_key="actors.id")
    claimed_by: Optional[ActorId] = opt("Id of the actor the source attributes the number to.", foreign_key="actors.id")
    event: Optional[EventId] = opt("Id of the event the figure belongs to.", foreign_key="events.id")
    notes: Optional[Text] = opt("Curator's notes.")

    @model_validator(mode="after")
    def _value_matches_qualifier(self):
        if self.qualifier == Qualifier.RANGE:
            if self.value_low is None or self.value_high is None:
                raise ValueError("a range needs value_low and value_high")
            if self.value_low > self.value_high:
                raise ValueError("value_low is greater than value_high")
        elif self.value is None:
            raise ValueError(f"qualifier '{self.qualifier.value}' needs a value")
        return self


class FigureRecord(FigureFields, Evidenced):
    """A figure as curated."""


class FigureRow(FigureFields):
    pass


# --- exclusions -------------------------------------------------------------


class Exclusion(Model):
    """A number or quoted span that no record needs, with the reason."""

    source: SourceId = col("Id of the source.", foreign_key="sources.id")
    quote: Text = col("The excluded text, verbatim, with enough context to be unambiguous.")
    occurrence: Optional[Annotated[int, Field(ge=1)]] = opt("Which occurrence, when the quote occurs more than once.")
    reason: Text = col("Why no record needs it.")


# --- retired ids ------------------------------------------------------------

VersionText = Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")]


class RetiredId(Model):
    """An id that was released and later withdrawn. Ids are never reused."""

    id: RecordId = col("The withdrawn id.", primary_key=True)
    record_table: RecordTable = col("Table the record belonged to.")
    retired_in: VersionText = col("First dataset version without the record.")
    reason: Text = col("Why the record was withdrawn.")
    replaced_by: Optional[RecordId] = opt("Id of the record that replaces it, if any.")


#: The release tables, in the order a release lists them.
ROW_MODELS: dict[str, type[Model]] = {
    "sources": SourceRow,
    "actors": ActorRow,
    "places": PlaceRow,
    "events": EventRow,
    "event_actors": EventActorRow,
    "event_places": EventPlaceRow,
    "statements": StatementRow,
    "figures": FigureRow,
    "evidence": EvidenceRow,
    "retired_ids": RetiredId,
}

#: What a curated YAML file may hold, by top-level key.
RECORD_MODELS: dict[str, type[Model]] = {
    "sources": SourceRecord,
    "actors": ActorRecord,
    "places": PlaceRecord,
    "events": EventRecord,
    "statements": StatementRecord,
    "figures": FigureRecord,
    "exclusions": Exclusion,
    "retired_ids": RetiredId,
}

TABLE_DESCRIPTIONS: dict[str, str] = {
    "sources": "The five Arabic articles the dataset is made from, with their publication details.",
    "actors": "People, states, government bodies, armed groups, organisations, media and anonymous sources named in the articles.",
    "places": "Places the articles name, with UCDP-style spatial precision.",
    "events": "Events the articles report or mention, with status, date interval, precision and basis.",
    "event_actors": "Which actors take part in which events, and in what role.",
    "event_places": "Where events happen, and where forces move from and to.",
    "statements": "Attributed statements, direct and indirect, with verbatim Arabic and a faithful translation.",
    "figures": "Numbers the articles give, with qualifier, unit and what is counted.",
    "evidence": "Every verbatim quote that supports a record, located by character offsets in its source text.",
    "retired_ids": "Ids released earlier and since withdrawn, with the reason and any replacement; ids are never reused.",
}
