"""Find the date expressions of an Arabic text and resolve them against its publication date.

Printed dates ("13/12/2021", "2024/07/24", "31 كانون الأول/ ديسمبر الجاري", "مارس/آذار 2003",
"عام 2014") are read directly (basis ``stated``); relative phrases ("الخميس الماضي", "أول من
أمس", "الشهر الماضي", "مطلع العام الماضي", "أبريل الماضي") are resolved with
:func:`iraq_withdrawal.validators.relative_dates.resolve` (basis ``relative_to_publication``).
A weekday without "last" or "next" ("يوم الجمعة") is found but left for a human to resolve.

The search runs on the spelling-tier fold of the text (:func:`matching.fold_with_map`), so
hamza, alef maqsura and ta marbuta variants are all found, and every expression is reported
with the exact span of the source text it came from.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from ...schema.dates import latest_publication
from ...validators.matching import fold_with_map
from ...validators.relative_dates import MONTHS, resolve

_L = "\u0621-\u064a"  # Arabic letters, for word boundaries on folded text
_B = rf"(?<![{_L}\w])"
_E = rf"(?![{_L}\w])"

_MONTH_NAMES = sorted({*MONTHS, "كانون اول", "كانون ثاني", "تشرين اول", "تشرين ثاني", "يونيه", "يوليه", "ابريل"}, key=len, reverse=True)
_MONTH = "(?:" + "|".join(re.escape(m) for m in _MONTH_NAMES) + ")"
_PAST = "(?:الماضي|الماضيه|المنصرم|المنصرمه|الفائت|الفائته|السابق)"
_NEXT = "(?:القادم|القادمه|المقبل|المقبله)"
_THIS = "(?:الحالي|الحاليه|الجاري|الجاريه)"
_REL = f"(?:{_PAST}|{_NEXT}|{_THIS})"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_WEEKDAY = "(?:الاثنين|الثلاثاء|الاربعاء|الخميس|الجمعه|السبت|الاحد)"
_WEEKDAY_NUMBER = {"الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4, "السبت": 5, "الاحد": 6}
_WEEKDAY_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("numeric_dmy", re.compile(rf"(?:(?P<wd>{_WEEKDAY}) )?(?<![\d/.-])(?P<d>\d{{1,2}})(?P<sep>[/.-])(?P<m>\d{{1,2}})(?P=sep)(?P<y>\d{{4}})(?![\d/])")),
    ("numeric_ymd", re.compile(rf"(?:(?P<wd>{_WEEKDAY}) )?(?<![\d/.-])(?P<y>\d{{4}})(?P<sep>[/.-])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}})(?![\d/])")),
    ("month", re.compile(
        rf"{_B}(?:(?P<d>\d{{1,2}}) )?(?:[وبفل]?شهر )?[وبفل]?(?P<month>{_MONTH})"
        rf"(?: ?(?:/|\(|-) ?(?P<alt>{_MONTH}) ?\)?)?"
        rf"(?: (?:من )?(?:[بل]?(?:ال)?عام |[بل]?(?:ال)?سنه )?(?P<y>{_YEAR})(?!\d)| (?P<rel>{_REL}){_E})?{_E}"
    )),
    ("season", re.compile(rf"{_B}(?P<part>مطلع|بدايه|اوائل|اواخر|نهايه) (?P<core>(?:العام|السنه) {_REL}){_E}")),
    ("year", re.compile(
        rf"{_B}(?:(?:مطلع|بدايه|نهايه|اواخر|اوائل|منتصف) )?[وبلف]?(?:ال)?(?:عام|سنه) (?P<y>{_YEAR})(?!\d)"
    )),
    ("relative", re.compile(
        rf"{_B}[وف]?(?:(?P<days>اول من امس|اول امس|امس|البارحه)"
        rf"|(?:(?:يوم|مساء|صباح|ليله) )?(?P<weekday>{_WEEKDAY})(?: (?P<wrel>{_PAST}|{_NEXT}))?"
        rf"|(?P<period>(?:الشهر|العام|السنه) {_REL}|هذا الشهر|هذا العام|هذه السنه))(?:{_E})"
    )),
)


@dataclass
class DateMention:
    """One date expression of a text, with the interval it denotes (when it can be worked out)."""

    start: int  # exact source span
    end: int
    phrase: str  # the source text of the span
    kind: str  # "stated" | "relative" | "weekday" | "partial"
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    precision: str | None = None
    basis: str | None = None
    note: str | None = None
    todo: list[str] = field(default_factory=list)


def _canonical_month(name: str) -> str:
    """The name as :data:`relative_dates.MONTHS` spells it ("كانون اول" -> "كانون الاول", "يونيه" -> "يونيو")."""
    for short, full in (("كانون اول", "كانون الاول"), ("كانون ثاني", "كانون الثاني"), ("تشرين اول", "تشرين الاول"), ("تشرين ثاني", "تشرين الثاني")):
        if name == short:
            return full
    return {"يونيه": "يونيو", "يوليه": "يوليو"}.get(name, name)


def _month_number(name: str) -> int:
    return MONTHS[_canonical_month(name)]


def describe(start: dt.date, end: dt.date, precision: str) -> str:
    """A short English description of an interval: 'Thursday 2021-12-09', 'November 2021', '2020'."""
    if precision == "day" and start == end:
        return f"{_WEEKDAY_EN[start.weekday()]} {start.isoformat()}"
    if precision == "month":
        return f"{calendar.month_name[start.month]} {start.year}"
    if precision == "year":
        return str(start.year)
    return f"the interval {start.isoformat()} to {end.isoformat()} ({precision})"


def precision_of(start: dt.date, end: dt.date) -> str:
    """The smallest precision whose unit holds the interval (day, week, month, year, years)."""
    if start == end:
        return "day"
    if (end - start).days <= 7:  # the validator's limit for a week-precise interval (IW5xx): at most 8 days
        return "week"
    if (start.year, start.month) == (end.year, end.month):
        return "month"
    if start.year == end.year:
        return "year"
    return "years"


def _published_words(published: dt.date, published_end: dt.date) -> str:
    if published == published_end:
        return f"publication {published.isoformat()} ({_WEEKDAY_EN[published.weekday()]})"
    return f"the publication window {published.isoformat()} to {published_end.isoformat()}"


def resolve_relative(phrase: str, published: dt.date, published_end: dt.date | None = None) -> tuple[dt.date, dt.date, str, str] | None:
    """Resolve a relative phrase against a publication date or window: (start, end, precision, date_note), or None.

    With a window, the phrase is resolved against its first and last day and the result is the
    interval that holds both.
    """
    published_end = published_end or published
    first = resolve(phrase, published)
    if first is None:
        return None
    last = resolve(phrase, published_end) if published_end != published else first
    start, end = min(first[0], last[0]), max(first[1], last[1])
    precision = first[2] if first[:2] == last[:2] else precision_of(start, end)
    note = f'"{phrase}" resolved against {_published_words(published, published_end)} to {describe(start, end, precision)}'
    if first[:2] != last[:2]:
        note += f" ({describe(*first)} if published on {published.isoformat()}, {describe(*last)} if on {published_end.isoformat()})"
    return start, end, precision, note


def _real_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _numeric(m: re.Match, phrase: str) -> DateMention:
    day, month, year = int(m.group("d")), int(m.group("m")), int(m.group("y"))
    mention = DateMention(0, 0, phrase, "stated")
    date = _real_date(year, month, day)
    if date is None and m.re is _PATTERNS[0][1]:
        swapped = _real_date(year, day, month)
        if swapped is not None:
            mention.todo.append(f"read as month/day ({swapped.isoformat()}): {month} is not a month")
            date = swapped
    if date is None:
        mention.kind = "partial"
        mention.todo.append("not a calendar date as printed: decide by hand")
        return mention
    mention.date_start = mention.date_end = date
    mention.precision, mention.basis = "day", "stated"
    mention.note = f'printed as "{phrase}", read as {describe(date, date, "day")}'
    if m.re is _PATTERNS[0][1] and day <= 12 and month <= 12 and day != month:
        mention.todo.append(f"day/month order assumed (day {day}, month {month}); check against the text")
    if m.group("wd"):
        printed = _WEEKDAY_NUMBER[m.group("wd")]
        if printed != date.weekday():
            mention.todo.append(f"the printed weekday is not the weekday of {date.isoformat()} ({_WEEKDAY_EN[date.weekday()]})")
        else:
            mention.note += " (the printed weekday agrees)"
    return mention


def _month_mention(m: re.Match, phrase: str, published: dt.date | None, published_end: dt.date | None) -> DateMention:
    month = _month_number(m.group("month"))
    if m.group("alt") and _month_number(m.group("alt")) != month:
        return DateMention(0, 0, phrase, "partial", todo=["the two month names printed disagree: decide by hand"])
    day = int(m.group("d")) if m.group("d") else None
    mention = DateMention(0, 0, phrase, "stated")
    if m.group("y"):
        year = int(m.group("y"))
        start, end = dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        mention.basis = "stated"
    elif m.group("rel"):
        if published is None:
            return DateMention(0, 0, phrase, "relative", todo=["no publication date to resolve against"])
        name = _canonical_month(m.group("month"))
        resolved = resolve_relative(f"{name} {m.group('rel')}", published, published_end)
        if resolved is None:
            return DateMention(0, 0, phrase, "relative", todo=["resolve by hand"])
        start, end, _, note = resolved
        mention.kind, mention.basis = "relative", "relative_to_publication"
        mention.note = f'"{phrase}" ' + note.split('" ', 1)[1]
    else:
        mention.kind = "partial"
        mention.todo.append("month without a year: which year? (the publication year is likely but not printed)")
        return mention
    if day is not None:
        date = _real_date(start.year, month, day)
        if date is None:
            mention.kind = "partial"
            mention.todo.append(f"day {day} does not exist in that month: decide by hand")
            return mention
        if start.year != end.year:  # a window across the year end: the day falls in either year
            mention.todo.append("the year depends on the publication date within its window: check")
        start = end = date
        if mention.kind == "relative":
            mention.note = f'"{phrase}" ' + f"resolved against {_published_words(published, published_end or published)} to {describe(date, date, 'day')}"
    mention.date_start, mention.date_end = start, end
    mention.precision = precision_of(start, end) if start != end or day is not None else "day"
    if mention.basis == "stated":
        mention.note = f'printed as "{phrase}", read as {describe(start, end, mention.precision)}'
    return mention


def find_dates(text: str, published: dt.date | None = None, published_end: dt.date | None = None) -> list[DateMention]:
    """Every date expression of ``text`` in text order, longest first where two overlap."""
    folded = fold_with_map(text, spelling=True)
    hits: list[tuple[int, int, str, re.Match]] = []
    for name, pattern in _PATTERNS:
        for m in pattern.finditer(folded.text):
            if m.end() > m.start():
                hits.append((m.start(), m.end(), name, m))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    chosen: list[tuple[int, int, str, re.Match]] = []
    for hit in hits:
        if chosen and hit[0] < chosen[-1][1]:
            continue
        chosen.append(hit)
    published_end = published_end or published
    mentions = []
    for f_start, f_end, name, m in chosen:
        start, end = folded.starts[f_start], folded.ends[f_end - 1]
        phrase = text[start:end]
        mention = _mention(name, m, phrase, published, published_end)
        if mention is None:
            continue
        mention.start, mention.end, mention.phrase = start, end, phrase
        mentions.append(mention)
    return mentions


def _mention(name: str, m: re.Match, phrase: str, published: dt.date | None, published_end: dt.date | None) -> DateMention | None:
    if name.startswith("numeric"):
        return _numeric(m, phrase)
    if name == "month":
        if m.group("month") == "اب" and not (m.group("d") or m.group("y") or m.group("alt")):
            return None  # "أب" (father) or a fragment; August is found when a day, year or second name goes with it
        return _month_mention(m, phrase, published, published_end)
    if name == "year":
        year = int(m.group("y"))
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return DateMention(0, 0, phrase, "stated", start, end, "year", "stated", f'printed as "{phrase}", read as {year}')
    if name == "relative" and m.group("weekday") and not m.group("wrel"):
        return DateMention(0, 0, phrase, "weekday", todo=["a weekday without الماضي/المقبل: which one? resolve by hand (resolve-date)"])
    core = m.group("core") if name == "season" else (m.group("days") or m.group("period") or f"{m.group('weekday')} {m.group('wrel')}")
    if name == "season":
        core = f"{m.group('part')} {core}"
    if published is None:
        return DateMention(0, 0, phrase, "relative", todo=["no publication date to resolve against"])
    resolved = resolve_relative(core, published, published_end)
    if resolved is None:
        return DateMention(0, 0, phrase, "relative", todo=["the resolver does not know this phrase: resolve by hand"])
    start, end, precision, note = resolved
    note = f'"{phrase}" ' + note.split('" ', 1)[1]
    return DateMention(0, 0, phrase, "relative", start, end, precision, "relative_to_publication", note)


def publication_window(published: dt.date, precision: str) -> tuple[dt.date, dt.date]:
    """First and last day a source can have been published on, from its date and precision."""
    return published, latest_publication(published, precision) or published
