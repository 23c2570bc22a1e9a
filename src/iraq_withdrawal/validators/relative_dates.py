"""Resolve Arabic relative date expressions against a publication date.

:func:`resolve` knows the phrases the articles use ("الخميس الماضي", "أول من أمس",
"الشهر الماضي", "مطلع العام الماضي", "تشرين الثاني (نوفمبر) الماضي", "سبتمبر القادم")
and returns the interval they denote with its precision, or ``None`` for a phrase it
does not know. The validator uses it to check records whose ``date_note`` names the
phrase they were resolved from (rule IW506).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .matching import fold

WEEKDAYS = {"الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعه": 4, "السبت": 5, "الاحد": 6}

MONTHS = {
    "يناير": 1, "كانون الثاني": 1, "فبراير": 2, "شباط": 2, "مارس": 3, "اذار": 3, "ابريل": 4, "نيسان": 4,
    "مايو": 5, "ايار": 5, "يونيو": 6, "حزيران": 6, "يوليو": 7, "تموز": 7, "اغسطس": 8, "اب": 8,
    "سبتمبر": 9, "ايلول": 9, "اكتوبر": 10, "تشرين الاول": 10, "نوفمبر": 11, "تشرين الثاني": 11,
    "ديسمبر": 12, "كانون الاول": 12,
}

_PAST = r"(?:الماضي|الماضيه|المنصرم|المنصرمه|الفائت|الفائته|السابق)"
_NEXT = r"(?:القادم|القادمه|المقبل|المقبله)"
_THIS = r"(?:الحالي|الحاليه|الجاري|الجاريه)"
_YEAR = r"(?:العام|السنه)"


def _norm(phrase: str) -> str:
    text = fold(phrase, spelling=True)
    text = re.sub(r"\([^)]*\)", " ", text)  # "تشرين الثاني (نوفمبر)": keep the first name
    text = re.sub(r"\s*/\s*\S+", " ", text)  # "شباط/ فبراير": keep the first name
    text = re.sub(r"^(?:يوم|في|منذ)\s+", "", text.strip())
    return " ".join(text.split())


def _month(year: int, month: int) -> tuple[dt.date, dt.date, str]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]), "month"


def _year(year: int) -> tuple[dt.date, dt.date, str]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"


def _days(text: str, published: dt.date) -> tuple[dt.date, dt.date, str] | None:
    """Yesterday, the day before, today, last <weekday>."""
    back = {"امس": 1, "البارحه": 1, "اول من امس": 2, "اول امس": 2, "اليوم": 0, "هذا اليوم": 0}.get(text)
    m = re.fullmatch(rf"(\S+) {_PAST}", text)
    if back is None and m and m.group(1) in WEEKDAYS:
        back = (published.weekday() - WEEKDAYS[m.group(1)]) % 7 or 7
    if back is None:
        return None
    day = published - dt.timedelta(days=back)
    return day, day, "day"


def _months_and_years(text: str, published: dt.date) -> tuple[dt.date, dt.date, str] | None:
    """Last, this and next month or year."""
    if re.fullmatch(rf"الشهر {_PAST}", text):
        first = published.replace(day=1) - dt.timedelta(days=1)
        return _month(first.year, first.month)
    if re.fullmatch(rf"(?:الشهر {_THIS}|هذا الشهر)", text):
        return _month(published.year, published.month)
    if re.fullmatch(rf"الشهر {_NEXT}", text):
        nxt = published.replace(day=28) + dt.timedelta(days=4)
        return _month(nxt.year, nxt.month)
    if re.fullmatch(rf"{_YEAR} {_PAST}", text):
        return _year(published.year - 1)
    if re.fullmatch(rf"(?:{_YEAR} {_THIS}|هذا {_YEAR}|هذه السنه)", text):
        return _year(published.year)
    if re.fullmatch(rf"{_YEAR} {_NEXT}", text):
        return _year(published.year + 1)
    return None


def _part_of_year(text: str, published: dt.date) -> tuple[dt.date, dt.date, str] | None:
    """The beginning or the end of last, this or next year."""
    m = re.fullmatch(rf"(مطلع|بدايه|اوائل|اواخر|نهايه) {_YEAR} ({_PAST[3:-1]}|{_THIS[3:-1]}|{_NEXT[3:-1]})", text)
    if not m:
        return None
    word = m.group(2)
    year = published.year - 1 if re.fullmatch(_PAST, word) else published.year + 1 if re.fullmatch(_NEXT, word) else published.year
    if m.group(1) in ("مطلع", "بدايه", "اوائل"):
        return dt.date(year, 1, 1), dt.date(year, 3, 31), "season"
    return dt.date(year, 10, 1), dt.date(year, 12, 31), "season"


def _named_month(text: str, published: dt.date) -> tuple[dt.date, dt.date, str] | None:
    """A month by name with last, next or this ('يناير الماضي')."""
    for name, number in MONTHS.items():
        m = re.fullmatch(rf"(?:شهر )?{name} ({_PAST[3:-1]}|{_NEXT[3:-1]}|{_THIS[3:-1]})", text)
        if not m:
            continue
        word = m.group(1)
        if re.fullmatch(_PAST, word):
            year = published.year if number < published.month else published.year - 1
        elif re.fullmatch(_NEXT, word):
            year = published.year if number > published.month else published.year + 1
        else:
            year = published.year
        return _month(year, number)
    return None


def resolve(phrase: str, published: dt.date) -> tuple[dt.date, dt.date, str] | None:
    """The interval (start, end, precision) a relative phrase denotes, or None if unknown.

    ``OverflowError`` or ``ValueError`` when the interval falls outside the calendar (before year 1).
    """
    text = _norm(phrase)
    for resolver in (_days, _months_and_years, _part_of_year, _named_month):
        resolved = resolver(text, published)
        if resolved is not None:
            return resolved
    return None


_QUOTED = re.compile(r"[\"“«']([^\"”»']+)[\"”»']")


def phrase_in_note(note: str | None) -> str | None:
    """The first quoted phrase of a date_note, if any ('"الخميس الماضي" resolved against …')."""
    if not note:
        return None
    m = _QUOTED.search(note)
    return m.group(1) if m else None
