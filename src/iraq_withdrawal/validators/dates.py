"""Dates judged against their source's publication (IW502, IW506), on rows of any path.

The rules within one row (fields given together, order, precision, a note) are table
rules (``rules.py``). These two need the ``sources`` table: a date may not lie after
the publication of the source that reports it unless the record looks forward
(IW502), and a date resolved from a relative phrase quoted in ``date_note`` must be
what the phrase means against the publication day (IW506). Curated data and release
tables both reach here as rows (curated records through ``schema/rows.py``), so both
get the same findings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..findings import Finding
from ..schema.dates import is_forward_looking, latest_publication
from ..schema.registry import dated_tables
from .relative_dates import phrase_in_note, resolve

#: ``where(table, index, field)``: file, line and row of a field of the index-th row of a table.
Where = Callable[[str, int, str], dict]


def _event_sources(evidence: list[dict]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in sorted(evidence, key=lambda r: (r["record"], r["seq"])):
        if row["record_table"] == "events":
            out.setdefault(row["record"], []).append(row["source"])
    return out


def _judged(row: dict) -> bool:
    """Rows whose dates are complete and in order; the table rules report the others."""
    start, end = row.get("date_start"), row.get("date_end")
    if start is None or row.get("date_precision") is None or row.get("date_basis") is None:
        return False
    return end is None or end >= start


def publication_findings(rows: dict[str, list[dict[str, Any]]], where: Where) -> list[Finding]:
    """IW502 and IW506 for every dated row, against the sources' publication dates."""
    sources = rows.get("sources") or []
    # the last day a source can have appeared: its window's end (schema 1.1.0), else what its precision allows
    published = {s["id"]: s.get("published_date_end") or latest_publication(s["published_date"], s["published_date_precision"])
                 for s in sources}
    published_day = {s["id"]: s["published_date"] for s in sources if s["published_date_precision"] == "day"}
    event_sources = _event_sources(rows.get("evidence") or [])
    findings = []
    for table in dated_tables():
        for index, row in enumerate(rows.get(table) or []):
            if not _judged(row):
                continue
            if table == "events":
                own = event_sources.get(row["id"], [])
                pub = max((d for d in (published.get(s) for s in own) if d), default=None)
                forward = is_forward_looking(row["status"])
                day = published_day.get(own[0]) if own else None
            else:
                pub = published.get(row.get("source"))
                forward = table == "figures"  # a figure may count what is planned for later
                day = published_day.get(row.get("source"))
            findings.extend(_row_findings(table, index, row, pub, forward, day, where))
    return findings


def _row_findings(table: str, index: int, row: dict, pub, forward: bool, day, where: Where) -> list[Finding]:
    start, end = row["date_start"], row.get("date_end")
    out = []
    if pub is not None and not forward and start > pub:
        out.append(Finding("IW502", f"date_start {start} is after the source's publication date {pub}",
                           record=row.get("id"), field="date_start", **where(table, index, "date_start")))
    if row["date_basis"] == "relative_to_publication" and day is not None:
        phrase = phrase_in_note(row.get("date_note"))
        try:
            resolved = resolve(phrase, day) if phrase else None
        except (OverflowError, ValueError):  # a phrase that points before year 1 or after 9999
            resolved = None
        if resolved and not (resolved[0] <= start and (end or start) <= resolved[1]):
            out.append(Finding("IW506", f"'{phrase}' against publication {day} ({day:%A}) is {resolved[0]} to {resolved[1]}, "
                                        f"not {start} to {end}", record=row.get("id"), field="date_start",
                               **where(table, index, "date_start")))
    return out
