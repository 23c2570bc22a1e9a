"""Writing candidate files: draft records a human has not yet reviewed.

How CI finds them (rule IW604) is ``validators/candidates.py``.

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
from pathlib import Path
from typing import Any

from ...validators.candidates import CANDIDATES_DIR
from .common import dump_yaml
from .extract import Drafts

TABLES = ("sources", "figures", "statements", "dates")
FORMAT_VERSION = 1


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
