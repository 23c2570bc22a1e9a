"""Helpers a curator reaches for: find a quote, resolve a date phrase, suggest existing ids for a name.

- :func:`find_quote` lists every occurrence of a quote in a source text with offsets and line
  numbers; when there is no exact match it shows the spelling-tier near-misses with the exact
  source text (the same two tiers as the validator, :mod:`validators.matching`), and how many
  leading words of the quote do occur. It never matches fuzzily.
- :func:`resolve_date` resolves a relative phrase (``relative_dates.resolve``) or reads a printed
  date against a publication date or window.
- :func:`suggest` finds actors, places and events whose names, aliases or summaries match a name,
  folding Arabic spelling variants (hamza forms, ى/ي, ة/ه) and ignoring the article ال and the
  prefixes و ف ب ل ك, so that a new article links to existing records instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ...validators.matching import exact_fold, fold, locate
from ...validators.records import load_curated
from .common import CurationError, decode_source_text, inside, read_text_file
from .dates import find_dates, resolve_relative

_ARABIC = re.compile(r"[\u0621-\u064a]")


# --- find-quote -------------------------------------------------------------------


@dataclass
class Occurrence:
    occurrence: int
    char_start: int
    char_end: int
    line: int
    column: int
    source_text: str
    context: str


@dataclass
class QuoteSearch:
    source: str
    quote: str
    tier: str  # exact | spelling | none
    occurrences: list[Occurrence]
    leading_words_found: int = 0  # when nothing matches: how many leading words of the quote occur (exact tier)
    words: int = 0
    partial: list[Occurrence] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _occurrences(spans, text: str) -> list[Occurrence]:
    out = []
    for n, (start, end) in enumerate(spans, start=1):
        line_start = text.rfind("\n", 0, start) + 1
        context = " ".join(f"{text[max(line_start, start - 40):start]}⟦{text[start:end]}⟧{text[end:end + 40].split(chr(10))[0]}".split())
        out.append(Occurrence(n, start, end, text.count("\n", 0, start) + 1, start - line_start + 1, text[start:end], context))
    return out


def find_quote(quote: str, text: str, source: str = "") -> QuoteSearch:
    """Every occurrence of ``quote`` in ``text``: exact tier, else spelling-tier near-misses, else the longest leading part found."""
    match = locate(quote, text)
    words = quote.split()
    result = QuoteSearch(source, quote, match.tier, _occurrences(match.spans, text), words=len(words))
    if match.tier == "none" and len(words) > 1:
        for k in range(len(words) - 1, 0, -1):
            part = locate(" ".join(words[:k]), text)
            if part.tier == "exact":
                result.leading_words_found = k
                result.partial = _occurrences(part.spans[:5], text)
                break
    return result


def read_source_text(source: str, dataset: Path | None) -> tuple[str, str]:
    """(source id or file name, text) for a source id in ``dataset/sources/`` or a path to a text file."""
    candidates = []
    if dataset is not None and re.fullmatch(r"src-[a-z0-9]+(?:-[a-z0-9]+)*", source):
        candidates.append(dataset / "sources" / f"{source}.txt")
        if candidates[0].is_symlink() and not inside(candidates[0], dataset / "sources"):  # a path from the data: no link out
            raise CurationError(f"{candidates[0]} is a link that leaves {dataset / 'sources'}; not read", 2)
    candidates.append(Path(source))
    for path in candidates:
        if path.is_file():
            data = read_text_file(path)
            return (source if path.name == f"{source}.txt" else str(path)), decode_source_text(data, str(path))
    where = f" in {dataset / 'sources'}" if dataset is not None else ""
    raise CurationError(f"no source '{source}'{where} and no such file", 2)


# --- resolve-date -----------------------------------------------------------------


@dataclass
class DateResolution:
    phrase: str
    published: dt.date
    published_end: dt.date
    kind: str  # relative | stated
    date_start: dt.date | None
    date_end: dt.date | None
    date_precision: str | None
    date_basis: str | None
    date_note: str | None

    def as_dict(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in asdict(self).items()}


def resolve_date(phrase: str, published: dt.date, published_end: dt.date | None = None) -> DateResolution | None:
    """The interval a date phrase denotes against a publication date (or window), or None when it cannot be read."""
    published_end = published_end or published
    if published_end < published:
        raise CurationError(f"the publication window ends ({published_end}) before it starts ({published})", 2)
    resolved = resolve_relative(phrase.strip(), published, published_end)
    if resolved is not None:
        start, end, precision, note = resolved
        return DateResolution(phrase, published, published_end, "relative", start, end, precision, "relative_to_publication", note)
    mentions = [m for m in find_dates(phrase, published, published_end) if m.date_start is not None]
    if len(mentions) == 1 and fold(mentions[0].phrase).strip() == fold(phrase).strip():
        m = mentions[0]
        return DateResolution(phrase, published, published_end, m.kind, m.date_start, m.date_end, m.precision, m.basis, m.note)
    return None


# --- suggest ----------------------------------------------------------------------


def _arabic_forms(token: str) -> frozenset[str]:
    """A folded Arabic word and its forms without the prefixes و/ف, ب/ل/ك and the article ال (remainder of 3 letters or more)."""
    forms = {token}
    for conj in ("", "و", "ف"):
        if not token.startswith(conj):
            continue
        rest = token[len(conj):]
        for prep in ("", "ب", "ل", "ك"):
            if not rest.startswith(prep):
                continue
            stem = rest[len(prep):]
            forms.add(stem)
            if stem.startswith("ال"):
                forms.add(stem[2:])
            if prep == "ل" and stem.startswith("ل"):  # لل: ل + ال with its alef dropped
                forms.add(stem[1:])
    return frozenset(f for f in forms if len(f) >= 3 or f == token)


def _tokens(name: str) -> list[frozenset[str]]:
    if _ARABIC.search(name):
        return [_arabic_forms(t) for t in re.findall(r"[\u0621-\u064a]+|\d+", fold(name, spelling=True))]
    words = [w for w in re.findall(r"[a-z0-9]+", name.lower()) if w not in ("al", "el", "the", "of")]
    return [frozenset({w}) for w in words]


def _run(query: list[frozenset[str]], name: list[frozenset[str]]) -> bool:
    """True when the query's words occur as a contiguous run of the name's words."""
    n = len(query)
    return any(all(query[i] & name[j + i] for i in range(n)) for j in range(len(name) - n + 1))


@dataclass
class Suggestion:
    id: str
    table: str
    field: str  # name_ar, aliases_en, summary_ar, ...
    name: str  # the matching name as written in the record
    match: str  # exact (the whole name), part (the query is part of the name), contains (the name is part of the query), summary
    spelling_variant: bool  # matched only after folding hamza, ى/ي, ة/ه or dropping prefixes
    score: int

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class NameIndex:
    """Names, aliases and summaries of the curated actors, places and events."""

    entries: list[tuple[str, str, str, str, list[frozenset[str]]]]  # (id, table, field, name, tokens)

    @classmethod
    def from_dataset(cls, root: Path) -> NameIndex:
        data = load_curated(root)
        entries = []
        fields = {"actors": ("name_ar", "name_en", "aliases_ar", "aliases_en"), "places": ("name_ar", "name_en"),
                  "events": ("summary_ar", "summary_en")}
        for table, names in fields.items():
            for entry in data.entries.get(table, []):
                raw = entry.raw if isinstance(entry.raw, dict) else {}
                rid = raw.get("id")
                if not isinstance(rid, str):
                    continue
                for name_field in names:
                    value = raw.get(name_field)
                    for name in (value if isinstance(value, list) else [value]):
                        if isinstance(name, str) and name.strip():
                            entries.append((rid, table, name_field, name, _tokens(name)))
        return cls(entries)

    def suggest(self, query: str, tables: tuple[str, ...] = ("actors", "places", "events")) -> list[Suggestion]:
        """Records whose names match ``query``, best first, one line per record (its best match)."""
        wanted = _tokens(query)
        if not wanted:
            return []
        exact_query = exact_fold(query).strip()
        best: dict[str, Suggestion] = {}
        for rid, table, name_field, name, tokens in self.entries:
            if table not in tables:
                continue
            summary = name_field.startswith("summary")
            if not summary and len(tokens) == len(wanted) and _run(wanted, tokens):
                kind, score = "exact", 4 if name_field.startswith("name") else 3
            elif _run(wanted, tokens):
                kind, score = ("summary", 1) if summary else ("part", 2)
            elif not summary and tokens and _run(tokens, wanted):
                kind, score = "contains", 1
            else:
                continue
            variant = exact_query not in exact_fold(name) and exact_fold(name) not in exact_query
            suggestion = Suggestion(rid, table, name_field, name, kind, variant, score)
            if rid not in best or (score, not variant) > (best[rid].score, not best[rid].spelling_variant):
                best[rid] = suggestion
        return sorted(best.values(), key=lambda s: (-s.score, s.spelling_variant, s.table, s.id))

    def speaker(self, words: str) -> str | None:
        """The one actor whose whole name or alias is the longest run of ``words`` (leftmost first), or None.

        "المحلل السياسي نيكولاس هيراس" finds the actor named "نيكولاس هيراس"; a run that names
        two actors (an alias they share) gives no guess.
        """
        tokens = words.split()[:6]
        for k in range(len(tokens), 0, -1):
            for i in range(len(tokens) - k + 1):
                found = {s.id for s in self.suggest(" ".join(tokens[i:i + k]), ("actors",)) if s.match == "exact"}
                if len(found) == 1:
                    return found.pop()
        return None


def suggest(name: str, root: Path) -> list[Suggestion]:
    """Existing actor, place and event ids for a name (see :class:`NameIndex`)."""
    return NameIndex.from_dataset(root).suggest(name)
