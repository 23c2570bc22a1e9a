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

import unicodedata
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
    """A folded text and, for each folded character, the source span it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]


def fold_with_map(text: str, spelling: bool = False) -> Folded:
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


def fold(text: str, spelling: bool = False) -> str:
    """The folded form of a text (exact tier, or spelling tier with ``spelling=True``)."""
    return fold_with_map(text, spelling).text


def exact_fold(text: str) -> str:
    return fold(text, spelling=False)


@lru_cache(maxsize=64)
def _folded_source(text: str, spelling: bool) -> Folded:
    return fold_with_map(text, spelling)


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
    """Find every occurrence of ``quote`` in ``source_text``, exact tier first."""
    for tier, spelling in (("exact", False), ("spelling", True)):
        needle = fold(quote, spelling).strip(" ")
        if not needle:
            return Match("none", ())
        folded = _folded_source(source_text, spelling)
        hits = _find_all(folded.text, needle)
        if hits:
            spans = tuple((folded.starts[i], folded.ends[i + len(needle) - 1]) for i in hits)
            return Match(tier, spans)
    return Match("none", ())
