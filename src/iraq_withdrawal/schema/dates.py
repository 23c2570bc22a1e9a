"""What the codebook's date definitions imply, as functions.

The build derives ``events.date_prec`` with :func:`ucdp_date_prec`; the validators judge
an interval against its precision with :func:`precision_problem` and a record's dates
against its source's publication with :func:`latest_publication`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from .enums import FORWARD_LOOKING_STATUSES, DatePrecision


def _value(x: Any) -> Any:
    return getattr(x, "value", x)


def ucdp_date_prec(start: dt.date | None, end: dt.date | None) -> int | None:
    """UCDP GED's date_prec code for a date interval: 1 one day … 5 more than a year."""
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


def implied_end(precision: Any, start: dt.date) -> dt.date:
    """For an open-ended interval, the end its precision implies for the start's unit."""
    precision = _value(precision)
    try:
        if precision == DatePrecision.WEEK.value:
            return start + dt.timedelta(days=6)
        if precision == DatePrecision.MONTH.value:
            return start.replace(day=calendar.monthrange(start.year, start.month)[1])
        if precision == DatePrecision.YEAR.value:
            return start.replace(month=12, day=31)
        if precision == DatePrecision.YEARS.value:
            return start + dt.timedelta(days=365)
    except OverflowError:  # past 9999-12-31
        return dt.date.max
    return start


def precision_problem(precision: Any, start: dt.date, end: dt.date | None, calendar_week: bool = False) -> str | None:
    """Why an interval does not fit its precision, or None when it does (an open end takes the implied one).

    ``calendar_week`` (schema 1.1.0): a week is one Sunday-to-Saturday week, and a ``window``
    needs its last day; before, a week was any span of at most eight days.
    """
    precision = _value(precision)
    if precision == "window" and end is None:
        return "a window needs date_end, its last day (an open end has the precision of its start)"
    if calendar_week and precision == DatePrecision.WEEK.value:
        if end is not None and week_start(start) != week_start(end):
            return f"a week-precise date lies within one Sunday-to-Saturday week ({start} to {end} does not)"
        return None
    if end is None:
        end = implied_end(precision, start)
    days = (end - start).days
    if precision == DatePrecision.WEEK.value and days > 7:
        return f"a week-precise date spans at most 8 days, this one spans {days + 1}"
    if precision == DatePrecision.MONTH.value:
        last = calendar.monthrange(end.year, end.month)[1]
        if start.day != 1 or end.day != last:
            return f"a month-precise date runs from the first to the last day of a month ({start} to {end} does not)"
    if precision == DatePrecision.SEASON.value and days > 184:
        return f"a season spans at most about six months, this one spans {days + 1} days"
    one_year = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year
    if precision == DatePrecision.YEAR.value and not one_year:
        return f"a year-precise date runs from 1 January to 31 December of one year ({start} to {end} does not)"
    if precision == DatePrecision.YEARS.value and days < 365:
        return f"a several-years date spans more than a year, this one spans {days + 1} days"
    return None


def latest_publication(published: dt.date | None, precision: Any) -> dt.date | None:
    """The last day a source can have been published on, given its date's precision (before schema 1.1.0 gave the window)."""
    if published is None:
        return None
    if _value(precision) == DatePrecision.YEARS.value:  # a publication date is never wider than its year
        precision = DatePrecision.YEAR.value
    return implied_end(precision, published)


def week_start(day: dt.date) -> dt.date:
    """The Sunday that starts ``day``'s week (CURATION.md: weeks run Sunday to Saturday)."""
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def calendar_precision(start: dt.date, end: dt.date) -> str:
    """The narrowest calendar unit an interval is exactly (schema 1.1.0): day, week, month, year, else window."""
    if start == end:
        return "day"
    if week_start(start) == week_start(end):
        return "week"
    last_of_month = (end + dt.timedelta(days=1)).day == 1 if end < dt.date.max else True
    if start.day == 1 and last_of_month and (start.year, start.month) == (end.year, end.month):
        return "month"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return "year"
    return "window"


def is_forward_looking(status: Any) -> bool:
    """True for statuses whose dates may lie after publication (announced, planned, …)."""
    return _value(status) in {s.value for s in FORWARD_LOOKING_STATUSES}
