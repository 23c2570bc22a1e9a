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
from .cells import cell_hint, parse_cell, parse_column
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

    return pa.Table.from_pylist(rows, schema=arrow_schema(table, version))  # a missing key is null; columns in schema order


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


CSV_WRITE_ROWS = 65_536  # rows turned into text at once: memory stays bounded by a batch, not the table
#: the dates Python can hold (as days since 1970-01-01): beyond them csv_cell, as before, is what fails
_MIN_DAY, _MAX_DAY = ((day - dt.date(1970, 1, 1)).days for day in (dt.date.min, dt.date.max))
_JSON_ESCAPED = r'[\x00-\x1f\\"]'  # what json.dumps escapes in a string (ensure_ascii=False)


def cell_texts(column, keep_nulls: bool = False):
    """A column's cells as :func:`csv_cell` writes them, made column-wise: a large_string array.

    Strings, integers, booleans, dates and lists of strings are converted by Arrow; every other type
    (floats, whose text is Python's ``repr``, and whatever a user's frame holds) by :func:`csv_cell` itself.
    A null is an empty text, or stays null with ``keep_nulls``.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.types as t

    text_type = pa.large_string()
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    kind = column.type
    texts = None
    if t.is_string(kind) or t.is_large_string(kind) or t.is_integer(kind):
        texts = column.cast(text_type)
    elif t.is_boolean(kind):
        texts = pc.if_else(column, pa.scalar("true", text_type), pa.scalar("false", text_type))
    elif t.is_date32(kind) and _dates_python_holds(column):
        texts = column.cast(text_type)  # ISO 8601, zero-padded years: date.isoformat()
    elif (t.is_list(kind) or t.is_large_list(kind)) and (t.is_string(kind.value_type) or t.is_large_string(kind.value_type)):
        texts = _json_lists(column)
    if texts is None:
        return pa.array([None if value is None and keep_nulls else csv_cell(value) for value in column.to_pylist()], text_type)
    return texts if keep_nulls else pc.fill_null(texts, pa.scalar("", text_type))


def _dates_python_holds(column) -> bool:
    import pyarrow as pa
    import pyarrow.compute as pc

    low, high = (day.as_py() for day in pc.min_max(column.cast(pa.int32())).values())  # days since 1970-01-01
    return low is None or (low >= _MIN_DAY and high <= _MAX_DAY)


def _json_lists(column):
    """A list<string> column as ``json.dumps(value, ensure_ascii=False)`` writes each list (a null stays null), or None
    if an item is null."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text_type = pa.large_string()
    lists = column.cast(pa.large_list(text_type))
    items = lists.values.slice(lists.offsets[0].as_py(), lists.offsets[-1].as_py() - lists.offsets[0].as_py())
    if items.null_count:
        return None  # json.dumps writes null; csv_cell does it
    quote = pa.scalar('"', text_type)
    encoded = pc.binary_join_element_wise(quote, items, quote, pa.scalar("", text_type))
    escaped = pc.match_substring_regex(items, _JSON_ESCAPED)
    if pc.any(escaped).as_py():  # the few items with quotes, backslashes or control characters: as json.dumps writes them
        where = pc.indices_nonzero(escaped).to_pylist()
        written = encoded.to_pylist()
        for index in where:
            written[index] = json.dumps(items[index].as_py(), ensure_ascii=False)
        encoded = pa.array(written, text_type)
    offsets = pc.subtract(lists.offsets, lists.offsets[0])
    joined = pc.binary_join(pa.LargeListArray.from_arrays(offsets, encoded), pa.scalar(", ", text_type))
    bracketed = pc.binary_join_element_wise(pa.scalar("[", text_type), joined, pa.scalar("]", text_type), pa.scalar("", text_type))
    return pc.if_else(lists.is_valid(), bracketed, pa.scalar(None, text_type))


