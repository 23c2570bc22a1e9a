"""Table layer (IW3xx) for tables read from Parquet or CSV.

Within a table: the rules of ``rules.py`` (required values, allowed values,
patterns, ranges, dates, cells a spreadsheet would execute, unique primary key),
evaluated by the vectorised Arrow engine. Across tables: foreign keys, by id sets.
"""

from __future__ import annotations

from typing import Any

from ..findings import Finding, Report
from ..schema import CURRENT_VERSION
from ..schema.derive import columns
from .stream import FindingSink, Locate, by_position, check_batches


def check_table(arrow_table, table: str, file: str, locate: Locate = by_position, version: str = CURRENT_VERSION,
                report: Report | None = None, max_per_rule: int | None = None, check_unique: bool = True) -> list[Finding]:
    """Every within-table rule on a table in memory. With ``report``, findings go there (capped per rule)."""
    target = report or Report(target=file, kind=f"table {table}")
    sink = FindingSink(target, max_per_rule if max_per_rule is not None else (100 if report is not None else 10**12))
    before = len(target.findings)
    check_batches(iter(arrow_table.to_batches(max_chunksize=131_072)), table, file, sink, version, locate=locate,
                  reread_keys=lambda keys: iter(arrow_table.select(keys).to_batches()), check_unique=check_unique)
    return target.findings[before:] if report is None else []


def foreign_key_findings(tables: dict[str, Any], files: dict[str, str], locators: dict[str, Locate],
                         version: str = CURRENT_VERSION) -> list[Finding]:
    """IW302 across tables: every foreign key value exists in the referenced table."""
    findings = []
    id_sets: dict[tuple[str, str], set] = {}

    def where(table: str, position: int) -> dict:
        row, line = locators.get(table, by_position)(position, None)
        return {"file": files[table], "row": row, "line": line}

    for table, arrow_table in tables.items():
        if arrow_table is None:
            continue
        names = arrow_table.column_names
        id_name = columns(table, version)[0].name
        for column in columns(table, version):
            if not column.foreign_key or column.name not in names:  # an optional column left out is not checked
                continue
            ref_table, ref_field = column.foreign_key.split(".")
            if tables.get(ref_table) is None or ref_field not in tables[ref_table].column_names:
                continue
            key = (ref_table, ref_field)
            if key not in id_sets:
                id_sets[key] = set(tables[ref_table].column(ref_field).to_pylist())
            known = id_sets[key]
            values = arrow_table.column(column.name).to_pylist()
            ids = arrow_table.column(id_name).to_pylist() if id_name in names else [None] * len(values)
            for i, value in enumerate(values):
                for item in (value or []) if column.kind == "list" else [value]:  # a list of ids: each item refers
                    if item is not None and item not in known:
                        findings.append(
                            Finding("IW302", f"'{column.name}' refers to '{item}', which is not in {ref_table} ({files[ref_table]})",
                                    record=None if ids[i] is None else str(ids[i]), field=column.name, **where(table, i + 1))
                        )
    # evidence.record points at the table named in record_table
    evidence = tables.get("evidence")
    if evidence is not None and {"record", "record_table"} <= set(evidence.column_names):
        known_by_table = {t: set(tables[t].column("id").to_pylist()) for t in tables if tables[t] is not None and "id" in tables[t].column_names}
        for i, (record, record_table) in enumerate(zip(evidence.column("record").to_pylist(), evidence.column("record_table").to_pylist())):
            if record_table in known_by_table and record not in known_by_table[record_table]:
                findings.append(Finding("IW302", f"'record' refers to '{record}', which is not in {record_table} ({files[record_table]})",
                                        record=record, field="record", **where("evidence", i + 1)))
    return findings
