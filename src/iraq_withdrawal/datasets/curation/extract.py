"""Draft candidate records from an article text: figures, statements and dates.

Nothing here decides a fact. Every number becomes a draft figure, every quoted span and every
sentence with an attribution verb a draft statement, every date expression a draft date note,
each with a verbatim evidence quote that :func:`matching.locate` finds exactly (with
``occurrence`` when the quote repeats). What a human must decide is listed in ``todo``; a value
filled in by a guess says so there.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ...validators.coverage import NUMBER, QUOTED, items
from ...validators.matching import fold, fold_with_map, locate
from .common import flow
from .dates import DateMention, find_dates

# --- numbers ------------------------------------------------------------------

_UNITS = {"واحد": 1, "واحده": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4,
          "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7, "ثمان": 8, "ثماني": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9,
          "عشر": 10, "عشره": 10}
_TENS = {f"{stem}{end}": value for stem, value in (("عشر", 20), ("ثلاث", 30), ("اربع", 40), ("خمس", 50), ("ست", 60),
                                                   ("سبع", 70), ("ثمان", 80), ("تسع", 90)) for end in ("ون", "ين")}
_BIG = {"مئه": 100, "مائه": 100, "مئتين": 200, "مئتان": 200, "مائتين": 200, "الف": 1000, "الفين": 2000, "الفان": 2000,
        "مليون": 10**6, "مليونين": 2 * 10**6, "مليار": 10**9}
_ORDER_OF = {"عشرات": 10, "مئات": 100, "الاف": 1000, "ملايين": 10**6, "مليارات": 10**9}
_DUALS = {"يومين": (2, "days"), "اسبوعين": (2, "weeks"), "شهرين": (2, "months"), "عامين": (2, "years"), "سنتين": (2, "years"),
          "عقدين": (2, "decades"), "قرنين": (2, "other"), "مرتين": (2, "other"), "المثلين": (2, "multiple"), "مثلين": (2, "multiple"),
          "ضعفين": (2, "multiple"), "اضعاف": (None, "multiple")}
_ORDINALS = {f"ال{w}": n for n, words in enumerate((("اول", "اولي"), ("ثاني", "ثانيه"), ("ثالث", "ثالثه"), ("رابع", "رابعه"),
                                                    ("خامس", "خامسه"), ("سادس", "سادسه"), ("سابع", "سابعه"), ("ثامن", "ثامنه"),
                                                    ("تاسع", "تاسعه"), ("عاشر", "عاشره")), start=1) for w in words}

#: Words before a number that qualify it (spelling-tier folded), longest first, and the qualifier they mean.
QUALIFIER_WORDS: tuple[tuple[str, str], ...] = tuple(sorted((
    ("نحو", "approximately"), ("حوالي", "approximately"), ("قرابه", "approximately"), ("زهاء", "approximately"),
    ("ما يقرب من", "approximately"), ("ما يقارب", "approximately"), ("تقريبا", "approximately"),
    ("اكثر من", "more_than"), ("ما يزيد علي", "more_than"), ("ما يزيد عن", "more_than"), ("ازيد من", "more_than"),
    ("اقل من", "fewer_than"), ("ما لا يقل عن", "at_least"), ("لا يقل عن", "at_least"), ("علي الاقل", "at_least"),
    ("حتي", "up_to"), ("ما يصل الي", "up_to"), ("يصل الي", "up_to"), ("لغايه", "up_to"),
), key=lambda pair: -len(pair[0])))


def _strip_prefix(word: str) -> str:
    """A folded number word without its prefixes و ف ب ل ك and article, as NUMBER_WORD allows them."""
    for candidate in (word, word[1:], word[2:]):
        for form in (candidate, candidate[2:] if candidate.startswith("ال") else None):
            if form and (form in _UNITS or form in _TENS or form in _BIG or form in _ORDER_OF or form in _DUALS):
                return form
        if candidate in _ORDINALS:
            return candidate
        if candidate.startswith("لل") and "ا" + candidate[1:] in _ORDINALS:
            return "ا" + candidate[1:]
    return word


@dataclass
class Number:
    """A number of the text, merged from adjacent parts ("خمسة وثمانين", "2.5 مليار")."""

    start: int
    end: int
    as_written: str
    value: float | None = None
    qualifier: str | None = None  # order_of for عشرات/مئات/آلاف
    unit: str | None = None  # only where the word itself says it (duals, ordinals, %)
    how: str = ""  # how the value was read


def _digits_value(written: str) -> float | None:
    text = fold(written)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", text):
        return float(text.replace(",", ""))
    text = text.replace("\u066b", ".").replace("\u066c", "")
    try:
        return float(text) if "." in text else float(int(text))
    except ValueError:
        return None


def _word_value(written: str) -> tuple[float | None, str | None, str | None]:
    """(value, qualifier, unit) of one number word."""
    word = _strip_prefix(fold(written, spelling=True))
    if word in _UNITS:
        return _UNITS[word], None, None
    if word in _TENS:
        return _TENS[word], None, None
    if word in _BIG:
        return _BIG[word], None, None
    if word in _ORDER_OF:
        return _ORDER_OF[word], "order_of", None
    if word in _DUALS:
        value, unit = _DUALS[word]
        return value, None, unit
    if word in _ORDINALS:
        return _ORDINALS[word], None, "ordinal"
    return None, None, None


def find_numbers(text: str, skip: Callable[[int, int], bool] = lambda s, e: False) -> list[Number]:
    """Every number of the text as :func:`coverage.items` lists them, adjacent parts merged, values read."""
    parts = [it for it in items("", text) if it.kind == "number" and not skip(it.start, it.end)]
    numbers: list[Number] = []
    for it in parts:
        digits = NUMBER.fullmatch(it.text) is not None
        if digits:
            number = Number(it.start, it.end, it.text, _digits_value(it.text), how="digits")
        else:
            value, qualifier, unit = _word_value(it.text)
            number = Number(it.start, it.end, it.text, value, qualifier, unit, how="number word" if value is not None else "")
        if numbers and _joins(numbers[-1], number, text):
            numbers[-1] = _merge(numbers[-1], number, text)
        else:
            numbers.append(number)
    for number in numbers:
        after = text[number.end: number.end + 12]
        if number.value is not None and number.unit is None and re.match(r"\s*(?:%|٪|بالمئة|بالمائة|في المئة|في المائة)", after):
            number.unit = "percent"
    return numbers


def _joins(previous: Number, current: Number, text: str) -> bool:
    between = text[previous.end: current.start]
    if previous.value is None or current.value is None or previous.qualifier or current.qualifier:
        return False
    if previous.unit or current.unit:
        return False
    word = fold(current.as_written, spelling=True)
    if between == " " and previous.how == "number word" and word in ("عشر", "عشره") and previous.value < 10:
        return True  # ثلاثة عشر
    if between == " " and previous.how == "digits" and current.value in (1000, 10**6, 10**9) and word in _BIG:
        return True  # 2.5 مليار
    return between == " " and word.startswith("و") and previous.how == "number word" and current.how == "number word"


def _merge(previous: Number, current: Number, text: str) -> Number:
    word = fold(current.as_written, spelling=True)
    if previous.how == "digits":
        value = previous.value * current.value
    elif word in ("عشر", "عشره"):
        value = previous.value + 10
    else:
        value = previous.value + current.value
    return Number(previous.start, current.end, text[previous.start: current.end], value, None, None, "number words")


def guess_qualifier(text: str, start: int) -> tuple[str, str | None]:
    """The qualifier a word just before the number implies, and that word as printed (None: no word, so exact)."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    folded = fold(before, spelling=True).rstrip(" (\"'").rstrip()
    for words, qualifier in QUALIFIER_WORDS:
        if re.search(rf"(?<![\u0621-\u064a]){re.escape(words)}(?: ال)?$", folded) or folded.endswith(words):
            return qualifier, words
    return "exact", None


