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
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings import Finding
from ..schema import CURRENT_VERSION
from ..schema.derive import arrow_schema, columns
from .cells import parse_cell
from .limits import parquet_problem
from .text import encoding_problem, invalid_byte

MAX_CSV_LINE = 16 * 1024 * 1024  # bytes in one physical line; a longer one is junk, not a table
MAX_BAD_ROWS = 1000  # rows that cannot be read before reading stops


@dataclass
class TableRead:
    """A table read from a file. For CSV, the data row number and file line of each table position
    (rows that could not be read are not in the table, so positions and row numbers can differ)."""

    table: Any  # pyarrow.Table | None
    findings: list[Finding] = field(default_factory=list)
    lines: list[int] | None = None
    rows: list[int] | None = None

    def locate(self, position: int, field: str | None = None) -> tuple[int | None, int | None]:
        """(row, line) of a 1-based table position."""
        if self.rows is not None and 1 <= position <= len(self.rows):
            return self.rows[position - 1], self.lines[position - 1] if self.lines else None
        return position, None


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
        return str(int(value)) if value.is_integer() and math.copysign(1.0, value) > 0 else repr(value)
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


def column_findings(names: list[str], table: str, file: str, version: str = CURRENT_VERSION,
                    line: int | None = None) -> list[Finding]:
    """IW109 for repeated, unknown and missing column names: the one header check of every reader."""
    expected = [c.name for c in columns(table, version)]
    counts = Counter(names)
    findings = [Finding("IW109", f"column '{name}' appears {n} times", file=file, line=line, field=name)
                for name, n in counts.items() if n > 1]
    findings += [Finding("IW109", f"column '{name}' is not part of the {table} table", file=file, line=line, field=name)
                 for name in counts if name not in expected]  # each name once: a junk header can repeat one name millions of times
    findings += [Finding("IW109", f"column '{name}' is missing", file=file, line=line, field=name) for name in expected if name not in counts]
    return findings


def conform(arrow_table, table: str, file: str, version: str = CURRENT_VERSION) -> tuple[Any, list[Finding]]:
    """Check column names and types against the schema and cast to it; report every mismatch."""
    schema = arrow_schema(table, version)
    names = arrow_table.column_names
    findings = column_findings(names, table, file, version)
    for expected in schema:
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
    findings = [f for f in (_utf8_problem(c, expected.name, file) for c, expected in zip(columns_out, schema)) if f]
    if findings:
        return None, findings
    import pyarrow as pa

    return pa.Table.from_arrays(columns_out, schema=schema), []


def _utf8_problem(column, name: str, file: str) -> Finding | None:
    """IW101 naming the first row whose text is not UTF-8: Parquet does not check it, and Python cannot read it."""
    import pyarrow as pa
    import pyarrow.types as t

    if not (t.is_string(column.type) or t.is_list(column.type)):
        return None
    offset = 0
    for chunk in column.chunks:
        try:
            chunk.validate(full=True)
        except pa.ArrowInvalid:
            values = chunk.flatten() if t.is_list(chunk.type) else chunk
            parents = chunk.value_parent_indices() if t.is_list(chunk.type) else None
            for index, raw in enumerate(values.view(pa.binary()).to_pylist()):
                try:
                    (raw or b"").decode("utf-8")
                except UnicodeDecodeError as exc:
                    row = (parents[index].as_py() if parents is not None else index) + offset + 1
                    return Finding("IW101", f"text is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start} of the cell)",
                                   file=file, row=row, field=name)
        offset += len(chunk)
    return None


def read_parquet(path: Path, table: str, display: str, version: str = CURRENT_VERSION) -> TableRead:
    import pyarrow.parquet as pq

    try:  # ParquetFile, not read_table: the dataset reader refuses duplicate column names before conform can name them
        with pq.ParquetFile(path, page_checksum_verification=True) as parquet:
            too_large = parquet_problem(parquet.metadata, display, whole=True)
            if too_large:
                return TableRead(None, [too_large])
            arrow_table = parquet.read()
    except Exception as exc:  # noqa: BLE001 - any failure to read is a finding, never a traceback
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return TableRead(None, [Finding("IW108", f"cannot read Parquet: {message}", file=display)])
    conformed, findings = conform(arrow_table, table, display, version)
    return TableRead(conformed, findings)


