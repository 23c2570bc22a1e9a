"""Candidate files: draft records a human has not yet reviewed, and how CI finds them.

Candidates live in ``<dataset>/candidates/<source id>.yaml``, outside ``curated/`` (which the
loader reads as curated records, any depth) and outside ``sources/`` (which it reads as source
metadata), so today's validation, build and release never see them. The format is described in
``datasets/CURATION.md`` ("Candidates"). Every record left in a candidate file is unreviewed:
the curator moves a record into ``curated/`` once its ``todo`` is settled (dropping ``todo`` and
``candidate``), or drops it, and deletes the file when nothing is left.

Intended integration (for the validator): :func:`find_candidates` lists every unreviewed
candidate with its file and line. ``validate`` reports each as a warning under rule IW604
("Unreviewed candidate record", coverage group), counts them per source in the summary, and
``--strict`` fails on them; ``build`` and ``release`` refuse while any remain; ``coverage``
treats a candidate as not covering its span (it is not curated), and may name the candidate
that drafts an uncovered item (:attr:`Candidate.spans`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..yaml_reader import LineDict, LineList, read_yaml
from .common import dump_yaml
from .extract import Drafts, located_spans

CANDIDATES_DIR = "candidates"
#: The rule code proposed for the validator (coverage group): one warning per unreviewed candidate.
RULE_CODE = "IW604"
RULE_TITLE = "Unreviewed candidate record"
RULE_HINT = ("Settle the fields listed under 'todo', then move the record into datasets/curated/ without 'todo' and "
             "'candidate', or drop it; delete the candidates file when it is empty (datasets/CURATION.md, Candidates).")
TABLES = ("sources", "figures", "statements", "dates")
FORMAT_VERSION = 1


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

    def finding_fields(self) -> dict[str, Any]:
        """Keyword arguments for ``Finding`` once IW604 is in the rule catalogue."""
        return {"code": RULE_CODE, "message": self.message, "file": self.file, "line": self.line, "record": self.id or self.source}


def candidate_path(root: Path, source: str) -> Path:
    return root / CANDIDATES_DIR / f"{source}.yaml"


_HEADER = """\
# Candidate records for {source}, drafted by `iraq-withdrawal add-source` from sources/{source}.txt.
# NOT curated data and never released. For each draft: read it against the text, settle what
# `todo` lists (a value marked "guessed" is a guess), then move the record without `todo` and
# `candidate` into curated/ (figures/{source}.yaml, statements/{source}.yaml; dates go into the
# date fields of the record they date), or drop it. Delete this file when nothing is left.
# Format and workflow: datasets/CURATION.md, "Adding an article" and "Candidates".
"""


def render_candidates(source: str, published: dt.date, published_end: dt.date, drafts: Drafts, source_todo: list[str]) -> str:
    """The text of a candidate file (see the module docstring and CURATION.md)."""
    document: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "source": source,
        "published_from": published,
        "published_until": published_end,
        "sources": [{"id": source, "todo": source_todo, "candidate": {"file": "sources/sources.yaml"}}],
        "figures": drafts.figures,
        "statements": drafts.statements,
        "dates": drafts.dates,
    }
    return _HEADER.format(source=source) + dump_yaml(document)


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root.parent).as_posix()
    except ValueError:
        return path.as_posix()


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
        display = _display(path, root)
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
            span = located_spans(item, text)
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