# --- quotes and occurrences -----------------------------------------------------

_WORD = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?؟](?=[\s\"”»']|$)")


def evidence_for(text: str, start: int, end: int, source: str, words_before: int = 2, words_after: int = 3) -> dict:
    """An evidence item quoting the span [start, end) with a few words of its line on either side, located exactly."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    q_start = _word_start(text, start, line_start)  # a word glued to the span ("الـ(7)") belongs to it
    q_end = _word_end(text, end, line_end)
    before = list(_WORD.finditer(text, line_start, q_start))[-words_before:] if words_before else []
    after = list(_WORD.finditer(text, q_end, line_end))[:words_after] if words_after else []
    if before:
        q_start = before[0].start()
    if after:
        q_end = after[-1].end()
    return quote_item(text, q_start, q_end, source)


def _word_start(text: str, i: int, floor: int) -> int:
    while i > floor and not text[i - 1].isspace():
        i -= 1
    return i


def _word_end(text: str, i: int, ceiling: int) -> int:
    while i < ceiling and not text[i].isspace():
        i += 1
    return i


def quote_item(text: str, start: int, end: int, source: str) -> dict:
    """``{source, quote[, occurrence]}`` for the exact text of a span, with the occurrence the locator gives it."""
    quote = text[start:end].strip()
    start = start + (len(text[start:end]) - len(text[start:end].lstrip()))
    item: dict[str, Any] = {"source": source, "quote": quote}
    occurrence = occurrence_of(quote, text, start)
    if occurrence is not None:
        item["occurrence"] = occurrence
    return item


def occurrence_of(quote: str, text: str, start: int) -> int | None:
    """1-based occurrence of ``quote`` that begins at ``start``, or None when it occurs once."""
    spans = locate(quote, text).spans
    if len(spans) <= 1:
        return None
    for n, (s, _) in enumerate(spans, start=1):
        if s == start:
            return n
    # not found at its own place (an overlapping repeat): the nearest occurrence at or before it
    return max((n for n, (s, _) in enumerate(spans, start=1) if s <= start), default=1)


# --- statements ----------------------------------------------------------------

#: Attribution verbs (spelling-tier folded: hamza forms to bare alef, ة to ه, ى to ي) in the
#: inflections the articles use; each may carry the prefix و or ف.
ATTRIBUTION_VERBS: tuple[str, ...] = (
    "قال", "قالت", "قالوا", "قالا", "يقول", "تقول", "يقولون", "قائلا", "قائله",
    "اكد", "اكدت", "اكدوا", "يؤكد", "تؤكد", "يؤكدون", "مؤكدا", "مؤكده",
    "اعلن", "اعلنت", "اعلنوا", "يعلن", "تعلن", "معلنا", "معلنه",
    "اضاف", "اضافت", "اضافوا", "يضيف", "تضيف", "مضيفا", "مضيفه",
    "اشار", "اشارت", "اشاروا", "يشير", "تشير", "مشيرا", "مشيره",
    "صرح", "صرحت", "صرحوا", "يصرح", "تصرح", "مصرحا",
    "لفت", "لفتت", "يلفت", "تلفت", "لافتا",
    "اعتبر", "اعتبرت", "اعتبروا", "يعتبر", "تعتبر", "معتبرا",
    "كشف", "كشفت", "كشفوا", "يكشف", "تكشف", "كاشفا",
    "اوضح", "اوضحت", "اوضحوا", "يوضح", "توضح", "موضحا", "موضحه",
    "شدد", "شددت", "شددوا", "يشدد", "تشدد", "مشددا",
    "نقل عن", "نقلت عن", "ينقل عن", "تنقل عن", "نقلا عن",
    "ذكر", "ذكرت", "ذكروا", "يذكر", "تذكر", "ذاكرا",
    "تابع", "تابعت", "متابعا",
    "اعرب", "اعربت", "معربا",
    "حذر", "حذرت", "حذروا", "يحذر", "تحذر", "محذرا",
    "طالب", "طالبت", "طالبوا", "يطالب", "تطالب", "مطالبا",
    "دعا", "دعت", "دعوا", "يدعو", "تدعو", "داعيا",
    "نفي", "نفت", "نفوا", "ينفي", "تنفي", "نافيا",
    "اعترف", "اعترفت", "افاد", "افادت", "ابلغ", "ابلغت", "زعم", "زعمت", "تحدث", "تحدثت",
    "راي", "رات", "يري", "تري", "توقع", "توقعت", "يتوقع", "تتوقع",
    "رفض", "رفضت", "رفضوا", "يرفض", "ترفض", "رافضا",
    "هدد", "هددت", "هددوا", "يهدد", "تهدد", "مهددا", "توعد", "توعدت",
    "رحب", "رحبت", "رحبوا", "يرحب", "ترحب", "مرحبا",
    "انتقد", "انتقدت", "ينتقد", "اتهم", "اتهمت", "يتهم", "وصف", "وصفت", "يصف", "اعتقد", "يعتقد", "تعتقد",
    "بحسب", "حسب", "حسبما", "وفقا ل", "وفق", "وفقا لما",
    # nouns that announce words said: "في بيان", "في تصريحات لـ", "في تدوينة له"
    "بيان", "بيانات", "تصريح", "تصريحات", "تدوينه", "تغريده", "مقابله",
)
#: Object pronouns a verb may carry ("اعتبرتها", "أكده").
_SUFFIXES = "(?:ه|ها|هم|هما|هن|نا|ني|كم)?"
_ATTRIBUTION = re.compile(
    r"(?<![\u0621-\u064a\w])[وف]?(?:" + "|".join(re.escape(v) for v in sorted(ATTRIBUTION_VERBS, key=len, reverse=True))
    + r")" + _SUFFIXES + r"(?![\u0621-\u064a\w])"
)
_OPENING = "\"“«"
#: Words that end the naming of a speaker after the verb ("قال هيراس أنّ ...", "قال الأعرجي في تدوينة").
_SPEAKER_STOP = frozenset({"ان", "انه", "انها", "انهم", "بان", "بانه", "في", "خلال", "عبر", "الي", "امام", "ل", "عن", "علي", "يوم",
                           "امس", "اول", "الخميس", "الاثنين", "الثلاثاء", "الاربعاء", "الجمعه", "السبت", "الاحد", "بدوره", "بدورها"})
_CLAUSE_STOP = re.compile(r"[:،,؛\"“«”»]")


@dataclass
class Sentence:
    start: int
    end: int  # without the closing punctuation


def sentences(text: str, quoted: list[tuple[int, int]]) -> list[Sentence]:
    """Sentences of each line: split after . ! ? ؟ (not inside a quoted span)."""
    out = []
    offset = 0
    for line in text.split("\n"):
        line_start, line_end = offset, offset + len(line)
        offset = line_end + 1
        cursor = line_start
        for m in _SENTENCE_END.finditer(text, line_start, line_end):
            if any(s < m.start() < e - 1 for s, e in quoted):
                continue
            if text[cursor:m.start()].strip():
                out.append(_trimmed(text, cursor, m.start()))
            cursor = m.end()
        if text[cursor:line_end].strip():
            out.append(_trimmed(text, cursor, line_end))
    return out


def _trimmed(text: str, start: int, end: int) -> Sentence:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Sentence(start, end)


@dataclass
class Attribution:
    start: int
    end: int  # end of the attribution clause (verb and the words that name the speaker)
    verb: str
    speaker_words: str


def attributions(text: str) -> list[Attribution]:
    """Every attribution verb of the text with the clause that follows it (up to ':' '،' or a quote mark, at most 6 words)."""
    folded = fold_with_map(text, spelling=True)
    out = []
    for m in _ATTRIBUTION.finditer(folded.text):
        start, verb_end = folded.starts[m.start()], folded.ends[m.end() - 1]
        line_end = text.find("\n", verb_end)
        line_end = len(text) if line_end == -1 else line_end
        stop = _CLAUSE_STOP.search(text, verb_end, line_end)
        limit = stop.start() if stop else line_end
        sentence_end = _SENTENCE_END.search(text, verb_end, line_end)
        if sentence_end and sentence_end.start() < limit:
            limit = sentence_end.start()
        words = list(_WORD.finditer(text, verb_end, limit))[:6]
        clause_end = words[-1].end() if words else verb_end
        named = []
        for word in words:
            if fold(word.group(), spelling=True) in _SPEAKER_STOP:
                break
            named.append(word)
        speaker_words = text[named[0].start():named[-1].end()] if named else ""
        out.append(Attribution(start, clause_end, text[start:verb_end], speaker_words))
    return out


# --- candidates -------------------------------------------------------------------


@dataclass
class Drafts:
    """The draft records of one source, ready for the candidate file."""

    figures: list[dict] = field(default_factory=list)
    statements: list[dict] = field(default_factory=list)
    dates: list[dict] = field(default_factory=list)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _context(text: str, start: int, end: int, width: int = 50) -> str:
    return " ".join(f"{text[max(0, start - width):start]}⟦{text[start:end]}⟧{text[end:end + width]}".split())


def draft_dates(text: str, source: str, published: dt.date | None, published_end: dt.date | None) -> tuple[list[dict], list[DateMention]]:
    mentions = find_dates(text, published, published_end)
    drafts = []
    for n, mention in enumerate(mentions, start=1):
        todo = list(mention.todo)
        todo.append("copy date_start/date_end/date_precision/date_basis/date_note to the record this date belongs to "
                    "(or list its numbers in exclusions: 'part of a date')")
        drafts.append({
            "id": f"date-{n:03d}",
            "phrase": mention.phrase,
            "kind": mention.kind,
            "date_start": mention.date_start,
            "date_end": mention.date_end,
            "date_precision": mention.precision,
            "date_basis": mention.basis,
            "date_note": mention.note,
            "evidence": [quote_item(text, mention.start, mention.end, source)],
            "todo": todo,
            "candidate": {"line": _line(text, mention.start), "span": flow([mention.start, mention.end])},
        })
    return drafts, mentions


def draft_figures(text: str, source: str, short: str, skip: Callable[[int, int], bool]) -> list[dict]:
    drafts = []
    for n, number in enumerate(find_numbers(text, skip), start=1):
        qualifier, word = guess_qualifier(text, number.start)
        if number.qualifier:
            qualifier, word = number.qualifier, number.as_written
        todo = ["unit" if number.unit is None else f"unit (guessed '{number.unit}' from the word)",
                "counted_en", "counted_ar", "whose", "claimed_by", "event", "dates (date_* fields, or null)", "notes"]
        if number.value is None:
            todo.insert(0, "value (could not be read)")
        elif number.how != "digits":
            todo.insert(0, f"value (read {number.value:g} from the words)")
        todo.insert(1, f"qualifier (guessed '{qualifier}'" + (f" from '{word}')" if word else ": no qualifying word before the number)"))
        if number.as_written.isdigit() and 1900 <= int(number.as_written) <= 2099:
            todo.insert(0, "a year? then it is a date, not a figure: list it in exclusions as part of a date, or date the record it belongs to")
        value = number.value
        drafts.append({
            "id": f"fig-{short}-{n:03d}",
            "source": source,
            "value": int(value) if value is not None and float(value).is_integer() else value,
            "value_low": None,
            "value_high": None,
            "qualifier": qualifier,
            "unit": number.unit,
            "counted_en": None,
            "counted_ar": None,
            "as_written": number.as_written,
            "date_start": None, "date_end": None, "date_precision": None, "date_basis": None, "date_note": None,
            "whose": None,
            "claimed_by": None,
            "event": None,
            "notes": None,
            "evidence": [evidence_for(text, number.start, number.end, source)],
            "todo": todo,
            "candidate": {"line": _line(text, number.start), "span": flow([number.start, number.end]),
                          "context": _context(text, number.start, number.end)},
        })
    return drafts


def draft_statements(text: str, source: str, short: str, speaker_guess: Callable[[str], str | None] | None = None) -> list[dict]:
    quoted = sorted({(m.start(), m.end()) for pattern in QUOTED for m in pattern.finditer(text)})
    verbs = attributions(text)
    drafts: list[dict] = []
    used_quotes: set[tuple[int, int]] = set()
    last_speaker: str | None = None
    for sentence in sentences(text, quoted):
        own_verbs = [a for a in verbs if sentence.start <= a.start < sentence.end]
        # one draft per attribution: the sentence is cut before each further verb ("اعتبرتها ...، وانتقدت ... وقالت: ...")
        bounds = [sentence.start] + [a.start for a in own_verbs[1:]] + [sentence.end]
        for k, attribution in enumerate(own_verbs):
            seg_start, seg_end = bounds[k], bounds[k + 1]
            guess = speaker_guess(attribution.speaker_words) if speaker_guess and attribution.speaker_words else None
            guessed_from = attribution.speaker_words
            if guess is None and speaker_guess and last_speaker and not attribution.speaker_words.strip():
                guess, guessed_from = last_speaker, "the previous statement (no speaker named after the verb)"
            if guess:
                last_speaker = guess
            clause = quote_item(text, attribution.start, max(attribution.end, attribution.start + len(attribution.verb)), source)
            closed = [q for q in quoted if seg_start <= q[0] < seg_end]
            unclosed = _unclosed_quote(text, max(seg_start, attribution.start), seg_end, closed, sentence.end)
            spans = closed + ([unclosed] if unclosed else [])
            made = False
            for q in spans:
                used_quotes.add(q)
                inner = _inner(text, q)
                if inner is None:
                    continue
                evidence = [clause]
                if q != unclosed:  # the quoted span with its marks, as the coverage check lists it
                    evidence.append(quote_item(text, q[0], q[1], source))
                drafts.append(_statement(text, source, short, inner, evidence, "direct", guess, guessed_from, attribution))
                made = True
            if not made:
                inner = _inner(text, (seg_start, seg_end))
                if inner:
                    drafts.append(_statement(text, source, short, inner, [clause], "indirect", guess, guessed_from, attribution))
    for q in quoted:
        if q in used_quotes:
            continue
        inner = _inner(text, q)
        evidence = [quote_item(text, q[0], q[1], source)]
        draft = _statement(text, source, short, inner, evidence, "direct", None, None, None)
        draft["todo"].insert(0, "a quoted term or title rather than words someone said? then drop this draft and put the quote "
                                "in the evidence of the record it names, or in exclusions with a reason")
        drafts.append(draft)
    drafts.sort(key=lambda d: d["candidate"]["span"][0])
    for n, draft in enumerate(drafts, start=1):
        draft["id"] = f"stm-{short}-{n:03d}"
    return drafts


def _unclosed_quote(text: str, start: int, end: int, closed: list[tuple[int, int]], sentence_end: int) -> tuple[int, int] | None:
    """An opening quote mark in [start, end) that no closed quoted span accounts for: (mark, sentence end)."""
    for i in range(start, end):
        if text[i] in _OPENING and not any(s <= i < e for s, e in closed):
            return (i, sentence_end)
    return None


def _inner(text: str, span: tuple[int, int]) -> tuple[int, int] | None:
    start, end = span
    if start < len(text) and text[start] in _OPENING:
        start += 1
    if end - 1 > start and text[end - 1] in "\"”»":
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".،,؛:"):
        end -= 1
    return (start, end) if end > start else None


def _statement(text: str, source: str, short: str, span: tuple[int, int] | None, evidence: list[dict], directness: str,
               guess: str | None, guessed_from: str | None, attribution: Attribution | None) -> dict:
    start, end = span if span else (0, 0)
    text_ar = text[start:end] if span else None
    todo = []
    if guess:
        todo.append(f"speaker (guessed '{guess}' from '{guessed_from}')")
    elif attribution is not None and attribution.speaker_words:
        todo.append(f"speaker (the words after '{attribution.verb}': '{attribution.speaker_words}'; an existing actor? "
                    "try `iraq-withdrawal suggest`, else add the actor)")
    else:
        todo.append("speaker")
    todo += ["speaker_role_ar", "speaker_role_en", "channel", "reported_via",
             f"directness (guessed '{directness}')", "text_ar (trim to the words said)", "text_en", "original_language",
             "stance", "event", "dates (date_* fields, or null)", "notes"]
    draft: dict[str, Any] = {
        "id": None,
        "source": source,
        "speaker": guess,
        "speaker_role_ar": None,
        "speaker_role_en": None,
        "date_start": None, "date_end": None, "date_precision": None, "date_basis": None, "date_note": None,
        "channel": None,
        "reported_via": None,
        "directness": directness,
        "text_ar": text_ar,
    }
    if span:
        occurrence = occurrence_of(text_ar, text, start)
        if occurrence is not None:
            draft["text_occurrence"] = occurrence
    draft |= {"text_en": None, "original_language": None, "stance": None, "event": None, "notes": None,
              "evidence": evidence, "todo": todo}
    first = attribution.start if attribution else start
    draft["candidate"] = {"line": _line(text, first), "span": flow([min(first, start) if span else first, max(end, attribution.end if attribution else end)])}
    if attribution:
        draft["candidate"]["verb"] = attribution.verb
    return draft


def draft_candidates(text: str, source: str, published: dt.date | None = None, published_end: dt.date | None = None,
                     speaker_guess: Callable[[str], str | None] | None = None) -> Drafts:
    """Draft figures, statements and dates for one source text."""
    short = source.removeprefix("src-")
    dates, mentions = draft_dates(text, source, published, published_end)
    def in_date(s: int, e: int) -> bool:
        return any(m.start <= s and e <= m.end for m in mentions)

    return Drafts(
        figures=draft_figures(text, source, short, in_date),
        statements=draft_statements(text, source, short, speaker_guess),
        dates=dates,
    )