def _quoted(cells, only_column: bool):
    """Cells quoted as the csv module's QUOTE_MINIMAL quotes them: a cell holding a comma, a quote or a line
    break in quotes, its quotes doubled; and the one empty field of a one-column row as ``\"\"``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text_type = cells.type
    quote = pa.scalar('"', text_type)
    needs = pc.match_substring_regex(cells, '[,"\r\n]')
    if pc.any(needs).as_py():
        doubled = pc.binary_join_element_wise(quote, pc.replace_substring(cells, '"', '""'), quote, pa.scalar("", text_type))
        cells = pc.if_else(needs, doubled, cells)
    if only_column:
        cells = pc.if_else(pc.equal(cells, ""), pa.scalar('""', text_type), cells)
    return cells


def _csv_lines_of(columns: list):
    """One string per row: the row's cells (as :func:`_quoted` leaves them) joined by commas, and CRLF."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text_type = columns[-1].type
    last = pc.binary_join_element_wise(columns[-1], pa.scalar("\r\n", text_type), pa.scalar("", text_type))
    return pc.binary_join_element_wise(*columns[:-1], last, pa.scalar(",", text_type)) if len(columns) > 1 else last


def text_buffers(array):
    """(offsets into the data, data) of a string or binary array as numpy arrays, or None for another type."""
    import numpy as np
    import pyarrow as pa

    kind = array.type
    if not (pa.types.is_string(kind) or pa.types.is_binary(kind) or pa.types.is_large_string(kind) or pa.types.is_large_binary(kind)):
        return None
    wide = pa.types.is_large_string(kind) or pa.types.is_large_binary(kind)
    _, offsets, data = array.buffers()[:3]
    if offsets is None:  # an empty array
        return np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.uint8)
    offsets = np.frombuffer(offsets, dtype=np.int64 if wide else np.int32, count=len(array) + 1, offset=array.offset * (8 if wide else 4))
    return offsets, (np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8))


def _text_bytes(strings):
    """The UTF-8 bytes of a string array's values, one after the other (a view, not a copy)."""
    offsets, data = text_buffers(strings)
    return memoryview(data[int(offsets[0]):int(offsets[-1])])


