"""Coverage layer (IW6xx): nothing countable or quoted in a source goes unrecorded.

Every number written in digits (ASCII or Arabic-Indic), every number written as an
Arabic word (:data:`NUMBER_WORDS`: cardinals, tens, hundreds, thousands, their plurals,
duals of time units, multiples and ordinals, with the prefixes و ف ب ل ك and the
article) and every quoted span ("…", “…”, «…») of a source text must lie inside the
span of some evidence quote, statement text or exclusion. The check is mechanical: it cannot tell whether a
record is right, only that nobody skipped the words.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..findings import Finding
from .provenance import Span

NUMBER = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]+(?:[.,\u066b\u066c][0-9\u0660-\u0669\u06f0-\u06f9]+)*")
_UNITS = ("واحد", "واحدة", "اثنان", "اثنين", "اثنتان", "اثنتين", "ثلاث", "ثلاثة", "أربع", "أربعة", "خمس", "خمسة", "ست", "ستة",
          "سبع", "سبعة", "ثمان", "ثماني", "ثمانية", "تسع", "تسعة", "عشر", "عشرة")
_TENS = tuple(f"{stem}{end}" for stem in ("عشر", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثمان", "تسع") for end in ("ون", "ين"))
_BIG = ("مئة", "مائة", "مئتين", "مئتان", "مائتين", "مئات", "ألف", "ألفين", "ألفان", "آلاف", "مليون", "مليونين", "ملايين",
        "مليار", "مليارات", "عشرات")
_DUALS = ("يومين", "أسبوعين", "شهرين", "عامين", "سنتين", "عقدين", "قرنين", "مرتين", "المثلين", "مثلين", "ضعفين", "أضعاف")
_ORDINALS = ("الأول", "الأولى", "الثاني", "الثانية", "الثالث", "الثالثة", "الرابع", "الرابعة", "الخامس", "الخامسة",
             "السادس", "السادسة", "السابع", "السابعة", "الثامن", "الثامنة", "التاسع", "التاسعة", "العاشر", "العاشرة")
#: Arabic number words the coverage check looks for (whole words, with or without prefixes).
NUMBER_WORDS = _UNITS + _TENS + _BIG + _DUALS + _ORDINALS
_ARABIC_LETTER = "\u0621-\u064a\u0671-\u06d3"
_WORDS = sorted({w for w in NUMBER_WORDS} | {"ال" + w for w in NUMBER_WORDS if not w.startswith("ال")}, key=len, reverse=True)
NUMBER_WORD = re.compile(
    rf"(?<![{_ARABIC_LETTER}])(?:[وفبلك]|وب|ول|فب|فل)?(?:{'|'.join(map(re.escape, _WORDS))})(?![{_ARABIC_LETTER}])"
)
QUOTED = (re.compile(r"“[^”\n]*”"), re.compile(r'"[^"\n]*"'), re.compile(r"«[^»\n]*»"))


@dataclass(frozen=True)
class Item:
    source: str
    kind: str  # "number" | "quote"
    start: int
    end: int
    text: str

    def context(self, full_text: str, width: int = 40) -> str:
        before = full_text[max(0, self.start - width): self.start]
        after = full_text[self.end: self.end + width]
        return " ".join(f"{before}⟦{self.text}⟧{after}".split())


def items(source: str, text: str) -> list[Item]:
    """Every number and quoted span of a source text, in text order."""
    found = [Item(source, "number", m.start(), m.end(), m.group()) for m in NUMBER.finditer(text)]
    found += [Item(source, "number", m.start(), m.end(), m.group()) for m in NUMBER_WORD.finditer(text)]
    for pattern in QUOTED:
        found += [Item(source, "quote", m.start(), m.end(), m.group()) for m in pattern.finditer(text)]
    return sorted(found, key=lambda i: (i.start, i.end))


@dataclass
class SourceCoverage:
    source: str
    total: int
    uncovered: list[Item]

    @property
    def covered(self) -> int:
        return self.total - len(self.uncovered)


def _covering(spans: list[Span]):
    """A test ``covered(start, end)`` in O(log n): is ``[start, end)`` inside one of the spans?

    An item lies inside a span when the span starts at or before it and ends at or after it,
    so among spans starting at or before ``start`` only the furthest end matters.
    """
    ordered = sorted(spans, key=lambda s: s.start)
    starts = [s.start for s in ordered]
    furthest, best = [], -1
    for s in ordered:
        best = max(best, s.end)
        furthest.append(best)

    def covered(start: int, end: int) -> bool:
        index = bisect.bisect_right(starts, start) - 1
        return index >= 0 and furthest[index] >= end

    return covered


def coverage(texts: dict[str, str], spans: dict[str, list[Span]]) -> list[SourceCoverage]:
    """Coverage of each source by the given spans."""
    result = []
    for source, text in sorted(texts.items()):
        all_items = items(source, text)
        covered = _covering(spans.get(source, []))
        uncovered = [it for it in all_items if not covered(it.start, it.end)]
        result.append(SourceCoverage(source, len(all_items), uncovered))
    return result


def coverage_findings(result: list[SourceCoverage], texts: dict[str, str], files: dict[str, str]) -> list[Finding]:
    findings = []
    for cov in result:
        text = texts[cov.source]
        newlines = [i for i, c in enumerate(text) if c == "\n"] if cov.uncovered else []
        for it in cov.uncovered:
            line = bisect.bisect_left(newlines, it.start) + 1
            code = "IW601" if it.kind == "number" else "IW602"
            findings.append(
                Finding(code, f"'{it.text[:60]}' at offset {it.start} is in no evidence or exclusion: …{it.context(text)}…",
                        file=files.get(cov.source), line=line, record=cov.source)
            )
    return findings
