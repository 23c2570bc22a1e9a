"""Table layer (IW3xx) for tables read from Parquet or CSV.

Within a table: the pandera schema derived from the models (required values, enums,
patterns, ranges, unique primary key) and a check for cells a spreadsheet would
execute. Across tables: foreign keys, by id sets.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ..schema import CURRENT_VERSION
from ..schema.derive import columns, pandera_schema
from .findings import Finding

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _where(file: str, line_of_row: Callable[[int], int | None], row: int) -> dict:
    return {"file": file, "row": row, "line": line_of_row(row)}


def _check_name(check: str) -> str:
    return re.sub(r"\(.*", "", check)


def check_table(arrow_table, table: str, file: str, line_of_row: Callable[[int], int | None] = lambda r: None,
                version: str = CURRENT_VERSION, id_column: str = "id") -> list[Finding]:
    """Every within-table rule on one table."""
    import pandas as pd
    import pandera.errors
    import pyarrow as pa

    findings: list[Finding] = []
    frame = arrow_table.to_pandas(
        types_mapper=lambda t: pd.Int64Dtype() if pa.types.is_integer(t) else None,
        date_as_object=True,
    )
    ids = frame[id_column] if id_column in frame.columns else None
    try:
        pandera_schema(table, version).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        for case in cases.itertuples(index=False):
            column = case.column if isinstance(case.column, str) else None
            check = _check_name(str(case.check))
            index = case.index
            row = int(index) + 1 if index is not None and not pd.isna(index) else None
            record = str(ids.iloc[row - 1]) if ids is not None and row is not None and pd.notna(ids.iloc[row - 1]) else None
            value = case.failure_case
            where = _where(file, line_of_row, row) if row else {"file": file}
            if check in ("field_uniqueness", "multiple_fields_uniqueness"):
                keys = [c.name for c in columns(table, version) if c.primary_key]
                findings.append(Finding("IW301", f"primary key ({', '.join(keys)}) value {value!r} is not unique", record=record, field=column or keys[0], **where))
            elif check == "not_nullable":
                findings.append(Finding("IW304", f"'{column}' is empty", record=record, field=column, **where))
            elif check in ("column_in_dataframe", "column_in_schema"):
                findings.append(Finding("IW109", f"column problem: {value}", field=column, file=file))
            else:
                findings.append(Finding("IW303", f"{value!r} fails {case.check}", record=record, field=column, **where))
    for column in columns(table, version):
        if column.pattern and column.kind == "string":
            # pandera's str_matches uses re.match, whose '$' also matches before a final line break
            series = frame[column.name].dropna().astype(str)
            sneaked = series[series.str.match(column.pattern) & ~series.str.fullmatch(column.pattern)]
            for index, value in sneaked.items():
                record = str(ids.iloc[index]) if ids is not None else None
                findings.append(Finding("IW303", f"{value!r} fails {column.pattern}: it ends with a line break",
                                        record=record, field=column.name, **_where(file, line_of_row, int(index) + 1)))
        if column.kind != "string" or column.enum or column.pattern:
            continue
        series = frame[column.name]
        hits = series[series.fillna("").astype(str).str.startswith(_FORMULA_START)]
        for index, value in hits.items():
            row = int(index) + 1
            record = str(ids.iloc[index]) if ids is not None else None
            findings.append(Finding("IW305", f"cell starts with {value[:1]!r}: {value[:40]!r}", record=record, field=column.name, **_where(file, line_of_row, row)))
    return findings


def foreign_key_findings(tables: dict[str, Any], files: dict[str, str], lines: dict[str, Callable[[int], int | None]],
                         version: str = CURRENT_VERSION) -> list[Finding]:
    """IW302 across tables: every foreign key value exists in the referenced table."""
    findings = []
    id_sets: dict[tuple[str, str], set] = {}
    for table, arrow_table in tables.items():
        if arrow_table is None:
            continue
        for column in columns(table, version):
            if not column.foreign_key:
                continue
            ref_table, ref_field = column.foreign_key.split(".")
            if tables.get(ref_table) is None:
                continue
            key = (ref_table, ref_field)
            if key not in id_sets:
                id_sets[key] = set(tables[ref_table].column(ref_field).to_pylist())
            known = id_sets[key]
            values = arrow_table.column(column.name).to_pylist()
            ids = arrow_table.column(columns(table, version)[0].name).to_pylist()
            for i, value in enumerate(values):
                if value is not None and value not in known:
                    row = i + 1
                    findings.append(
                        Finding("IW302", f"'{column.name}' refers to '{value}', which is not in {ref_table}",
                                file=files[table], row=row, line=lines[table](row), record=str(ids[i]), field=column.name)
                    )
    # evidence.record points at the table named in record_table
    evidence = tables.get("evidence")
    if evidence is not None:
        known_by_table = {t: set(tables[t].column("id").to_pylist()) for t in tables if tables[t] is not None and "id" in tables[t].column_names}
        for i, (record, record_table) in enumerate(zip(evidence.column("record").to_pylist(), evidence.column("record_table").to_pylist())):
            if record_table in known_by_table and record not in known_by_table[record_table]:
                findings.append(Finding("IW302", f"'record' refers to '{record}', which is not in {record_table}",
                                        file=files["evidence"], row=i + 1, line=lines["evidence"](i + 1), record=record, field="record"))
    return findings
