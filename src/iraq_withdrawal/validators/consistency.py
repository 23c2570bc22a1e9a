"""Consistency layer (IW5xx): dates that agree with each other and with the source.

The checks work on any object with the date attributes of the schema (a curated
model or a table row wrapped in :class:`types.SimpleNamespace`), so curated data
and released tables get the same rules.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any, Callable

from ..schema.enums import FORWARD_LOOKING_STATUSES, DateBasis, DatePrecision
from .findings import Finding
from .relative_dates import phrase_in_note, resolve

_DATE_FIELDS = ("date_start", "date_end", "date_precision", "date_basis")


def _value(x: Any) -> Any:
    return getattr(x, "value", x)


def ucdp_date_prec(start: dt.date | None, end: dt.date | None) -> int | None:
    """UCDP date_prec code for a date interval."""
    if start is None or end is None:
        return None
    days = (end - start).days
    if days <= 0:
        return 1
    if days <= 6:
        return 2
    if days <= 30:
        return 3
    if days <= 365:
        return 4
    return 5


def precision_problem(precision: str, start: dt.date, end: dt.date) -> str | None:
    """Why an interval does not fit its precision, or None when it does."""
    days = (end - start).days
    if precision == DatePrecision.WEEK.value and days > 7:
        return f"a week-precise date spans at most 8 days, this one spans {days + 1}"
    if precision == DatePrecision.MONTH.value:
        last = calendar.monthrange(end.year, end.month)[1]
        if start.day != 1 or end.day != last:
            return f"a month-precise date runs from the first to the last day of a month ({start} to {end} does not)"
    if precision == DatePrecision.SEASON.value and days > 184:
        return f"a season spans at most about six months, this one spans {days + 1} days"
    if precision == DatePrecision.YEAR.value:
        if (start.month, start.day, end.month, end.day) != (1, 1, 12, 31) or start.year != end.year:
            return f"a year-precise date runs from 1 January to 31 December of one year ({start} to {end} does not)"
    if precision == DatePrecision.YEARS.value and days < 365:
        return f"a several-years date spans more than a year, this one spans {days + 1} days"
    return None


def _implied_end(precision: str, start: dt.date) -> dt.date:
    """For an open-ended interval, the end its precision implies for the start's unit."""
    if precision == DatePrecision.WEEK.value:
        return start + dt.timedelta(days=6)
    if precision == DatePrecision.MONTH.value:
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if precision == DatePrecision.YEAR.value:
        return start.replace(month=12, day=31)
    if precision == DatePrecision.YEARS.value:
        return start + dt.timedelta(days=365)
    return start


def check_dates(
    record: Any,
    *,
    record_id: str | None,
    published: dt.date | None,
    forward_ok: bool,
    where: Callable[[str], dict],
    open_end_ok: bool = True,
    published_day: dt.date | None = None,
) -> list[Finding]:
    """Check one record's date fields. ``where(field)`` gives file/line/row for a field.

    ``published`` is the latest day the source can have been published on.
    ``published_day`` is the publication date when it is known to the day; relative phrases
    quoted in date_note are then resolved against it and compared (IW506).
    ``open_end_ok`` lets date_end stay empty: an ongoing event, or a text that gives only a lower
    bound ("after 2026", "since 2020"); precision then describes date_start.
    """
    findings = []
    values = {name: getattr(record, name, None) for name in _DATE_FIELDS}
    given = [name for name, v in values.items() if v is not None]
    needed = [n for n in _DATE_FIELDS if not (open_end_ok and n == "date_end")]
    if given and any(values[n] is None for n in needed):
        missing = [name for name in needed if values[name] is None]
        findings.append(
            Finding("IW504", f"{', '.join(given)} given but {', '.join(missing)} missing", record=record_id, field=missing[0], **where(missing[0]))
        )
        return findings
    if not given:
        return findings
    start, end = values["date_start"], values["date_end"]
    precision, basis = _value(values["date_precision"]), _value(values["date_basis"])
    if end is None:
        end = _implied_end(precision, start)
    elif end < start:
        findings.append(Finding("IW501", f"date_end {end} is before date_start {start}", record=record_id, field="date_end", **where("date_end")))
        return findings
    problem = precision_problem(precision, start, end)
    if problem:
        findings.append(Finding("IW503", problem, record=record_id, field="date_precision", **where("date_precision")))
    if published is not None and not forward_ok and start > published:
        findings.append(
            Finding(
                "IW502",
                f"date_start {start} is after the source's publication date {published}",
                record=record_id, field="date_start", **where("date_start"),
            )
        )
    note = getattr(record, "date_note", None)
    if basis in (DateBasis.RELATIVE_TO_PUBLICATION.value, DateBasis.INFERRED.value) and not note:
        findings.append(Finding("IW505", f"date_basis is '{basis}' but date_note does not say how", record=record_id, field="date_note", **where("date_note")))
    if basis == DateBasis.RELATIVE_TO_PUBLICATION.value and published_day is not None:
        phrase = phrase_in_note(note)
        resolved = resolve(phrase, published_day) if phrase else None
        if resolved and not (resolved[0] <= start and (values["date_end"] or start) <= resolved[1]):
            findings.append(
                Finding(
                    "IW506",
                    f"'{phrase}' against publication {published_day} ({published_day:%A}) is {resolved[0]} to {resolved[1]}, "
                    f"not {start} to {values['date_end']}",
                    record=record_id, field="date_start", **where("date_start"),
                )
            )
    return findings


def latest_publication(published: dt.date | None, precision: Any) -> dt.date | None:
    """The last day a source can have been published on, given its date's precision."""
    if published is None:
        return None
    precision = _value(precision)
    if precision == DatePrecision.WEEK.value:
        return published + dt.timedelta(days=6)
    if precision == DatePrecision.MONTH.value:
        return published.replace(day=calendar.monthrange(published.year, published.month)[1])
    if precision in (DatePrecision.YEAR.value, DatePrecision.YEARS.value):
        return published.replace(month=12, day=31)
    return published


def is_forward_looking(status: Any) -> bool:
    return _value(status) in {s.value for s in FORWARD_LOOKING_STATUSES}
