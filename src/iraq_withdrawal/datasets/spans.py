"""Cut a text into segments at every evidence span boundary, for highlighting.

Evidence spans overlap: two records often rest on the same sentence, and a
statement's quote may sit inside an event's longer quote. HTML elements must nest,
so a span that crosses another cannot be one element. :func:`segments` cuts the text
at every start and end offset; each segment lists the spans that cover it, outermost
first, and a span is then drawn as one ``<mark>`` per segment it covers (the first
carries its id). Joining the text of a span's pieces gives back its quote exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Span:
    """One evidence span: ``text[start:end]``; ``key`` identifies it (e.g. ``stm-x-001-1``)."""

    start: int
    end: int
    key: str

    @property
    def nesting_order(self) -> tuple[int, int, str]:
        """Outer spans first: earlier start, then longer, then key."""
        return (self.start, -self.end, self.key)


@dataclass(frozen=True)
class Segment:
    """``text[start:end]``, covered by ``spans`` (outermost first; empty for plain text)."""

    start: int
    end: int
    spans: tuple[Span, ...]


def segments(length: int, spans: Iterable[Span]) -> list[Segment]:
    """Cut ``range(length)`` at every span boundary; every character lies in exactly one segment.

    Raises ``ValueError`` for a span outside the text or with ``end < start``. An
    empty span (``start == end``) covers no character and is returned nowhere; the
    caller must place it itself.
    """
    spans = sorted(spans, key=lambda s: s.nesting_order)
    for span in spans:
        if not 0 <= span.start <= span.end <= length:
            raise ValueError(f"span {span.key} [{span.start}, {span.end}) is outside the text (length {length})")
    cuts = sorted({0, length, *(s.start for s in spans), *(s.end for s in spans)})
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:]):
        covering = tuple(s for s in spans if s.start <= a and b <= s.end)
        out.append(Segment(a, b, covering))
    return out


def first_segments(parts: Sequence[Segment]) -> dict[str, int]:
    """Index of the first segment of each span (where its id goes)."""
    first: dict[str, int] = {}
    for i, seg in enumerate(parts):
        for span in seg.spans:
            first.setdefault(span.key, i)
    return first


def last_segments(parts: Sequence[Segment]) -> dict[str, int]:
    """Index of the last segment of each span (where its link to the record goes)."""
    last: dict[str, int] = {}
    for i, seg in enumerate(parts):
        for span in seg.spans:
            last[span.key] = i
    return last
