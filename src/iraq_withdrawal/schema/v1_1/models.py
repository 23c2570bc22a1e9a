"""Schema 1.1.0: schema 1.0.0 plus optional curated columns and new vocabularies.

Every class here extends its 1.0.0 counterpart (``iraq_withdrawal.schema.v1.models``)
by inheritance, so 1.0.0 stays the one definition of everything it already had and this
module holds only what 1.1.0 adds. The additions of a table live in one mixin
(``*Additions``) that is mixed into that table's curated record and release row:

- sources: ``published_date_end`` (last day of the publication window) and the
  precision value ``window`` (``published_date_precision`` is re-typed to
  :class:`DatePrecision11`);
- events, statements, figures: ``date_precision`` re-typed to :class:`DatePrecision11`;
- actors: ``sector`` (:class:`ActorSector`) and ``public_office``;
- figures: ``measure`` (:class:`FigureMeasure`) and ``also_claimed_by``;
- statements: ``utterance`` (links the records of one jointly attributed utterance).

Field order: pydantic keeps a field re-declared in a subclass at its parent's position
(``date_precision`` stays after ``date_end``) and appends new fields after the parent's,
so the 1.0.0 columns keep their order and the new ones come last in every table. Every
new column is optional (nullable), so ``schema diff 1.0.0 1.1.0`` classifies the change
as minor: a 1.0.0 reader sees extra trailing columns and the new precision value.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Optional

from pydantic import Field, model_validator

from ..dates import week_start
from ..enums import (
    ActorKind,
    ActorSector,
    Channel,
    DateBasis,
    DatePrecision11,
    Directness,
    EventStatus,
    EventSubtype,
    EventType,
    FigureMeasure,
    Qualifier,
    Stance,
    Unit,
)
from ..v1 import models as v10
from ..v1.models import (  # noqa: F401  re-exported unchanged: schema 1.1.0 has them as 1.0.0 defined them
    ID_PATTERN,
    ActorId,
    CountryCode,
    EventActorRow,
    EventId,
    EventPlaceRow,
    EvidenceRow,
    Exclusion,
    FigureId,
    LanguageCode,
    Model,
    PlaceId,
    PlaceRecord,
    PlaceRow,
    RetiredId,
    SourceId,
    StatementId,
    Text,
    col,
    opt,
)

SCHEMA_VERSION = "1.1.0"


# --- dates ------------------------------------------------------------------


class DatedAdditions(Model):
    date_precision: Optional[DatePrecision11] = opt("How precisely the source fixes the date.")


# --- sources ----------------------------------------------------------------


class SourceAdditions(Model):
    published_date_precision: DatePrecision11 = col(
        "Precision of the publication date; for an inferred date, the calendar unit that the window "
        "published_date to published_date_end fits, or 'window' when none fits."
    )
    published_date_end: Optional[dt.date] = opt(
        "Last day of the publication window (ISO 8601); published_date is its first day. Equal to published_date "
        "when the day is known; null only in data curated before schema 1.1.0."
    )

    @model_validator(mode="after")
    def _window_fits_precision(self):
        start, end, precision = self.published_date, self.published_date_end, self.published_date_precision
        if end is None:
            if precision not in (DatePrecision11.DAY, None):
                raise ValueError(f"published_date_precision '{precision.value}' needs published_date_end (the window's last day)")
            return self
        if end < start:
            raise ValueError(f"published_date_end {end} is before published_date {start}")
        problem = None
        if precision == DatePrecision11.DAY and end != start:
            problem = "a day-precise publication date has published_date_end equal to published_date"
        elif precision == DatePrecision11.WEEK and week_start(start) != week_start(end):
            problem = "a week-precise window lies within one Sunday-to-Saturday week"
        elif precision == DatePrecision11.MONTH and (start.day != 1 or (end + dt.timedelta(days=1)).day != 1
                                                     or (start.year, start.month) != (end.year, end.month)):
            problem = "a month-precise window runs from the first to the last day of one month"
        elif precision == DatePrecision11.YEAR and (start.year != end.year or (start.month, start.day, end.month, end.day) != (1, 1, 12, 31)):
            problem = "a year-precise window runs from 1 January to 31 December of one year"
        if problem:
            raise ValueError(f"{problem} ({start} to {end} does not); use 'window' when no calendar unit fits")
        return self


class SourceRecord(SourceAdditions, v10.SourceRecord):
    """A source as curated in sources.yaml."""


class SourceRow(SourceAdditions, v10.SourceRow):
    pass


# --- actors -----------------------------------------------------------------


class ActorAdditions(Model):
    sector: Optional[ActorSector] = opt("Sector of the actor (modelled on CAMEO/PLOVER actor sectors), as the articles present it.")
    public_office: Optional[bool] = opt(
        "True when the actor holds or speaks for public office (of a state, its government, legislature, armed or "
        "security forces, or an intergovernmental organisation) as the articles present it; false when it does not; "
        "null only when the text does not allow a decision."
    )


class ActorRecord(ActorAdditions, v10.ActorRecord):
    """An actor as curated."""


class ActorRow(ActorAdditions, v10.ActorRow):
    pass


# --- events -----------------------------------------------------------------


class EventRecord(DatedAdditions, v10.EventRecord):
    """An event as curated, with its actors and places."""


class ReportedAdditions(Model):
    """The reporting interval the build derives for every event, statement and figure."""

    reported_start: Optional[dt.date] = opt(
        "First day of the reporting interval: published_date of the earliest source whose evidence supports the record. "
        "Computed by the build; never null in a release of schema 1.1.0 or later.",
        derived=True,
    )
    reported_end: Optional[dt.date] = opt(
        "Last day of the reporting interval: published_date_end of that source (its publication window's last day). The "
        "record was reported, so what it says had happened or been said, by this day at the latest; an undated record is "
        "bounded by it. Computed by the build; never null in a release of schema 1.1.0 or later.",
        derived=True,
    )


class EventRow(DatedAdditions, ReportedAdditions, v10.EventRow):
    source_ids: list[SourceId] = Field(
        default_factory=list,
        description="Ids of every source whose evidence supports the event, sorted. Computed by the build.",
        json_schema_extra={"derived": True},
    )
    source_count: Optional[Annotated[int, Field(ge=0)]] = opt(
        "How many sources report the event (the length of source_ids). Computed by the build.", arrow="int16", derived=True
    )


# --- statements -------------------------------------------------------------


class StatementAdditions(DatedAdditions):
    utterance: Optional[StatementId] = opt(
        "For one utterance attributed jointly to several speakers (recorded once per speaker): the id of the group's "
        "first statement, shared by every record of the group, the first included; null for a statement with one speaker, "
        "and null for words the text says were repeated by others or for several acts reported in the plural, even when "
        "they share the same words.",
        foreign_key="statements.id",
    )


class StatementRecord(StatementAdditions, v10.StatementRecord):
    """A statement as curated."""


class StatementRow(StatementAdditions, ReportedAdditions, v10.StatementRow):
    pass


# --- figures ----------------------------------------------------------------


class FigureAdditions(DatedAdditions):
    measure: Optional[FigureMeasure] = opt("What the figure measures (casualties, troops, attacks, a duration ...), whatever its unit.")
    also_claimed_by: list[ActorId] = Field(
        default_factory=list,
        description="Further actors the source attributes the number to jointly with claimed_by (each an id in actors.id); "
        "empty when claimed_by is the only claimant.",
        json_schema_extra={"foreign_key": "actors.id"},
    )

    @model_validator(mode="after")
    def _claimants(self):
        if self.also_claimed_by and self.claimed_by is None:
            raise ValueError("also_claimed_by is given but claimed_by (the first claimant) is empty")
        if self.claimed_by in self.also_claimed_by or len(set(self.also_claimed_by)) != len(self.also_claimed_by):
            raise ValueError("also_claimed_by repeats a claimant")
        return self


class FigureRecord(FigureAdditions, v10.FigureRecord):
    """A figure as curated."""


class FigureRow(FigureAdditions, ReportedAdditions, v10.FigureRow):
    pass


# --- flat tables --------------------------------------------------------------
#
# One row per event, statement and figure with the names and dates an analyst would
# otherwise join for: the shape of ACLED and UCDP GED rows. Every column is computed by
# the build from the normalised tables above, and the validator recomputes them (IW706).


def _names(role: str, what: str = "actors") -> Any:
    return Field(default_factory=list, description=f"English names of the {what} in the role '{role}', in id order.",
                 json_schema_extra={"derived": True})


class EventFlatRow(Model):
    """One row per event, with actor and place names by role and its sources."""

    id: EventId = col("Event id.", primary_key=True, foreign_key="events.id", derived=True)
    event_type: EventType = col("Type of event.", derived=True)
    event_subtype: EventSubtype = col("Subtype of event.", derived=True)
    plover_category: Optional[Text] = opt("PLOVER event category for the subtype, where one fits.", derived=True)
    status: EventStatus = col("Whether the event occurred, is under way, announced, planned, threatened, denied or speculated.", derived=True)
    date_start: Optional[dt.date] = opt("First day of the interval the source allows for the date.", derived=True)
    date_end: Optional[dt.date] = opt("Last day of that interval; null for an open end (ongoing, or a lower bound only).", derived=True)
    date_precision: Optional[DatePrecision11] = opt("How precisely the source fixes the date.", derived=True)
    date_prec: Optional[Annotated[int, Field(ge=1, le=5)]] = opt("UCDP date_prec code from the date interval.", arrow="int8", derived=True)
    date_basis: Optional[DateBasis] = opt("Where the date comes from.", derived=True)
    reported_start: Optional[dt.date] = opt("First day of the reporting interval (see events.reported_start).", derived=True)
    reported_end: Optional[dt.date] = opt("Last day of the reporting interval: the event was reported by this day.", derived=True)
    summary_en: Text = col("What happened, in English.", derived=True)
    summary_ar: Text = col("What happened, in Arabic.", derived=True)
    initiators_en: list[Text] = _names("initiator")
    targets_en: list[Text] = _names("target")
    participants_en: list[Text] = _names("participant")
    hosts_en: list[Text] = _names("host")
    mediators_en: list[Text] = _names("mediator")
    actor_ids: list[ActorId] = Field(default_factory=list, description="Ids of every actor of the event, sorted.", json_schema_extra={"derived": True})
    places_where_en: list[Text] = _names("where", "places")
    places_origin_en: list[Text] = _names("origin", "places")
    places_destination_en: list[Text] = _names("destination", "places")
    place_ids: list[PlaceId] = Field(default_factory=list, description="Ids of every place of the event, sorted.", json_schema_extra={"derived": True})
    source_ids: list[SourceId] = Field(default_factory=list, description="Ids of the sources that report the event, sorted.",
                                       json_schema_extra={"derived": True})
    source_count: Optional[Annotated[int, Field(ge=0)]] = opt("How many sources report the event.", arrow="int16", derived=True)


class StatementFlatRow(Model):
    """One row per statement, with its speaker and its source."""

    id: StatementId = col("Statement id.", primary_key=True, foreign_key="statements.id", derived=True)
    source: SourceId = col("Id of the source that reports the statement.", derived=True)
    source_publisher_en: Optional[Text] = opt("The source's publisher in English; null when the text does not name it.", derived=True)
    source_published_date: Optional[dt.date] = opt("First day of the source's publication window.", derived=True)
    source_published_date_end: Optional[dt.date] = opt("Last day of the source's publication window.", derived=True)
    speaker: ActorId = col("Id of the speaker.", derived=True)
    speaker_name_en: Text = col("The speaker's English name.", derived=True)
    speaker_name_ar: Text = col("The speaker's Arabic name.", derived=True)
    speaker_kind: ActorKind = col("What kind of actor the speaker is.", derived=True)
    speaker_sector: Optional[ActorSector] = opt("The speaker's sector.", derived=True)
    speaker_public_office: Optional[bool] = opt("Whether the speaker holds or speaks for public office.", derived=True)
    speaker_country: Optional[CountryCode] = opt("The speaker's country (ISO 3166-1 alpha-2).", derived=True)
    speaker_role_en: Optional[Text] = opt("The speaker's role as the source gives it, in English.", derived=True)
    date_start: Optional[dt.date] = opt("First day of the interval the source allows for the statement.", derived=True)
    date_end: Optional[dt.date] = opt("Last day of that interval.", derived=True)
    date_precision: Optional[DatePrecision11] = opt("How precisely the source fixes the date.", derived=True)
    reported_start: Optional[dt.date] = opt("First day of the reporting interval.", derived=True)
    reported_end: Optional[dt.date] = opt("Last day of the reporting interval: the statement was made by this day.", derived=True)
    channel: Channel = col("How the statement was made.", derived=True)
    directness: Directness = col("Direct quotation or reported speech.", derived=True)
    stance: Stance = col("Stance towards foreign troops in Iraq.", derived=True)
    text_ar: Text = col("The statement in Arabic, verbatim.", derived=True)
    text_en: Text = col("Faithful English translation.", derived=True)
    original_language: Optional[LanguageCode] = opt("Language of the original utterance when the Arabic is a translation.", derived=True)
    event: Optional[EventId] = opt("Id of the event the statement concerns.", derived=True)
    event_summary_en: Optional[Text] = opt("That event's English summary.", derived=True)
    utterance: Optional[StatementId] = opt("Shared by the records of one jointly attributed utterance.", derived=True)


class FigureFlatRow(Model):
    """One row per figure, with what it measures, whose it is and its event."""

    id: FigureId = col("Figure id.", primary_key=True, foreign_key="figures.id", derived=True)
    source: SourceId = col("Id of the source that gives the figure.", derived=True)
    measure: Optional[FigureMeasure] = opt("What the figure measures.", derived=True)
    value: Optional[float] = opt("The number; null for a range.", derived=True)
    value_low: Optional[float] = opt("Lower bound, for a range.", derived=True)
    value_high: Optional[float] = opt("Upper bound, for a range.", derived=True)
    qualifier: Qualifier = col("How the number is qualified in the text.", derived=True)
    unit: Unit = col("Unit of the number.", derived=True)
    counted_en: Text = col("What is counted or measured, in English.", derived=True)
    as_written: Text = col("The number exactly as printed.", derived=True)
    whose: Optional[ActorId] = opt("Id of the actor whose troops, money or losses are counted.", derived=True)
    whose_name_en: Optional[Text] = opt("That actor's English name.", derived=True)
    claimed_by: Optional[ActorId] = opt("Id of the (first) actor the source attributes the number to.", derived=True)
    claimed_by_name_en: Optional[Text] = opt("That actor's English name.", derived=True)
    also_claimed_by: list[ActorId] = Field(default_factory=list, description="Further claimants.", json_schema_extra={"derived": True})
    date_start: Optional[dt.date] = opt("First day of the interval the figure refers to.", derived=True)
    date_end: Optional[dt.date] = opt("Last day of that interval.", derived=True)
    date_precision: Optional[DatePrecision11] = opt("How precisely the source fixes the date.", derived=True)
    reported_start: Optional[dt.date] = opt("First day of the reporting interval.", derived=True)
    reported_end: Optional[dt.date] = opt("Last day of the reporting interval.", derived=True)
    event: Optional[EventId] = opt("Id of the event the figure belongs to.", derived=True)
    event_summary_en: Optional[Text] = opt("That event's English summary.", derived=True)
    event_date_start: Optional[dt.date] = opt("That event's date_start.", derived=True)
    event_date_end: Optional[dt.date] = opt("That event's date_end.", derived=True)


#: The release tables, in the order a release lists them (as in 1.0.0).
ROW_MODELS: dict[str, type[Model]] = {
    **v10.ROW_MODELS,
    "sources": SourceRow,
    "actors": ActorRow,
    "events": EventRow,
    "statements": StatementRow,
    "figures": FigureRow,
    "events_flat": EventFlatRow,
    "statements_flat": StatementFlatRow,
    "figures_flat": FigureFlatRow,
}

#: Tables computed from other release tables (the flat tables), and the table each row stands for.
FLAT_TABLES: dict[str, str] = {"events_flat": "events", "statements_flat": "statements", "figures_flat": "figures"}

#: What a curated YAML file may hold, by top-level key.
RECORD_MODELS: dict[str, type[Model]] = {
    **v10.RECORD_MODELS,
    "sources": SourceRecord,
    "actors": ActorRecord,
    "events": EventRecord,
    "statements": StatementRecord,
    "figures": FigureRecord,
}

TABLE_DESCRIPTIONS: dict[str, str] = {
    **v10.TABLE_DESCRIPTIONS,
    "events_flat": "One row per event with its dates, reporting interval, actor and place names by role and its sources: "
                   "no join needed (computed from the tables above).",
    "statements_flat": "One row per statement with its speaker's name, sector, office and country, and its source's "
                       "publisher and window (computed from the tables above).",
    "figures_flat": "One row per figure with its measure, value, whose and claimants' names, and its event's summary and "
                    "dates (computed from the tables above).",
}