def write_csv(arrow_table, path: Path) -> None:
    """UTF-8, RFC 4180 (CRLF, minimal quoting), ISO dates, empty cell for null, lists as JSON arrays.

    The bytes are those of the csv module's writer (``QUOTE_MINIMAL``, ``\\r\\n``) given :func:`csv_cell` of
    every value, made column-wise with Arrow compute: a row at a time in Python took seconds per release.
    """
    header = io.StringIO(newline="")
    csv.writer(header, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerow(arrow_table.column_names)
    only_column = arrow_table.num_columns == 1
    with path.open("wb") as fh:
        fh.write(header.getvalue().encode("utf-8"))
        for batch in arrow_table.to_batches(max_chunksize=CSV_WRITE_ROWS):
            if not batch.num_columns:  # the csv module writes an empty row as a bare line break
                fh.write(b"\r\n" * batch.num_rows)
                continue
            if not batch.num_rows:
                continue
            fh.write(_text_bytes(_csv_lines_of([_quoted(cell_texts(column), only_column) for column in batch.columns])))


# --- reading ----------------------------------------------------------------


def _compatible(actual, expected) -> bool:
    import pyarrow as pa
    import pyarrow.types as t

    if actual.equals(expected) or t.is_null(actual):  # a column with no value at all (pandas writes an all-empty column so)
        return True
    if t.is_dictionary(actual):
        return _compatible(actual.value_type, expected)
    if t.is_integer(expected):
        return t.is_integer(actual)
    if t.is_floating(expected):
        return t.is_floating(actual) or t.is_integer(actual)
    if t.is_string(expected):
        return _is_text(actual)
    if t.is_date(expected):
        return t.is_date(actual)
    if t.is_list(expected):
        return (t.is_list(actual) or t.is_large_list(actual)) and _compatible(actual.value_type, pa.string())
    return False


def _is_text(arrow_type) -> bool:
    import pyarrow.types as t

    return t.is_string(arrow_type) or t.is_large_string(arrow_type) or (hasattr(t, "is_string_view") and t.is_string_view(arrow_type))


#: Hints for a column of the wrong physical type, in the terms of the tools that write it.
_TYPE_HINTS = {
    "date": "Store dates as dates, not timestamps or text: pandas `df[c] = pd.to_datetime(df[c]).dt.date`, "
            "polars `df.with_columns(pl.col(c).cast(pl.Date))`; or write the file with iraq_withdrawal.write_table(df, path, table=...).",
    "integer": "Store whole numbers as integers: pandas `df[c] = df[c].astype(\"Int64\")` keeps empty cells, "
               "polars `pl.col(c).cast(pl.Int64)`; or write the file with iraq_withdrawal.write_table(df, path, table=...).",
    "number": "Store numbers as numbers: pandas `pd.to_numeric(df[c])`, polars `pl.col(c).cast(pl.Float64)`.",
    "string": "Store text as text: pandas `df[c] = df[c].astype(\"string\")`, polars `pl.col(c).cast(pl.Utf8)`.",
    "boolean": "Store true/false as booleans: pandas `df[c].astype(\"boolean\")`, polars `pl.col(c).cast(pl.Boolean)`.",
    "list": "Store lists as lists of strings (pandas: a column of Python lists), or write the file with "
            "iraq_withdrawal.write_table(df, path, table=...).",
}


def type_hint(kind: str, name: str) -> str:
    """What to do about a column of the wrong type, with the column's name filled in."""
    return _TYPE_HINTS[kind].replace("[c]", f"['{name}']").replace("pl.col(c)", f"pl.col('{name}')")


def column_findings(names: list[str], table: str, file: str, version: str = CURRENT_VERSION,
                    line: int | None = None, require_all: bool = False) -> list[Finding]:
    """The one header check of every reader, the same for CSV and Parquet.

    A repeated name or a missing required column is an error (IW109); an optional column
    may be absent (its rules are not run); a column the table does not have is a
    warning (IW114) and is not read. ``require_all`` (a release we built) makes every
    missing column an error.
    """
    cols = columns(table, version)
    counts = Counter(names)
    findings = [Finding("IW109", f"column '{name}' appears {n} times", file=file, line=line, field=name)
                for name, n in counts.items() if n > 1]
    known = {c.name for c in cols}
    # each name once: a junk header can repeat one name millions of times
    findings += [Finding("IW114", f"column '{name}' is not part of the {table} table; it was not checked", file=file, line=line, field=name)
                 for name in counts if name not in known]
    findings += [Finding("IW109", f"column '{c.name}' is missing{'' if require_all else ' (the column is required)'}",
                         file=file, line=line, field=c.name,
                         hint=f"Add the column '{c.name}': every {table} row needs it (see the codebook).")
                 for c in cols if c.name not in counts and (c.required or require_all)]
    return findings


def present_schema(names: list[str], table: str, version: str = CURRENT_VERSION):
    """The table's Arrow schema restricted to the columns a file has, in schema order."""
    import pyarrow as pa

    schema = arrow_schema(table, version)
    have = set(names)
    return pa.schema([f for f in schema if f.name in have], metadata=schema.metadata)


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


def _lenient_cast(column, expected):
    """Cast a column of the wrong physical type where its values keep their meaning.

    Returns (values or None, what was done): timestamps at midnight become dates,
    integers stored as floats become integers, ISO date text becomes dates; a value
    that cannot be cast so is left empty and counted.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.types as t

    actual = column.type
    if t.is_dictionary(actual):
        column = column.cast(actual.value_type)
        actual = actual.value_type
    try:
        if t.is_date(expected) and t.is_timestamp(actual):
            dates = pc.cast(column, pa.date32())
            back = pc.cast(pc.cast(dates, pa.timestamp(actual.unit)), actual) if actual.tz is None else None
            if back is None:
                return None, ""
            keep = pc.fill_null(pc.equal(back, column), True)
            lost = len(column) - pc.sum(pc.cast(keep, pa.int64())).as_py()
            return pc.if_else(keep, dates, pa.scalar(None, pa.date32())), _lost(lost, "a time of day", "checked as dates")
        if t.is_date(expected) and _is_text(actual):
            parsed = pc.strptime(column.cast(pa.string()), format="%Y-%m-%d", unit="s", error_is_null=True)
            dates = pc.cast(parsed, pa.date32())
            lost = pc.sum(pc.cast(pc.and_(pc.is_valid(column), pc.is_null(dates)), pa.int64())).as_py() or 0
            return dates, _lost(lost, "text that is not an ISO 8601 date", "checked as dates")
        if t.is_integer(expected) and t.is_floating(actual):
            finite = pc.fill_null(pc.is_finite(column), True)
            whole = pc.and_(finite, pc.fill_null(pc.equal(pc.floor(column), column), True))
            info = _int_bounds(expected)
            fits = pc.and_(whole, pc.fill_null(pc.and_(pc.greater_equal(column, info[0]), pc.less_equal(column, info[1])), True))
            cleaned = pc.if_else(fits, column, pa.scalar(None, actual))
            lost = len(column) - pc.sum(pc.cast(fits, pa.int64())).as_py()
            return pc.cast(cleaned, expected), _lost(lost, "a fraction or do not fit", "checked as integers")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None, ""
    return None, ""


def _int_bounds(arrow_type) -> tuple[int, int]:
    bits = arrow_type.bit_width
    return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1


def _lost(count: int, what: str, done: str) -> str:
    if not count:
        return f"its values were {done}"
    return f"its values were {done}; {count:,} value(s) with {what} were left unchecked"


def conform(arrow_table, table: str, file: str, version: str = CURRENT_VERSION,
            require_all: bool = False, header_checked: bool = False) -> tuple[Any, list[Finding]]:
    """Check column names and types against the schema and cast to it; report every mismatch.

    Returns the table restricted to the schema's columns that the file has (and could be
    read), so that every rule on those columns still runs: a column of the wrong type is
    reported once, and its values are checked where they can be cast (see
    :func:`_lenient_cast`); a column that cannot be cast is left out. ``None`` only when
    the columns cannot be told apart (a repeated name).
    """
    import pyarrow as pa

    schema = arrow_schema(table, version)
    names = arrow_table.column_names
    findings = [] if header_checked else column_findings(names, table, file, version, require_all=require_all)
    if any(f.code == "IW109" and "appears" in f.message for f in findings) or len(set(names)) != len(names):
        return None, findings
    fields, arrays = [], []
    for expected in schema:
        if expected.name not in names:
            continue
        column = arrow_table.column(expected.name)
        actual = column.type
        kind = next(c.kind for c in columns(table, version) if c.name == expected.name)
        if not _compatible(actual, expected.type):
            cast, done = _lenient_cast(column, expected.type)
            findings.append(Finding("IW109", f"column '{expected.name}' is stored as {actual}, expected {expected.type}"
                                    + (f"; {done}" if cast is not None else "; its values were not checked"),
                                    file=file, field=expected.name, hint=type_hint(kind, expected.name)))
            if cast is None:
                continue
            fields.append(expected)
            arrays.append(cast)
            continue
        try:
            cast = column.cast(expected.type)
        except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a failed cast
            findings.append(Finding("IW109", f"column '{expected.name}' cannot be read as {expected.type}: {exc}", file=file,
                                    field=expected.name, hint=type_hint(kind, expected.name)))
            continue
        not_utf8 = _utf8_problem(cast, expected.name, file)
        if not_utf8:  # Parquet does not check its text, and Python cannot read such a value: the column is left out
            findings.append(not_utf8)
            continue
        arrays.append(cast)
        fields.append(expected)
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=schema.metadata)), findings


def read_parquet(path: Path, table: str, display: str, version: str = CURRENT_VERSION, require_all: bool = False) -> TableRead:
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
    conformed, findings = conform(arrow_table, table, display, version, require_all=require_all)
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


def read_csv(path: Path, table: str, display: str, version: str = CURRENT_VERSION, require_all: bool = False) -> TableRead:
    """Read a CSV table: UTF-8, header row, one finding per bad row or cell.

    A file as :func:`write_csv` writes it, with every cell of its column's type, is read column-wise
    (:func:`_read_written_csv`); any other file row by row, for the findings. Both give the same result.
    """
    previous = csv.field_size_limit(MAX_CSV_LINE)  # set for this read only: the limit is process-wide
    try:
        with path.open("rb") as fh:
            problem = encoding_problem(fh.read(4), display)
            if problem:
                return TableRead(None, [problem])
            fh.seek(0)
            if path.stat().st_size <= MAX_VECTORISED_CSV_BYTES:
                read = _read_written_csv(fh.read(), table, display, version, require_all)
                if read is not None:
                    return read
                fh.seek(0)
            return _read_csv_rows(csv.reader(_csv_lines(fh, display), strict=True), table, display, version, require_all)
    except OSError as exc:
        return TableRead(None, [Finding("IW108", f"cannot read the file: {exc.strerror or exc}", file=display)])
    finally:
        csv.field_size_limit(previous)


#: CSV files up to this size are first tried column-wise (the file and its cells are held in memory at once).
MAX_VECTORISED_CSV_BYTES = 64 * 1024 * 1024
#: ... and up to this many columns (the widest table has under 50); a wider file is read row by row.
MAX_VECTORISED_CSV_COLUMNS = 256


def _read_written_csv(data: bytes, table: str, display: str, version: str, require_all: bool) -> TableRead | None:
    """What :func:`_read_csv_rows` reads from ``data``, read column-wise by Arrow; None unless the result is surely the same.

    Arrow's parser is trusted only as far as it is checked: the cells it reads, quoted as the csv
    module's writer quotes them (:func:`_quoted`) and joined with commas and CRLF, must give
    ``data`` back byte for byte. Such a file is what the csv module writes for those cells, and
    the csv module reads it back as those cells (no empty line, no stray quote, no line
    ending other than in a quoted cell). Then every cell must be of its column's type, by the
    grammar of :func:`~iraq_withdrawal.io.cells.parse_cell` (:func:`_typed_cells`). Anything
    else (a bad cell, a row of another length, a NUL the csv module of Python 3.10 refuses, a
    line too long) is left to the row reader, which names it.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv

    if not data or b"\x00" in data:
        return None
    end = data.find(b"\n")
    first_line = data[:end if end >= 0 else len(data)].decode("utf-8", errors="replace")  # the header, to count its columns
    try:
        width = len(next(csv.reader([first_line])))
    except (csv.Error, StopIteration):
        return None
    if width > MAX_VECTORISED_CSV_COLUMNS:
        return None  # each column costs a few Arrow calls: a header of 300,000 columns took seconds here
    names = [f"f{i}" for i in range(width)]
    try:
        parsed = pa_csv.read_csv(
            pa.py_buffer(data),
            read_options=pa_csv.ReadOptions(column_names=names, block_size=len(data) + 1),  # one block: no copy to join them
            parse_options=pa_csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(column_types={n: pa.string() for n in names}, null_values=[],
                                                  strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowException, ValueError):
        return None
    if parsed.num_rows == 0:
        return None
    cells = [column.chunk(0) if column.num_chunks == 1 else column.combine_chunks() for column in parsed.columns]
    if _text_bytes(_csv_lines_of([_quoted(column, width == 1) for column in cells])) != data:
        return None  # not as the csv module writes these cells: the row reader decides what they are
    if len(data) > MAX_CSV_LINE and _too_long(data, cells):
        return None
    header = [column[0].as_py() for column in cells]
    if len(set(header)) != len(header) or any("\r" in name or "\n" in name for name in header):
        return None
    schema = present_schema(header, table, version)
    by_name = {c.name: c for c in columns(table, version)}
    arrays = []
    for spec in schema:
        typed = _typed_cells(cells[header.index(spec.name)].slice(1), by_name[spec.name], spec.type)
        if typed is None:
            return None
        arrays.append(typed)
    count = parsed.num_rows - 1
    breaks = np.zeros(count, dtype=np.int64)  # line breaks inside the quoted cells of each row
    if data.count(b"\n") != parsed.num_rows or data.count(b"\r") != parsed.num_rows:
        for column in cells:
            body = column.slice(1)
            per_cell = pc.subtract(pc.add(pc.count_substring(body, "\n"), pc.count_substring(body, "\r")), pc.count_substring(body, "\r\n"))
            breaks += per_cell.to_numpy(zero_copy_only=False)
    lines = (2 + np.concatenate(([0], np.cumsum(breaks + 1)[:-1])) if count else np.zeros(0, dtype=np.int64)).tolist()
    findings = column_findings(header, table, display, version, line=1, require_all=require_all)
    return TableRead(pa.Table.from_arrays(arrays, schema=schema), findings, lines, list(range(1, count + 1)))


def _too_long(data: bytes, cells) -> bool:
    """Whether the row reader would stop at a line longer than MAX_CSV_LINE bytes or a cell longer than the csv field limit."""
    import numpy as np
    import pyarrow.compute as pc

    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    bounds = np.concatenate(([-1], ends, [len(data) - 1]))
    if int(np.diff(bounds).max()) > MAX_CSV_LINE:
        return True
    return any((pc.max(pc.utf8_length(column)).as_py() or 0) > MAX_CSV_LINE for column in cells)


def _typed_cells(texts, column, arrow_type):
    """A column of cell texts as :func:`~iraq_withdrawal.io.cells.parse_cell` gives them, or None if a cell is not of the type.

    The column grammar of the streamed reader (:func:`~iraq_withdrawal.io.cells.parse_column`), which
    parses as :func:`~iraq_withdrawal.io.cells.parse_cell` does; a bad cell leaves the file to the row reader.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = pc.if_else(pc.equal(texts, ""), pa.scalar(None, texts.type), texts)  # an empty cell is null
    typed, bad = parse_column(cells, column, arrow_type)
    return None if bad else typed.cast(arrow_type)


def _read_csv_rows(reader, table: str, display: str, version: str, require_all: bool = False) -> TableRead:
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
    schema = present_schema(header, table, version)
    findings = column_findings(header, table, display, version, line=1, require_all=require_all)
    if len(set(header)) != len(header):  # which of two same-named columns holds the data cannot be told
        return TableRead(None, findings)
    values: dict[str, list] = {f.name: [] for f in schema}
    wanted = [(index, name) for index, name in enumerate(header) if name in values]  # extra columns are not parsed
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
        for index, name in wanted:
            cell = record[index]
            try:
                parsed[name] = parse_cell(cell, by_name[name], schema.field(name).type)
            except ValueError as exc:
                findings.append(Finding("IW113", str(exc).split("\n")[0], file=display, line=line, row=row_number, field=name,
                                        hint=cell_hint(by_name[name])))
                bad = True
        if bad:
            bad_rows += 1
            continue
        for name in values:
            values[name].append(parsed[name])
        lines.append(line)
        rows.append(row_number)
    arrow_table = pa.Table.from_pydict({f.name: pa.array(values[f.name], type=f.type) for f in schema}, schema=schema)
    return TableRead(arrow_table, findings, lines, rows)


def read_table_file(path: Path, table: str, display: str, version: str = CURRENT_VERSION, require_all: bool = False) -> TableRead:
    """A CSV or Parquet table, by its suffix (``require_all``: every column of the schema must be there)."""
    if path.suffix.lower() == ".parquet":
        return read_parquet(path, table, display, version, require_all)
    return read_csv(path, table, display, version, require_all)
