"""Property-based tests (hypothesis), reproducible: derandomized, no example database, no deadline.

(a) Rows written by the build's writers read back equal, from Parquet and from CSV.
(b) The Arabic matching normalisation is idempotent, and its exact tier never accepts
    a quote whose letters differ from the source.
(c) Random mutations of valid curated YAML and of a valid CSV table never make
    validation raise: it always returns a report (exit 0 or 1).
(d) The column-wise CSV reader and the row reader read the same from written and
    mutated files (table, findings, lines and rows).
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
import tempfile
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from iraq_withdrawal.io.tables import read_csv, read_parquet, to_arrow, write_csv, write_parquet
from iraq_withdrawal.schema.derive import arrow_schema, columns, tables
from iraq_withdrawal.validators.matching import exact_fold, fold, locate

from .conftest import BASE


def reproducible(examples: int):
    return settings(max_examples=examples, derandomize=True, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- (a) round trip ----------------------------------------------------------------------

ARABIC = [chr(c) for c in range(0x0621, 0x064B)] + ["\u064e", "\u0651", "\u0640", "\u0660", "\u0669", "\u060c", "\u061f"]
AWKWARD = [",", '"', "'", "\n", "\r", "\r\n", "\t", " ", "=", "+", "-", "@", ";", "\\", "[", "]", "{", "}",
           "\u200b", "\u200f", "\u202e", "\ufeff", "\u00a0", "\x00", "\x1c", "\u2028", "é", "e\u0301", "𝔸", "null", "NA"]
TEXT = st.lists(st.one_of(st.sampled_from(ARABIC), st.sampled_from(AWKWARD), st.characters(codec="utf-8")),
                min_size=1, max_size=12).map("".join)
FLOATS = st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([0.0, -0.0, 7.0, 1e16, 1e22, 0.1, -2.5e-300]))


@cache
def base_rows() -> dict[str, list[dict]]:
    """The rows the build makes from the base fixture: the records to mutate."""
    from iraq_withdrawal.validators.curated import validate_curated

    return validate_curated(BASE).rows.rows


def _value(column, arrow_type):
    """A strategy for a valid value of a free column (enums, patterns and keys are kept from the base row)."""
    if column.kind == "string":
        strategy = TEXT
    elif column.kind == "list":
        strategy = st.lists(TEXT, max_size=3)
    elif column.kind == "date":
        strategy = st.dates()
    elif column.kind == "number":
        strategy = FLOATS
    elif column.kind == "integer":
        bits = arrow_type.bit_width
        low = max(-(2 ** (bits - 1)), int(column.minimum) if column.minimum is not None else -(2 ** (bits - 1)))
        high = min(2 ** (bits - 1) - 1, int(column.maximum) if column.maximum is not None else 2 ** (bits - 1) - 1)
        strategy = st.integers(low, high)
    elif column.kind == "boolean":
        strategy = st.booleans()
    else:  # pragma: no cover - a new kind needs a strategy here
        raise AssertionError(column.kind)
    return strategy if column.required or column.kind == "list" else st.one_of(st.none(), strategy)


def _free(column) -> bool:
    return not (column.enum or column.pattern or column.primary_key or column.foreign_key)


@st.composite
def row_sets(draw):
    """A table and rows: the base fixture's rows of that table, with every free column drawn anew."""
    table = draw(st.sampled_from([t for t in tables() if base_rows()[t]]))
    schema = arrow_schema(table)
    rows = []
    for base in base_rows()[table]:
        row = dict(base)
        for column in columns(table):
            if _free(column):
                row[column.name] = draw(_value(column, schema.field(column.name).type))
        rows.append(row)
    keep = draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows)))
    return table, [row for row, kept in zip(rows, keep) if kept] or rows[:1]


def _canonical(value):
    """Equality that also tells -0.0 from 0.0."""
    if isinstance(value, float):
        return ("float", value, math.copysign(1.0, value))
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    return value


