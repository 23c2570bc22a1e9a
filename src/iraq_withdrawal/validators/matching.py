"""Locate a quote in its Arabic source text.

Two tiers (see DESIGN.md, "Matching a quote to its source"):

- **exact**: the quote matches after :func:`exact_fold`, which removes only what a
  reader cannot see or what does not change the letters: NFC, Arabic presentation
  forms to base letters, tatweel, harakat, bidi and zero-width marks, BOM, soft
  hyphen, Arabic-Indic digits to ASCII, curly quotes and guillemets to straight
  quotes, and runs of white space to one space. A match in this tier passes, and
  the build stores the offsets of the exact source span.
- **spelling**: the quote matches only after also folding hamza and madda forms
  of alef to bare alef, alef maqsura to ya and ta marbuta to ha. This fails (the
  letters differ), but the finding says so and shows the exact source text.

Never NFKC on the whole string, never fuzzy matching, never deleting unknown
characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

_DROP = frozenset(
    [0x0640, 0x0670, 0x00AD, 0xFEFF, 0x200B, 0x200C, 0x200D, 0x2060, 0x061C, 0x200E, 0x200F]
    + list(range(0x064B, 0x0653))
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)
_QUOTES = {
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
}
_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}
_SPELLING = {"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627", "\u0649": "\u064a", "\u0629": "\u0647"}


def _is_presentation_form(ch: str) -> bool:
    cp = ord(ch)
    return 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFE


def _fold_char(ch: str, spelling: bool) -> str:
    if ord(ch) in _DROP:
        return ""
    if _is_presentation_form(ch):
        base = unicodedata.normalize("NFKC", ch)
        if base != ch:  # some code points in these blocks (U+FBB2 and others) have no decomposition
            return "".join(_fold_char(c, spelling) for c in base)
    if ch.isspace():
        return " "
    ch = _QUOTES.get(ch, ch)
    ch = _DIGITS.get(ch, ch)
    if spelling:
        ch = _SPELLING.get(ch, ch)
    return ch


def _clusters(text: str):
    """Yield (start, end, cluster) where a cluster is a starter and its combining marks."""
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or unicodedata.combining(text[i]) == 0:
            yield start, i, text[start:i]
            start = i


@dataclass(frozen=True)
class Folded:
    """A folded text and, for each folded character, the source span it came from (sequences of ints: tuples or numpy arrays)."""

    text: str
    starts: Sequence[int]
    ends: Sequence[int]


def fold_with_map(text: str, spelling: bool = False) -> Folded:
    """Fold ``text``, keeping for every folded character the span of the source it came from.

    Text that is NFC already, holds no presentation form and no combining mark other than
    the harakat the fold drops (the articles' text) is folded by a table and numpy in a few
    passes; anything else by the character-by-character reference, which gives the same
    result on such text (``tests/test_matching.py`` checks both on generated strings).
    """
    fast = _fold_with_map_fast(text, spelling)
    return fast if fast is not None else fold_with_map_reference(text, spelling)


def fold_with_map_reference(text: str, spelling: bool = False) -> Folded:
    """The character-by-character fold: NFC per cluster, then each character folded (see the module docstring)."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for c_start, c_end, cluster in _clusters(text):
        folded = "".join(_fold_char(c, spelling) for c in unicodedata.normalize("NFC", cluster))
        for ch in folded:
            if ch == " " and out and out[-1] == " ":
                ends[-1] = c_end
                continue
            if out and unicodedata.combining(ch):
                # a mark left alone by a dropped character (alef, tatweel or ZWJ, hamza above) composes
                # with what precedes it, as it will when the folded text is folded again
                composed = unicodedata.normalize("NFC", out[-1] + ch)
                if len(composed) == 1:
                    out[-1] = _SPELLING.get(composed, composed) if spelling else composed
                    ends[-1] = c_end
                    continue
            out.append(ch)
            starts.append(c_start)
            ends.append(c_end)
    return Folded("".join(out), tuple(starts), tuple(ends))


def _simple_char(ch: str) -> bool:
    """True when folding ``ch`` is a one-character table lookup: no presentation form, and a starter or a dropped mark."""
    return not _is_presentation_form(ch) and (unicodedata.combining(ch) == 0 or ord(ch) in _DROP)


_SIMPLE: set[str] = set()  # characters judged simple so far
_NOT_SIMPLE: set[str] = set()
_TABLES: dict[bool, dict[int, int | None]] = {False: {}, True: {}}  # per tier: code point -> folded code point, None to drop


_KNOWN_LIMIT = 4096  # simple characters the fast test below lists; past it, sets decide (hostile text of many scripts)
_unknown: list = [re.compile(r"[\s\S]")]  # matches a character not yet judged simple; nothing is, at first


def _fold_table(text: str, spelling: bool) -> dict[int, int | None] | None:
    """A translation table covering the characters of ``text``, or None when one of them is not simple."""
    if _unknown[0].search(text) is None:  # every character already known simple: one scan, no set built
        return _TABLES[spelling]
    chars = set(text)
    if not chars <= _SIMPLE:
        if chars & _NOT_SIMPLE:
            return None
        for ch in chars - _SIMPLE:
            if not _simple_char(ch):
                _NOT_SIMPLE.add(ch)
                return None
            for tier, table in _TABLES.items():
                folded = _fold_char(ch, tier)
                table[ord(ch)] = ord(folded) if folded else None
            _SIMPLE.add(ch)
        if len(_SIMPLE) <= _KNOWN_LIMIT:
            _unknown[0] = re.compile("[^" + "".join(re.escape(c) for c in sorted(_SIMPLE)) + "]")
    return _TABLES[spelling]


_SPACE_RUN = re.compile(" {2,}")


def _fast_fold(text: str, spelling: bool) -> str | None:
    """:func:`fold` of simple text by one translation and one substitution; None when the text is not simple."""
    if not unicodedata.is_normalized("NFC", text):
        return None
    table = _fold_table(text, spelling)
    if table is None:
        return None
    return _SPACE_RUN.sub(" ", text.translate(table))


def _fold_with_map_fast(text: str, spelling: bool) -> Folded | None:
    """:func:`fold_with_map` of simple text, vectorised; None when the text is not simple.

    In simple text every kept character is a starter that folds to one character, so it
    stands for its cluster (itself and the dropped marks after it); a space that follows a
    kept space extends that space's span instead of being kept.
    """
    import numpy as np

    if not unicodedata.is_normalized("NFC", text):
        return None
    table = _fold_table(text, spelling)
    if table is None:
        return None
    if not text:
        return Folded("", (), ())
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    distinct, inverse = np.unique(points, return_inverse=True)
    dropped = np.uint32(0xFFFFFFFF)  # not a code point; 0 is one (NUL), so it cannot mark a dropped character
    folded_points = np.array([dropped if table[c] is None else table[c] for c in distinct.tolist()], dtype=np.uint32)[inverse]
    starter = np.array([unicodedata.combining(chr(c)) == 0 for c in distinct.tolist()], dtype=bool)[inverse]
    starter[0] = True  # a cluster starts at the text's first character whatever it is
    cluster_starts = np.append(np.nonzero(starter)[0], len(points))
    kept = np.nonzero(folded_points != dropped)[0]
    if len(kept) == 0:
        return Folded("", (), ())
    kept_points = folded_points[kept]
    ends = cluster_starts[np.searchsorted(cluster_starts, kept, side="right")]
    space = kept_points == 32
    merged = np.zeros(len(kept), dtype=bool)
    merged[1:] = space[1:] & space[:-1]
    first = np.nonzero(~merged)[0]
    last = np.append(first[1:] - 1, len(kept) - 1)
    out = kept_points[first].tobytes().decode("utf-32-le")
    return Folded(out, kept[first].tolist(), ends[last].tolist())  # plain ints: callers write them into YAML and JSON


def fold(text: str, spelling: bool = False) -> str:
    """The folded form of a text (exact tier, or spelling tier with ``spelling=True``)."""
    fast = _fast_fold(text, spelling)
    return fast if fast is not None else fold_with_map_reference(text, spelling).text


def exact_fold(text: str) -> str:
    return fold(text, spelling=False)


class SourceText:
    """A source text folded once for each tier, on first use, to locate any number of quotes in it."""

    def __init__(self, text: str):
        self.text = text
        self._folded: dict[bool, Folded] = {}

    def folded(self, spelling: bool) -> Folded:
        if spelling not in self._folded:
            self._folded[spelling] = fold_with_map(self.text, spelling)
        return self._folded[spelling]

    def locate(self, quote: str) -> Match:
        """Find every occurrence of ``quote`` in this text, exact tier first."""
        for tier, spelling in (("exact", False), ("spelling", True)):
            needle = fold(quote, spelling).strip(" ")
            if not needle:
                return Match("none", ())
            folded = self.folded(spelling)
            hits = _find_all(folded.text, needle)
            if hits:
                starts, ends, last = folded.starts, folded.ends, len(needle) - 1
                return Match(tier, tuple((starts[i], ends[i + last]) for i in hits))  # plain ints (see _fold_with_map_fast)
        return Match("none", ())


@lru_cache(maxsize=64)
def _source(text: str) -> SourceText:
    return SourceText(text)


def _find_all(haystack: str, needle: str) -> list[int]:
    positions, i = [], haystack.find(needle)
    while i != -1:
        positions.append(i)
        i = haystack.find(needle, i + len(needle))
    return positions


@dataclass(frozen=True)
class Match:
    """Where a quote was found: its tier and the exact source spans of every occurrence."""

    tier: str  # "exact" | "spelling" | "none"
    spans: tuple[tuple[int, int], ...]


def locate(quote: str, source_text: str) -> Match:
    """Find every occurrence of ``quote`` in ``source_text``, exact tier first (the folded source is cached)."""
    return _source(source_text).locate(quote)
