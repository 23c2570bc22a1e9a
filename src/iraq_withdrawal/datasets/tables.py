"""Read and write release tables (Parquet and CSV) against the Arrow schema.

Reading never raises on bad files: structural problems become IW1xx findings and
the caller gets ``None`` or a partial table.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..schema import CURRENT_VERSION
from ..schema.columns import Column
from ..schema.derive import arrow_schema, columns
from ..validators.findings import Finding

csv.field_size_limit(16 * 1024 * 1024)


@dataclass
class TableRead:
    """A table read from a file, with the physical line of each CSV row."""

    table: Any  # pyarrow.Table | None
    findings: list[Finding] = field(default_factory=list)
    lines: list[int] | None = None  # CSV only: lines[i] is the file line of data row i+1

    def line_of_row(self, row: int) -> int | None:
        if self.lines and 1 <= row <= len(self.lines):
            return self.lines[row - 1]
        return None


# --- writing ----------------------------------------------------------------


def to_arrow(table: str, rows: list[dict[str, Any]], version: str = CURRENT_VERSION):
    """Rows (dicts of plain values) as a pyarrow Table with the declared schema."""
    import pyarrow as pa

    schema = arrow_schema(table, version)
    data = {f.name: [row.get(f.name) for row in rows] for f in schema}
    return pa.Table.from_pydict(data, schema=schema)


def write_parquet(arrow_table, path: Path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(
        arrow_table,
        path,
        compression="zstd",
        compression_level=9,
        write_page_checksum=True,
        use_dictionary=True,
        write_statistics=True,
    )


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.date,)):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_csv(arrow_table, path: Path) -> None:
    """UTF-8, RFC 4180 (CRLF, minimal quoting), ISO dates, empty cell for null, lists as JSON arrays."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(arrow_table.column_names)
    for row in arrow_table.to_pylist():
        writer.writerow([csv_cell(v) for v in row.values()])
    path.write_bytes(buffer.getvalue().encode("utf-8"))


# --- reading ----------------------------------------------------------------


def _compatible(actual, expected) -> bool:
    import pyarrow as pa
    import pyarrow.types as t

    if actual.equals(expected):
        return True
    if t.is_dictionary(actual):
        return _compatible(actual.value_type, expected)
    if t.is_integer(expected):
        return t.is_integer(actual)
    if t.is_floating(expected):
        return t.is_floating(actual) or t.is_integer(actual)
    if t.is_string(expected):
        return t.is_string(actual) or t.is_large_string(actual) or (hasattr(t, "is_string_view") and t.is_string_view(actual))
    if t.is_date(expected):
        return t.is_date(actual)
    if t.is_list(expected):
        return (t.is_list(actual) or t.is_large_list(actual)) and _compatible(actual.value_type, pa.string())
    return False


def conform(arrow_table, table: str, file: str, version: str = CURRENT_VERSION) -> tuple[Any, list[Finding]]:
    """Check column names and types against the schema and cast to it; report every mismatch."""
    schema = arrow_schema(table, version)
    findings = []
    names = arrow_table.column_names
    seen = set()
    for name in names:
        if name in seen:
            findings.append(Finding("IW109", f"column '{name}' appears more than once", file=file, field=name))
        seen.add(name)
    for name in names:
        if name not in schema.names:
            findings.append(Finding("IW109", f"column '{name}' is not part of the {table} table", file=file, field=name))
    for expected in schema:
        if expected.name not in names:
            findings.append(Finding("IW109", f"column '{expected.name}' is missing", file=file, field=expected.name))
            continue
        actual = arrow_table.schema.field(expected.name).type if names.count(expected.name) == 1 else None
        if actual is not None and not _compatible(actual, expected.type):
            findings.append(
                Finding("IW109", f"column '{expected.name}' is stored as {actual}, expected {expected.type}", file=file, field=expected.name)
            )
    if findings:
        return None, findings
    columns_out = []
    for expected in schema:
        column = arrow_table.column(expected.name)
        try:
            columns_out.append(column.cast(expected.type))
        except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a failed cast
            findings.append(Finding("IW109", f"column '{expected.name}' cannot be read as {expected.type}: {exc}", file=file, field=expected.name))
    if findings:
        return None, findings
    import pyarrow as pa

    return pa.Table.from_arrays(columns_out, schema=schema), []