@reproducible(300)
@given(row_sets())
def test_rows_read_back_equal_from_parquet_and_csv(case) -> None:
    table, rows = case
    expected = [{c.name: row.get(c.name) for c in columns(table)} for row in rows]
    arrow_table = to_arrow(table, rows)
    with tempfile.TemporaryDirectory() as tmp:
        for suffix, write, read in ((".parquet", write_parquet, read_parquet), (".csv", write_csv, read_csv)):
            path = Path(tmp) / f"{table}{suffix}"
            write(arrow_table, path)
            result = read(path, table, path.name)
            assert result.findings == [], (suffix, result.findings)
            assert _canonical(result.table.to_pylist()) == _canonical(expected), suffix


def test_round_trip_covers_the_awkward_cells() -> None:
    """The cases the brief names, once, explicitly (hypothesis may or may not draw them)."""
    row = dict(base_rows()["actors"][0])
    row.update(name_en='=HYPERLINK("http://example.invalid")', description_en='a, "quoted"\r\nline\nand\rmore',
               description_ar="رئيس \"الحكومة\"،\nالعراقية", aliases_ar=["الكاظمي", 'a,"b"', "="], aliases_en=[], country=None)
    event = dict(base_rows()["events"][0], date_start=dt.date(1, 1, 1), date_end=dt.date(9999, 12, 31), notes="@x", date_prec=None)
    figure = dict(base_rows()["figures"][0], value=-0.0)
    with tempfile.TemporaryDirectory() as tmp:
        for table, rows in (("actors", [row]), ("events", [event]), ("figures", [figure])):
            for suffix, write, read in ((".parquet", write_parquet, read_parquet), (".csv", write_csv, read_csv)):
                path = Path(tmp) / f"{table}{suffix}"
                write(to_arrow(table, rows), path)
                expected = [{c.name: r.get(c.name) for c in columns(table)} for r in rows]
                assert _canonical(read(path, table, path.name).table.to_pylist()) == _canonical(expected), (table, suffix)
        assert (Path(tmp) / "actors.csv").read_bytes().split(b"\r\n")[1].startswith(b"act-")
        assert b'"=HYPERLINK(""http://example.invalid"")"' in (Path(tmp) / "actors.csv").read_bytes()


def _csv_module_bytes(arrow_table) -> bytes:
    """What the csv module writes for a table (QUOTE_MINIMAL, CRLF) given csv_cell of every value: write_csv's contract."""
    import csv
    import io

    from iraq_withdrawal.io.tables import csv_cell

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(arrow_table.column_names)
    for row in arrow_table.to_pylist():
        writer.writerow([csv_cell(v) for v in row.values()])
    return buffer.getvalue().encode("utf-8")


@st.composite
def any_tables(draw):
    """Tables of every column type the writer converts column-wise (and a few it leaves to csv_cell), with nulls,
    empty text, awkward characters, one-column tables (whose empty cell the csv module writes as \"\") and slices."""
    import pyarrow as pa

    rows = draw(st.integers(0, 6))
    kinds = {
        "string": (pa.string(), st.one_of(st.none(), st.just(""), TEXT)),
        "large_string": (pa.large_string(), st.one_of(st.none(), st.just(""), TEXT)),
        "int8": (pa.int8(), st.one_of(st.none(), st.integers(-128, 127))),
        "int64": (pa.int64(), st.one_of(st.none(), st.integers(-(2 ** 63), 2 ** 63 - 1))),
        "double": (pa.float64(), st.one_of(st.none(), FLOATS, st.sampled_from([math.nan, math.inf]))),
        "bool": (pa.bool_(), st.one_of(st.none(), st.booleans())),
        "date": (pa.date32(), st.one_of(st.none(), st.dates())),
        "list": (pa.list_(pa.string()), st.one_of(st.none(), st.lists(st.one_of(st.just(""), TEXT), max_size=3))),
        "list with null": (pa.list_(pa.string()), st.lists(st.one_of(st.none(), TEXT), max_size=2)),
        "timestamp": (pa.timestamp("s"), st.one_of(st.none(), st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)))),
    }
    names = draw(st.lists(st.sampled_from(sorted(kinds)), min_size=1, max_size=4))
    arrays = [pa.array(draw(st.lists(kinds[name][1], min_size=rows, max_size=rows)), kinds[name][0]) for name in names]
    table = pa.table(arrays, names=[f"{name},{i}" if i % 2 else f"{name}{i}" for i, name in enumerate(names)])
    start = draw(st.integers(0, rows))
    return table.slice(start) if draw(st.booleans()) else pa.concat_tables([table, table])


