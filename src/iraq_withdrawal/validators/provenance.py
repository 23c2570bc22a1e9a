"""Provenance layer (IW4xx): every quote is found in its source, where it says.

For curated data, :func:`locate_evidence` finds each evidence quote, each
statement's ``text_ar`` and each exclusion in its source text and returns the exact
source spans; the build stores those offsets. For released tables,
:func:`check_offsets` checks that ``text[char_start:char_end] == quote``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from ..findings import Finding
from .matching import SourceText, locate


@dataclass(frozen=True)
class Span:
    source: str
    start: int
    end: int
    occurrence: int

    def covers(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


@dataclass
class Located:
    """Spans found for the curated records, keyed by (record id, evidence position)."""

    evidence: dict[tuple[str, int], Span] = field(default_factory=dict)
    texts: dict[str, Span] = field(default_factory=dict)  # statement id -> span of text_ar
    exclusions: list[Span] = field(default_factory=list)
    exclusion_reasons: list[str] = field(default_factory=list)

    def spans_by_source(self) -> dict[str, list[Span]]:
        out: dict[str, list[Span]] = {}
        for span in [*self.evidence.values(), *self.texts.values(), *self.exclusions]:
            out.setdefault(span.source, []).append(span)
        return out


def _preview(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _called(value):
    return value() if callable(value) else value


def find_quote(
    quote: str,
    occurrence: int | None,
    source: str,
    text: str,
    *,
    file: str,
    line: int | Callable[[], int],
    record: str | None,
    field_name: str,
    occurrence_line: int | None | Callable[[], int | None] = None,
    searched: SourceText | None = None,
) -> tuple[Span | None, list[Finding]]:
    """Locate one quote; return its span or the findings that explain why not.

    ``searched`` is ``text`` folded once for many quotes (:class:`~iraq_withdrawal.validators.matching.SourceText`).
    ``line`` and ``occurrence_line`` may be functions, called only when there is a finding
    to place (finding a YAML line costs more than finding most quotes).
    """
    match = searched.locate(quote) if searched is not None else locate(quote, text)

    def where(**other) -> dict:  # the finding's place; its line is looked up only now
        return dict(file=file, line=_called(line), record=record, field=field_name) | other

    if match.tier == "none":
        return None, [Finding("IW401", f"quote not found in {source}: '{_preview(quote)}'", **where())]
    if match.tier == "spelling":
        s, e = match.spans[0]
        return None, [
            Finding(
                "IW402",
                f"quote matches {source} only if hamza/alef, alef maqsura or ta marbuta are ignored; the source has '{text[s:e]}' (offsets {s}-{e})",
                **where(),
            )
        ]
    if occurrence is None and len(match.spans) > 1:
        return None, [
            Finding(
                "IW403",
                f"quote occurs {len(match.spans)} times in {source} (at offsets {', '.join(str(s) for s, _ in match.spans[:5])}); say which with 'occurrence'",
                **where(),
            )
        ]
    k = occurrence or 1
    if k > len(match.spans):
        occurrence_field = (
            "text_occurrence" if field_name == "text_ar"
            else field_name.rsplit(".", 1)[0] + ".occurrence" if "." in field_name
            else "occurrence"
        )
        place = where(field=occurrence_field)
        place["line"] = _called(occurrence_line) or place["line"]
        return None, [Finding("IW404", f"occurrence {k} asked for, but the quote occurs {len(match.spans)} time(s) in {source}", **place)]
    start, end = match.spans[k - 1]
    if "\n" in text[start:end]:
        return Span(source, start, end, k), [Finding("IW407", "quote runs across a paragraph break", **where())]
    return Span(source, start, end, k), []


def locate_evidence(data) -> tuple[Located, list[Finding]]:
    """Locate every quote of a :class:`~iraq_withdrawal.validators.records.CuratedDataset`."""
    located = Located()
    findings: list[Finding] = []
    searched = {source: SourceText(text) for source, text in data.texts.items()}  # each text folded once, when first searched
    for table, entries in data.entries.items():
        for entry in entries:
            model = entry.model
            if model is None:
                continue
            if table == "exclusions":
                text = data.texts.get(model.source)
                if text is None:
                    continue
                span, problems = find_quote(
                    model.quote, model.occurrence, model.source, text,
                    file=entry.file, line=partial(entry.line_of, ("quote",)), record=None, field_name="quote",
                    occurrence_line=partial(entry.line_of, ("occurrence",)), searched=searched[model.source],
                )
                if problems and problems[0].code == "IW401":
                    problems[0] = Finding("IW603", problems[0].message, file=entry.file, line=entry.line_of(("quote",)), field="quote")
                findings.extend(problems)
                if span:
                    located.exclusions.append(span)
                    located.exclusion_reasons.append(model.reason)
                continue
            for seq, quote in enumerate(getattr(model, "evidence", ()), start=1):
                text = data.texts.get(quote.source)
                if text is None:
                    continue
                span, problems = find_quote(
                    quote.quote, quote.occurrence, quote.source, text,
                    file=entry.file, line=partial(entry.line_of, ("evidence", seq - 1, "quote")), record=model.id,
                    field_name=f"evidence.{seq - 1}.quote", occurrence_line=partial(entry.line_of, ("evidence", seq - 1, "occurrence")),
                    searched=searched[quote.source],
                )
                findings.extend(problems)
                if span:
                    located.evidence[(model.id, seq)] = span
            if table == "statements":
                text = data.texts.get(model.source)
                if text is not None:
                    span, problems = find_quote(
                        model.text_ar, model.text_occurrence, model.source, text,
                        file=entry.file, line=partial(entry.line_of, ("text_ar",)), record=model.id, field_name="text_ar",
                        occurrence_line=partial(entry.line_of, ("text_occurrence",)), searched=searched[model.source],
                    )
                    findings.extend(problems)
                    if span:
                        located.texts[model.id] = span
    return located, findings


def check_offsets(rows, texts: dict[str, str], file: str) -> list[Finding]:
    """Check released evidence rows: the quote sits at its offsets in the source text."""
    findings = []
    for row_number, row in rows:
        text = texts.get(row["source"])
        if text is None:
            continue
        start, end, quote = row["char_start"], row["char_end"], row["quote"]
        if start is None or end is None or quote is None:
            continue
        if text[start:end] != quote:
            actual = _preview(text[start:end]) if 0 <= start <= end <= len(text) else "(offsets outside the text)"
            findings.append(
                Finding(
                    "IW405",
                    f"{row['source']}[{start}:{end}] is '{actual}', not the quote '{_preview(quote)}'",
                    file=file, row=row_number, record=row["record"], field="char_start",
                )
            )
    return findings
