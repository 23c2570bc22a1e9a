"""Unreviewed candidate records (IW604): drafts of ``add-source`` that CI must see and a release must never hold.

Candidates live in ``<dataset>/candidates/<source id>.yaml``, outside ``curated/`` (which the
loader reads as curated records) and ``sources/``; the format is in ``datasets/CURATION.md``
("Candidates"). Every record left in a candidate file is unreviewed: ``validate`` reports each
as a warning (``--strict`` fails on them), the summary counts them per source, and ``build``
and ``release`` refuse while any remain. A candidate covers nothing for ``coverage``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..findings import Finding
from ..io.paths import display_path
from ..io.yaml_reader import LineDict, LineList, read_yaml
from .matching import locate

CANDIDATES_DIR = "candidates"
TABLES = ("sources", "figures", "statements", "dates")


@dataclass(frozen=True)
class Candidate:
    """One unreviewed draft: where it is written and what it drafts."""

    file: str  # display path, relative to the dataset directory's parent (as the loader shows files)
    line: int
    source: str | None
    table: str  # sources | figures | statements | dates | unreadable
    id: str | None
    todo: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()  # exact source spans of its evidence (what it would cover)
    message: str = ""

    def finding(self) -> Finding:
        """The IW604 warning for this candidate."""
        return Finding("IW604", self.message, file=self.file, line=self.line, record=self.id or self.source)


def find_candidates(root: Path) -> list[Candidate]:
    """Every unreviewed candidate under ``root/candidates/``, in file and line order. Never raises.

    A file that cannot be read or does not have the candidate structure yields one candidate of
    table ``unreadable`` that says why, so CI still sees that something is left to review.
    """
    directory = root / CANDIDATES_DIR
    if not directory.is_dir():
        return []
    found: list[Candidate] = []
    for path in sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml")):
        display = display_path(path, root)
        doc = read_yaml(path, display)
        if doc.findings or not isinstance(doc.value, LineDict):
            first = doc.findings[0] if doc.findings else None
            message = first.message if first else "not a mapping with the candidate structure"
            found.append(Candidate(display, (first.line if first and first.line else 1), path.stem, "unreadable", None, (), (),
                                   f"candidate file cannot be read: {message}"))
            continue
        source = doc.value.get("source") if isinstance(doc.value.get("source"), str) else path.stem
        text = _source_text(root, source)
        for table in TABLES:
            rows = doc.value.get(table)
            if not isinstance(rows, LineList):
                continue
            for raw, line in zip(rows, rows.item_lines):
                found.append(_candidate(raw, line, table, source, display, text))
    return found


def _source_text(root: Path, source: str) -> str | None:
    path = root / "sources" / f"{source}.txt"
    try:
        return path.read_bytes().decode("utf-8") if path.is_file() else None
    except (OSError, UnicodeDecodeError):
        return None


def _candidate(raw: Any, line: int, table: str, source: str, display: str, text: str | None) -> Candidate:
    record = raw if isinstance(raw, dict) else {}
    rid = record.get("id") if isinstance(record.get("id"), str) else None
    todo = tuple(str(t) for t in record.get("todo") or () if isinstance(record.get("todo"), list))
    spans: list[tuple[int, int]] = []
    for item in record.get("evidence") or () if isinstance(record.get("evidence"), list) else ():
        if text is not None and isinstance(item, dict) and isinstance(item.get("quote"), str) and item["quote"].strip():
            span = _exact_span(item, text)
            if span is not None:
                spans.append(span)
    what = {"sources": "source metadata", "figures": "figure", "statements": "statement", "dates": "date"}[table]
    shown = record.get("as_written") or record.get("phrase") or record.get("text_ar") or ""
    shown = " ".join(str(shown).split())
    shown = f" '{shown[:50]}{'…' if len(shown) > 50 else ''}'" if shown else ""
    left = f"; {len(todo)} field(s) to decide" if todo else ""
    return Candidate(display, line, source, table, rid, todo, tuple(spans), f"unreviewed candidate {what}{shown} ({rid or 'no id'}){left}")


def count_by_source(candidates: list[Candidate]) -> dict[str, int]:
    """Unreviewed candidates per source, for the validation summary."""
    counts: dict[str, int] = {}
    for c in candidates:
        counts[c.source or "?"] = counts.get(c.source or "?", 0) + 1
    return dict(sorted(counts.items()))


def _exact_span(item: dict, text: str) -> tuple[int, int] | None:
    """The exact span an evidence item stands for in ``text`` (None when it is not found exactly)."""
    match = locate(item["quote"], text)
    if match.tier != "exact" or not match.spans:
        return None
    k = item.get("occurrence") or 1
    return match.spans[k - 1] if isinstance(k, int) and 0 < k <= len(match.spans) else None


def candidate_findings(root: Path) -> tuple[list[Finding], dict[str, int]]:
    """IW604 for every unreviewed candidate, and the count per source for the summary."""
    candidates = find_candidates(root)
    return [c.finding() for c in candidates], count_by_source(candidates)
