"""Curation helpers: add an article, draft candidate records, find quotes, resolve dates, suggest ids.

See ``datasets/CURATION.md`` ("Adding an article", "Candidates") for the workflow these serve.
"""

from __future__ import annotations

from ...validators.candidates import CANDIDATES_DIR, Candidate, count_by_source, find_candidates
from .add_source import AddedSource, SourceMetadata, add_source, source_id
from .common import CurationError
from .extract import Drafts, draft_candidates
from .lookup import (
    DateResolution,
    NameIndex,
    QuoteSearch,
    Suggestion,
    find_quote,
    resolve_date,
    suggest,
)

__all__ = [
    "CANDIDATES_DIR",
    "AddedSource",
    "Candidate",
    "CurationError",
    "DateResolution",
    "Drafts",
    "NameIndex",
    "QuoteSearch",
    "SourceMetadata",
    "Suggestion",
    "add_source",
    "count_by_source",
    "draft_candidates",
    "find_candidates",
    "find_quote",
    "resolve_date",
    "source_id",
    "suggest",
]
