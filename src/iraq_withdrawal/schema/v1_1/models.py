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
from typing import Optional

from pydantic import Field, model_validator

from ..enums import ActorSector, DatePrecision11, FigureMeasure
from ..v1 import models as v10
from ..v1.models import (  # noqa: F401  re-exported unchanged: schema 1.1.0 has them as 1.0.0 defined them
    ID_PATTERN,
    ActorId,
    EventActorRow,
    EventPlaceRow,
    EvidenceRow,
    Exclusion,
    Model,
    PlaceRecord,
    PlaceRow,
    RetiredId,
    StatementId,
    col,
    opt,
)

SCHEMA_VERSION = "1.1.0"


def _week_start(day: dt.date) -> dt.date:
    """The Sunday that starts ``day``'s week (CURATION.md: weeks run Sunday to Saturday)."""
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


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
        elif precision == DatePrecision11.WEEK and _week_start(start) != _week_start(end):
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


class EventRow(DatedAdditions, v10.EventRow):
    pass


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


class StatementRow(StatementAdditions, v10.StatementRow):
    pass


# --- figures ----------------------------------------------------------------


class FigureAdditions(DatedAdditions):
    measure: Optional[FigureMeasure] = opt("What the figure measures (casualties, troops, attacks, a duration ...), whatever its unit.")
    also_claimed_by: list[ActorId] = Field(
        default_factory=list,
        description="Further actors the source attributes the number to jointly with claimed_by (each an id in actors.id); "
        "empty when claimed_by is the only claimant.",
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


class FigureRow(FigureAdditions, v10.FigureRow):
    pass


#: The release tables, in the order a release lists them (as in 1.0.0).
ROW_MODELS: dict[str, type[Model]] = {
    **v10.ROW_MODELS,
    "sources": SourceRow,
    "actors": ActorRow,
    "events": EventRow,
    "statements": StatementRow,
    "figures": FigureRow,
}

#: What a curated YAML file may hold, by top-level key.
RECORD_MODELS: dict[str, type[Model]] = {
    **v10.RECORD_MODELS,
    "sources": SourceRecord,
    "actors": ActorRecord,
    "events": EventRecord,
    "statements": StatementRecord,
    "figures": FigureRecord,
}

TABLE_DESCRIPTIONS: dict[str, str] = dict(v10.TABLE_DESCRIPTIONS)