class _Unreadable(Exception):
    """A line of a CSV file that is not UTF-8 or too long; carries its finding."""

    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


_LONE_CR = re.compile(r"(?<=\r)(?!\n)")


def _csv_lines(fh, display: str):
    """Decoded lines of a binary file, split as ``newline=""`` splits them, one line in memory at a time.

    Reading line by line keeps memory bounded by :data:`MAX_CSV_LINE` and stops at the
    first byte that is not UTF-8, so a large file of junk fails at once.
    """
    number = 0
    while True:
        raw = fh.readline(MAX_CSV_LINE + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_CSV_LINE:
            raise _Unreadable(Finding("IW111", f"line is longer than {MAX_CSV_LINE:,} bytes", file=display, line=number))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _Unreadable(invalid_byte(raw, exc.start, display, offset=fh.tell() - len(raw), line=number)) from None
        pieces = _LONE_CR.split(text) if "\r" in text else [text]
        for piece in pieces:
            if piece:
                yield piece
        number += len(pieces) - 1 if pieces[-1] else len(pieces) - 2


def read_csv(path: Path, table: str, display: str, version: str = CURRENT_VERSION) -> TableRead:
    """Read a CSV table: UTF-8, header row, one finding per bad row or cell."""
    previous = csv.field_size_limit(MAX_CSV_LINE)  # set for this read only: the limit is process-wide
    try:
        with path.open("rb") as fh:
            problem = encoding_problem(fh.read(4), display)
            if problem:
                return TableRead(None, [problem])
            fh.seek(0)
            return _read_csv_rows(csv.reader(_csv_lines(fh, display), strict=True), table, display, version)
    except OSError as exc:
        return TableRead(None, [Finding("IW108", f"cannot read the file: {exc.strerror or exc}", file=display)])
    finally:
        csv.field_size_limit(previous)


def _read_csv_rows(reader, table: str, display: str, version: str) -> TableRead:
    import pyarrow as pa

    findings: list[Finding] = []
    cols = columns(table, version)
    by_name = {c.name: c for c in cols}
    try:
        header = next(reader)
    except StopIteration:
        return TableRead(None, [Finding("IW108", "the file is empty (no header row)", file=display, line=1)])
    except _Unreadable as exc:
        return TableRead(None, [exc.finding])
    except csv.Error as exc:
        return TableRead(None, [Finding("IW108", f"cannot parse CSV: {exc}", file=display, line=1)])
    schema = arrow_schema(table, version)
    name_findings = column_findings(header, table, display, version, line=1)
    if name_findings:
        return TableRead(None, name_findings)
    values: dict[str, list] = {name: [] for name in header}
    lines: list[int] = []
    rows: list[int] = []
    row_number = 0
    bad_rows = 0
    while True:
        line = reader.line_num + 1
        if bad_rows >= MAX_BAD_ROWS:
            findings.append(Finding("IW108", f"stopped reading: {bad_rows:,} rows could not be read", file=display, line=line))
            break
        try:
            record = next(reader)
        except StopIteration:
            break
        except _Unreadable as exc:
            findings.append(exc.finding)
            break
        except csv.Error as exc:
            findings.append(Finding("IW108", f"cannot parse CSV: {exc}", file=display, line=line))
            break
        row_number += 1
        if len(record) != len(header):
            findings.append(
                Finding("IW108", f"row {row_number} has {len(record)} fields, the header has {len(header)}", file=display, line=line, row=row_number)
            )
            bad_rows += 1
            continue
        parsed = {}
        bad = False
        for name, cell in zip(header, record):
            try:
                parsed[name] = parse_cell(cell, by_name[name], schema.field(name).type)
            except ValueError as exc:
                findings.append(Finding("IW113", str(exc).split("\n")[0], file=display, line=line, row=row_number, field=name))
                bad = True
        if bad:
            bad_rows += 1
            continue
        for name in header:
            values[name].append(parsed[name])
        lines.append(line)
        rows.append(row_number)
    arrow_table = pa.Table.from_pydict({f.name: pa.array(values[f.name], type=f.type) for f in schema}, schema=schema)
    return TableRead(arrow_table, findings, lines, rows)


def read_table_file(path: Path, table: str, display: str, version: str = CURRENT_VERSION) -> TableRead:
    if path.suffix.lower() == ".parquet":
        return read_parquet(path, table, display, version)
    return read_csv(path, table, display, version)