def read_parquet(path: Path, table: str, display: str, version: str = CURRENT_VERSION) -> TableRead:
    import pyarrow.parquet as pq

    try:
        arrow_table = pq.read_table(path, page_checksum_verification=True)
    except Exception as exc:  # noqa: BLE001 - any failure to read is a finding, never a traceback
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return TableRead(None, [Finding("IW108", f"cannot read Parquet: {message}", file=display)])
    conformed, findings = conform(arrow_table, table, display, version)
    return TableRead(conformed, findings)


def _parse_cell(text: str, column: Column):
    if text == "":
        return None
    if column.kind == "string":
        return text
    if column.kind == "integer":
        if not text.lstrip("-").isdigit():
            raise ValueError(f"'{text}' is not an integer")
        return int(text)
    if column.kind == "number":
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"'{text}' is not a number") from None
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"'{text}' is not a finite number")
        return value
    if column.kind == "date":
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"'{text}' is not a valid date ({exc})") from None
        return _bad_date(text)
    if column.kind == "boolean":
        if text not in ("true", "false"):
            raise ValueError(f"'{text}' is not true or false")
        return text == "true"
    if column.kind == "list":
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            raise ValueError(f"'{text}' is not a JSON array of strings") from None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"'{text}' is not a JSON array of strings")
        return value
    raise ValueError(column.kind)


def _bad_date(text: str):
    raise ValueError(f"'{text}' is not an ISO 8601 date (YYYY-MM-DD)")


def read_csv(path: Path, table: str, display: str, version: str = CURRENT_VERSION, max_bytes: int | None = None) -> TableRead:
    """Read a CSV table: UTF-8, header row, one finding per bad row or cell."""
    import pyarrow as pa

    from .yaml_reader import decode_utf8

    data = path.read_bytes()
    text, findings = decode_utf8(data, display)
    if text is None:
        return TableRead(None, findings)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    cols = columns(table, version)
    by_name = {c.name: c for c in cols}
    try:
        header = next(reader)
    except StopIteration:
        return TableRead(None, [Finding("IW108", "the file is empty (no header row)", file=display, line=1)])
    except csv.Error as exc:
        return TableRead(None, [Finding("IW108", f"cannot parse CSV: {exc}", file=display, line=1)])
    schema = arrow_schema(table, version)
    name_findings = []
    if len(set(header)) != len(header):
        dupes = sorted({n for n in header if header.count(n) > 1})
        name_findings.append(Finding("IW109", f"column(s) {', '.join(dupes)} appear more than once", file=display, line=1))
    for name in header:
        if name not in by_name:
            name_findings.append(Finding("IW109", f"column '{name}' is not part of the {table} table", file=display, line=1, field=name))
    for name in by_name:
        if name not in header:
            name_findings.append(Finding("IW109", f"column '{name}' is missing", file=display, line=1, field=name))
    if name_findings:
        return TableRead(None, name_findings)
    values: dict[str, list] = {name: [] for name in header}
    lines: list[int] = []
    row_number = 0
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            findings.append(Finding("IW108", f"cannot parse CSV: {exc}", file=display, line=line))
            break
        row_number += 1
        if len(record) != len(header):
            findings.append(
                Finding("IW108", f"row {row_number} has {len(record)} fields, the header has {len(header)}", file=display, line=line, row=row_number)
            )
            continue
        parsed = {}
        bad = False
        for name, cell in zip(header, record):
            try:
                parsed[name] = _parse_cell(cell, by_name[name])
            except (ValueError, json.JSONDecodeError) as exc:
                findings.append(Finding("IW113", str(exc).split("\n")[0], file=display, line=line, row=row_number, field=name))
                bad = True
        if bad:
            continue
        for name in header:
            values[name].append(parsed[name])
        lines.append(line)
    arrow_table = pa.Table.from_pydict({f.name: pa.array(values[f.name], type=f.type) for f in schema}, schema=schema)
    return TableRead(arrow_table, findings, lines)


def read_table_file(path: Path, table: str, display: str, version: str = CURRENT_VERSION) -> TableRead:
    if path.suffix.lower() == ".parquet":
        return read_parquet(path, table, display, version)
    return read_csv(path, table, display, version)