@reproducible(300)
@given(any_tables())
def test_write_csv_writes_what_the_csv_module_writes(arrow_table) -> None:
    """write_csv makes its bytes column-wise; they are the csv module's, cell for cell (releases are byte-identical)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "table.csv"
        write_csv(arrow_table, path)
        assert path.read_bytes() == _csv_module_bytes(arrow_table)


# --- (b) matching ------------------------------------------------------------------------

BASE_LETTERS = [chr(c) for c in range(0x0621, 0x063B)] + [chr(c) for c in range(0x0641, 0x064B)]
SOURCE_CHARS = st.one_of(
    st.sampled_from(BASE_LETTERS),
    st.sampled_from([" ", " ", "\n", "\u00a0", "\u064b", "\u064e", "\u0650", "\u0651", "\u0652", "\u0640", "\u200c", "\u200f",
                     "\u0660", "\u0667", "7", "(", ")", "«", "»", "\u201c", '"', "\u060c", ".", "\ufefb", "\ufe8d", "\ufeb3"]),
)
SOURCES = st.lists(SOURCE_CHARS, min_size=1, max_size=60).map("".join)
MARKED = st.lists(st.one_of(st.sampled_from(BASE_LETTERS), st.sampled_from(
    [" ", "\u0640", "\u200d", "\u200c", "\u0653", "\u0654", "\u0655", "\u064e", "\u0651", "\u0670", "\ufefb", "\ufe82", "\ufbb2"])),
    max_size=30).map("".join)  # marks that compose with what precedes them once a tatweel or joiner is dropped
ANY_TEXT = st.one_of(SOURCES, MARKED, st.text(max_size=40), st.text(st.characters(min_codepoint=0x0600, max_codepoint=0x06FF), max_size=40),
                     st.text(st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF), max_size=20))


@reproducible(500)
@given(ANY_TEXT)
def test_fold_is_idempotent(text: str) -> None:
    assert exact_fold(exact_fold(text)) == exact_fold(text)
    assert fold(fold(text, spelling=True), spelling=True) == fold(text, spelling=True)


@reproducible(500)
@given(ANY_TEXT)
def test_text_is_found_in_itself_exactly(text: str) -> None:
    assume(exact_fold(text).strip(" "))
    match = locate(text, text)
    assert match.tier == "exact"
    for start, end in match.spans:
        assert exact_fold(text[start:end]).strip(" ") == exact_fold(text).strip(" ")


@st.composite
def changed_quotes(draw):
    """A source, and a substring of it with one Arabic letter replaced by a letter the source does not contain."""
    source = draw(SOURCES)
    positions = [i for i, ch in enumerate(source) if ch in BASE_LETTERS]
    assume(positions)
    i = draw(st.sampled_from(positions))
    start = draw(st.integers(0, i))
    end = draw(st.integers(i + 1, len(source)))
    absent = [c for c in BASE_LETTERS if c not in unicodedata.normalize("NFKC", source)]
    assume(absent)
    replacement = draw(st.sampled_from(absent))
    quote = source[start:i] + replacement + source[i + 1:end]
    return source, quote


@reproducible(500)
@given(changed_quotes())
def test_exact_tier_never_accepts_a_changed_letter(case) -> None:
    source, quote = case
    assert locate(quote, source).tier != "exact"


@st.composite
def slices(draw):
    source = draw(SOURCES)
    start = draw(st.integers(0, len(source) - 1))
    return source, source[start:draw(st.integers(start + 1, len(source)))]


@reproducible(300)
@given(slices())
def test_a_verbatim_slice_is_found_exactly_at_offsets_that_hold_it(case) -> None:
    source, quote = case
    assume(exact_fold(quote).strip(" "))
    match = locate(quote, source)
    assert match.tier == "exact"
    for start, end in match.spans:
        assert exact_fold(source[start:end]).strip(" ") == exact_fold(quote).strip(" ")


# --- (c) mutations never raise -------------------------------------------------------------

YAML_FILES = sorted((BASE / "curated").glob("*.yaml")) + [BASE / "sources" / "sources.yaml"]
INSERTS = [b"[", b"]", b"{", b"}", b"&a ", b"*a", b"!!python/object:os.system ", b"!x ", b": ", b"- ", b"\n", b"\t", b"#", b"%YAML 1.1\n",
           b"---\n", b"...\n", b"<<: ", b"'", b'"', b"|", b">", b"?", b"\x00", b"\xff", b"\xef\xbb\xbf", b"\xd9", b"0x", b"1e400",
           b"NO", b"on", b"~", b"null", b"2021-02-30", b"1:20", b"\\ud800", b"  ", b",", b"\r\n", b"\r", b"=", "\u200b".encode(), "\u202e".encode()]


@st.composite
def mutations(draw, data: bytes):
    """Up to four byte-level edits of ``data``: inserts of YAML/CSV-significant bytes, deletions, duplications, flips."""
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["insert", "delete", "duplicate", "flip", "truncate"]))
        at = draw(st.integers(0, len(data)))
        if kind == "insert":
            data = data[:at] + draw(st.sampled_from(INSERTS)) + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 20)):]
        elif kind == "duplicate":
            n = draw(st.integers(1, 200))
            data = data[:at] + data[at:at + n] + data[at:]
        elif kind == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
        elif kind == "truncate":
            data = data[:at]
    return data


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, built_release: Path) -> Path:
    """One copy of the base dataset and of a build, reused by every example (each restores what it changes)."""
    root = tmp_path_factory.mktemp("mutations")
    shutil.copytree(BASE, root / "dataset")
    shutil.copytree(built_release, root / "release")
    return root


def _validate_mutated(path: Path, original: bytes, mutated: bytes, target: Path) -> None:
    from iraq_withdrawal.validators.dispatch import validate_path

    path.write_bytes(mutated)
    try:
        report = validate_path(target)
    finally:
        path.write_bytes(original)
    assert report.exit_code() in (0, 1)
    assert report.exit_code(strict=True) in (0, 1)
    for finding in report.findings:
        assert finding.file and finding.hint


@reproducible(250)
@given(data=st.data())
def test_mutated_yaml_never_raises(workspace: Path, data) -> None:
    root = workspace / "dataset"
    source = data.draw(st.sampled_from(YAML_FILES))
    path = root / source.relative_to(BASE)
    original = source.read_bytes()
    _validate_mutated(path, original, data.draw(mutations(original)), root)


@reproducible(250)
@given(data=st.data())
def test_mutated_csv_never_raises(workspace: Path, data) -> None:
    release = workspace / "release"
    table = data.draw(st.sampled_from(["events", "actors", "evidence", "figures", "statements"]))
    scratch = workspace / "tables" / f"{table}.csv"
    scratch.parent.mkdir(exist_ok=True)
    original = (release / f"{table}.csv").read_bytes()
    _validate_mutated(scratch, original, data.draw(mutations(original)), scratch)


# --- (d) the column-wise CSV reader agrees with the row reader ------------------------------

CSV_INSERTS = INSERTS + [b'""', b'"a,b"', b"\r\n\r\n", b"0000-01-01", b"2021-13-01", b"-0", b"007", b"9999999999999999999", b"true",
                         b"TRUE", b"[]", b'["a"]', b'[ "a"]', b'", "', b'\\"', b"\\u0041", b"\x85", "\u2028".encode(), b"1.", b".5"]


@st.composite
def csv_mutations(draw, data: bytes):
    """Edits of a release CSV that keep it as the writer writes it (a cell's text changed) or break it."""
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        if draw(st.booleans()):
            data = data[:at] + draw(st.sampled_from(CSV_INSERTS)) + data[at:]
        else:
            data = draw(mutations(data))
    return data


def _row_by_row(path: Path, table: str, require_all: bool = False):
    """read_csv with the column-wise reader turned off."""
    import iraq_withdrawal.io.tables as io_tables

    limit = io_tables.MAX_VECTORISED_CSV_BYTES
    io_tables.MAX_VECTORISED_CSV_BYTES = -1
    try:
        return read_csv(path, table, path.name, require_all=require_all)
    finally:
        io_tables.MAX_VECTORISED_CSV_BYTES = limit


def _same_read(a, b) -> None:
    assert (a.table is None) == (b.table is None)
    if a.table is not None:
        assert a.table.schema == b.table.schema and a.table.equals(b.table, check_metadata=True)
    assert (a.findings, a.lines, a.rows) == (b.findings, b.lines, b.rows)


@reproducible(300)
@given(data=st.data())
def test_mutated_csv_reads_the_same_column_wise_and_row_by_row(workspace: Path, data) -> None:
    """read_csv reads a file the writer wrote column-wise, and any other row by row: the result is the same."""
    import iraq_withdrawal.io.tables as io_tables
    from iraq_withdrawal.schema import CURRENT_VERSION

    table = data.draw(st.sampled_from(tables()))
    original = (workspace / "release" / f"{table}.csv").read_bytes()
    mutated = data.draw(st.one_of(st.just(original), csv_mutations(original)))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{table}.csv"
        path.write_bytes(mutated)
        require_all = data.draw(st.booleans())
        column_wise = read_csv(path, table, path.name, require_all=require_all)
        row_by_row = _row_by_row(path, table, require_all=require_all)
    _same_read(column_wise, row_by_row)
    if mutated == original:
        assert io_tables._read_written_csv(original, table, path.name, CURRENT_VERSION, require_all) is not None


@reproducible(150)
@given(row_sets())
def test_written_rows_read_the_same_column_wise_and_row_by_row(case) -> None:
    """Cells with quotes, commas and line breaks (which move the line numbers of the rows after them)."""
    table, rows = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{table}.csv"
        write_csv(to_arrow(table, rows), path)
        column_wise = read_csv(path, table, path.name)
        row_by_row = _row_by_row(path, table)
    _same_read(column_wise, row_by_row)


def test_line_breaks_in_cells_move_the_lines_of_later_rows() -> None:
    """Each row's line is where it starts: after the CRLF, lone CR and lone LF inside the quoted cells before it."""
    import iraq_withdrawal.io.tables as io_tables
    from iraq_withdrawal.schema import CURRENT_VERSION

    first = dict(base_rows()["actors"][0], description_en="a\r\nb")
    second = dict(base_rows()["actors"][1], description_en="c\rd\ne", notes="\n")
    third = dict(base_rows()["actors"][2])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "actors.csv"
        write_csv(to_arrow("actors", [first, second, third]), path)
        assert io_tables._read_written_csv(path.read_bytes(), "actors", path.name, CURRENT_VERSION, False) is not None
        column_wise = read_csv(path, "actors", path.name)
        row_by_row = _row_by_row(path, "actors")
    assert column_wise.lines == row_by_row.lines == [2, 4, 8]
    _same_read(column_wise, row_by_row)
