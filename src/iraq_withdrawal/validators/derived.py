"""Derived columns and flat tables of a release say what its normalised tables say (IW706).

The build computes the reporting intervals, the sources of events and the flat tables
(``schema/flat.py``); here the same functions run again on the normalised tables of a
release, and every cell that differs from what the release holds is a finding. A flat
table edited by hand, or left behind by an older build, cannot pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..findings import Finding
from ..schema.flat import add_reporting, flat_rows
from ..schema.registry import flat_tables

#: ``where(table, index)``: file, row and line of the index-th row of a table.
Where = Callable[[str, int], dict]
REPORTED = {"events": ("reported_start", "reported_end", "source_ids", "source_count"),
            "statements": ("reported_start", "reported_end"), "figures": ("reported_start", "reported_end")}
MAX_PER_TABLE = 50


def _compare(table: str, held: list[dict], expected: dict[str, dict], names: tuple[str, ...] | None, where: Where) -> list[Finding]:
    findings: list[Finding] = []
    seen = set()
    for index, row in enumerate(held):
        rid = row.get("id")
        seen.add(rid)
        want = expected.get(rid)
        if want is None:
            findings.append(Finding("IW706", f"row '{rid}' stands for no record of the table it is computed from",
                                    record=rid, field="id", **where(table, index)))
            continue
        for name in names or tuple(want):
            if name in row and row[name] != want.get(name):
                findings.append(Finding("IW706", f"'{name}' is {_show(row[name])}, but the normalised tables give {_show(want.get(name))}",
                                        record=rid, field=name, **where(table, index)))
    for rid in sorted(set(expected) - seen):
        findings.append(Finding("IW706", f"no row for '{rid}'", record=rid, field="id", **where(table, len(held))))
    return findings[:MAX_PER_TABLE]


def _show(value: Any) -> str:
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    text = repr(value)
    return text if len(text) <= 80 else text[:79] + "…"


def derived_findings(rows: dict[str, list[dict]], version: str, where: Where) -> list[Finding]:
    """IW706 for every derived cell and flat row that the normalised rows do not give."""
    findings: list[Finding] = []
    # add_reporting only sets keys of the row dicts: a copy of each row (not of its values) keeps the release's rows as read
    expected = {t: [dict(row) for row in r] for t, r in rows.items() if t not in flat_tables(version)}
    present = [t for t in REPORTED if rows.get(t) and REPORTED[t][0] in rows[t][0]]
    if present:
        add_reporting(expected)
        for table in present:
            findings += _compare(table, rows[table], {r["id"]: r for r in expected[table]}, REPORTED[table], where)
    for table, flat in flat_rows(expected, version).items():
        if table in rows:
            findings += _compare(table, rows[table], {r["id"]: r for r in flat}, None, where)
    return findings
