"""The streaming reader's vectorised cell parsing and key hashing agree with the row reader's cell grammar."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from iraq_withdrawal.io.cells import parse_cell, parse_column
from iraq_withdrawal.io.tables import to_arrow, write_csv
from iraq_withdrawal.schema.derive import columns
from iraq_withdrawal.validators import release
from iraq_withdrawal.validators.arrow import ArrowChecker, hash_strings
from iraq_withdrawal.validators.release import validate_table_file

from .test_engines import _events

LIST_CELLS = [
    "[]", "[ ]", '[""]', '[ "" ]', '["a"]', '["a", "b"]', '["a","b"]', '[ "a" , "b" ]', '[\n"a",\t"b"\r\n]', '["عربي", "x y"]',
    '["a\\"b"]', '["\\u0041"]', '["\\\\"]', '[",", ","]', '["a", "b", "c", "d"]',
    ' ["a"]', '["a"] ', '["a",]', '[,"a"]', '["a" "b"]', '["a"\f]', '[\f"a"]', '["a\tb"]', '["a\x01"]', '["a\n"]', '["a\n" "b"]',
    "['a']", "['a' 'b']", "['a\n' 'b']", "[a, b]", '[1]', '["a", 1]', '[null]', '["a"]]', '[["a"]]', '"a"', "a", "[", "]", '["a',
    '["x"]x', 'x["a"]', '["\\", "]', '[\u00a0"a"]',
]
DATE_CELLS = [
    "2021-01-05", "2020-02-29", "2000-02-29", "0001-01-01", "9999-12-31", "2021-02-29", "2021-02-30", "1900-02-29", "0000-01-01",
    "2021-00-10", "2021-13-01", "2021-01-32", "2021-01-00", "2021-1-05", "2021-01-1", "+2021-01-01", " 2021-01-01", "2021-01-01 ",
    "20210101", "2021/01/01", "2021-01-01T00:00", "٢٠٢١-01-01", "２０２１-01-01", "12021-01-01", "yesterday",
]


def _column(table: str, name: str):
    return next(c for c in columns(table) if c.name == name)


def _by_row_reader(cells: list[str | None], column, target) -> list[tuple]:
    """Each cell by the row reader; the message as the streaming reader shows it (a scalar's first line)."""
    out = []
    for text in cells:
        if text is None:
            out.append((None, None))
            continue
        try:
            out.append((parse_cell(text, column, target), None))
        except ValueError as exc:
            out.append((None, str(exc) if column.kind == "list" else str(exc).split("\n")[0]))
    return out


def _by_column(cells: list[str | None], column, target) -> list[tuple]:
    typed, bad = parse_column(pa.array(cells, pa.string()), column, target)
    messages = dict(bad)
    return [(typed[i].as_py(), messages.get(i)) for i in range(len(cells))]


def test_list_cells_parse_as_the_row_reader_parses_them() -> None:
    column, target = _column("events", "source_ids"), pa.list_(pa.string())
    rng = random.Random(1)
    cells = LIST_CELLS + [None]
    for _ in range(2000):  # near misses: the characters a JSON array is made of
        cells.append("".join(rng.choice('[]", a\\\tب') for _ in range(rng.randint(0, 9))))
        items = ["".join(rng.choice('ab ,"\\ب') for _ in range(rng.randint(0, 3))) for _ in range(rng.randint(0, 3))]
        cells.append(json.dumps(items, ensure_ascii=rng.random() < 0.5, separators=rng.choice([(", ", ": "), (",", ":"), (" , ", ":")])))
    cells = [c for c in cells if c != ""]  # an empty cell is null before it is parsed
    assert _by_column(cells, column, target) == _by_row_reader(cells, column, target)


def test_list_cells_of_a_clean_column_are_split_without_python() -> None:
    column, target = _column("events", "source_ids"), pa.list_(pa.string())
    cells = ['["src-1", "src-2"]', "[]", None, '["src-3"]'] * 50
    typed, bad = parse_column(pa.array(cells, pa.string()).slice(1, 150), column, target)
    assert bad == []
    assert typed.to_pylist() == [[] if c == "[]" else None if c is None else json.loads(c) for c in cells[1:151]]


@pytest.mark.parametrize("clean", [True, False])
def test_date_cells_parse_as_the_row_reader_parses_them(clean: bool) -> None:
    column = _column("events", "date_start")
    cells = [c for c in DATE_CELLS if not clean or c[:4] != "0000" and _by_row_reader([c], column, pa.date32())[0][1] is None]
    cells += [None, "2021-06-30"]
    assert _by_column(cells, column, pa.date32()) == _by_row_reader(cells, column, pa.date32())


def test_a_streamed_csv_reports_a_day_the_calendar_has_not_as_the_row_reader_does(tmp_path: Path, monkeypatch) -> None:
    rows = _events(300)
    for row in rows:
        row.update(reported_start=row["date_start"], reported_end=row["date_end"], source_ids=["src-3bc87bab"], source_count=1)
    path = tmp_path / "events.csv"
    write_csv(to_arrow("events", rows), path)
    text = path.read_text(encoding="utf-8").splitlines()
    text[5] = text[5].replace("2021-01-05", "2021-02-30", 1)  # row 5's date_start
    text[7] = text[7].replace("2021-01-07", "0000-01-07", 1)
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    monkeypatch.setattr(release, "STREAM_CSV_BYTES", 0)
    streamed = validate_table_file(path, "events")
    monkeypatch.setattr(release, "STREAM_CSV_BYTES", 1 << 40)
    exact = validate_table_file(path, "events")
    # the row reader checks no rule on a row with a bad cell; the streaming reader checks it with the cell empty
    assert sorted((f.code, f.row, f.field, f.message) for f in streamed.findings if f.code == "IW113") == sorted(
        (f.code, f.row, f.field, f.message) for f in exact.findings)
    assert {(f.row, f.field) for f in exact.findings} == {(5, "date_start"), (7, "date_start")}


def test_key_hashes_depend_on_the_value_only() -> None:
    rng = random.Random(5)
    values = ["".join(rng.choice("ab\x00ب") for _ in range(rng.randint(0, 20))) for _ in range(5000)]
    array = pa.array(values, pa.string())
    hashes = hash_strings(array)
    first: dict[str, int] = {}
    for value, h in zip(values, hashes.tolist()):
        assert first.setdefault(value, h) == h
    assert len(set(first.values())) == len(first)  # no collision among these few thousand
    for offset in (0, 1, 7, 333):
        part = array.slice(offset, 1000)
        for same in (part, part.cast(pa.large_string()), part.cast(pa.binary())):
            assert (hash_strings(same) == hashes[offset:offset + 1000]).all()
    assert len(hash_strings(pa.array([], pa.string()))) == 0


@pytest.mark.parametrize("chunk", [1 << 20, 1000, 4096])
def test_hash_groups_finds_every_member_of_each_group_slice_by_slice(chunk: int) -> None:
    hashes = np.random.default_rng(1).integers(0, 2**64, 300_000, dtype=np.uint64)
    hashes[[5, 299_999, 150_000]] = hashes[77]
    hashes[10] = hashes[200_000]
    checker = ArrowChecker("events", hash_chunk=chunk)
    for start in range(0, len(hashes), 7777):  # batches that straddle the chunks
        checker._append_hashes(hashes[start:start + 7777], start)
    checker.rows = len(hashes)
    want = [5, 10, 77, 150_000, 200_000, 299_999]
    assert checker.hash_groups() == want
    assert checker.hash_groups(partitions=1) == want
    assert checker.hash_groups(partitions=16) == want


def test_streamed_parquet_with_a_key_of_two_columns_finds_the_repeated_pairs(tmp_path: Path) -> None:
    rows = [{"record": f"evt-2021-01-talks-{i % 50}", "seq": i // 50 + 1, "record_table": "events", "source": "src-3bc87bab",
             "quote": "نص", "occurrence": 1, "char_start": 0, "char_end": 2} for i in range(400)]
    rows[300]["seq"] = rows[10]["seq"]
    rows[300]["record"] = rows[10]["record"]
    path = tmp_path / "evidence.parquet"
    table = to_arrow("evidence", rows)
    pq.write_table(table, path, row_group_size=64)
    report = validate_table_file(path, "evidence")
    assert [(f.code, f.row) for f in report.findings if f.code == "IW301"] == [("IW301", 301)]


@pytest.mark.parametrize("stored", [pa.large_string(), pa.dictionary(pa.int32(), pa.string())])
def test_duplicates_are_found_in_a_key_column_stored_as_another_type(tmp_path: Path, stored) -> None:
    rows = _events(500)
    for row in rows:
        row.update(reported_start=row["date_start"], reported_end=row["date_end"], source_ids=["src-3bc87bab"], source_count=1)
    rows[400]["id"] = rows[3]["id"]
    table = to_arrow("events", rows)
    table = table.set_column(0, pa.field("id", stored), table.column("id").cast(stored))
    path = tmp_path / "events.parquet"
    pq.write_table(table, path, row_group_size=64)
    report = validate_table_file(path, "events")
    assert [(f.code, f.row) for f in report.findings if f.code == "IW301"] == [("IW301", 401)]


def _reference_mask(rule_kind: str, col):
    """The rules as plain pyarrow compute expressions (nulls not failing), to hold the fast paths to."""
    import pyarrow.compute as pc

    from iraq_withdrawal.validators.rules import CONTROL_PATTERN, FORMULA_PATTERN

    if rule_kind == "formula":
        out = pc.match_substring_regex(col, FORMULA_PATTERN)
    elif rule_kind == "min_length":
        out = pc.less(pc.utf8_length(col), 1)
    elif rule_kind == "control":
        out = pc.match_substring_regex(col, CONTROL_PATTERN)
    else:  # items
        items = pc.list_flatten(col)
        bad = pc.fill_null(pc.or_(pc.less(pc.utf8_length(pc.utf8_trim_whitespace(items)), 1),
                                  pc.match_substring_regex(items, CONTROL_PATTERN)), True)
        parents = set(pc.filter(pc.list_parent_indices(col), bad).to_pylist())
        out = pa.array([i in parents for i in range(len(col))])
    return [bool(v) for v in pc.fill_null(out, False).to_pylist()]


@pytest.mark.parametrize("kind", ["formula", "min_length", "control", "items"])
def test_the_fast_text_rules_fail_the_rows_the_regular_expressions_fail(kind: str) -> None:
    from iraq_withdrawal.validators.arrow import _failing
    from iraq_withdrawal.validators.rules import TableRule

    rng = random.Random(7)
    alphabet = ["a", "ب", " ", "=", "+", "-", "@", "\t", "\r", "\n", "\x00", "\x07", "\x7f", "\u00a0", "é"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 4))) for _ in range(3000)]
    texts = [None if rng.random() < 0.1 else t for t in texts]
    if kind == "items":
        array = pa.array([None if rng.random() < 0.1 else [rng.choice(texts) for _ in range(rng.randint(0, 3))] for _ in range(3000)],
                         pa.list_(pa.string()))
        rule = TableRule("IW303", "items", ("source_ids",))
        name = "source_ids"
    else:
        array = pa.array(texts, pa.string())
        rule = TableRule("IW303", kind, ("notes",), (("min", 1),) if kind == "min_length" else ())
        name = "notes"
    for part in (array, array.slice(17, 2000), array.slice(2990)):
        batch = pa.RecordBatch.from_arrays([part], names=[name])
        mask = _failing(rule, batch)
        got = [False] * len(part) if mask is None else [bool(v) for v in mask.to_pylist()]
        assert got == _reference_mask(kind, part)


def test_csv_blocks_joined_into_batches_keep_every_row_in_place(tmp_path: Path, monkeypatch) -> None:
    from iraq_withdrawal.findings import Report
    from iraq_withdrawal.validators.stream import CSV_BLOCKS_PER_BATCH, FindingSink, stream_csv

    from .test_engines import _broken_events

    parquet, expected = _broken_events(tmp_path, n=12000)  # about 2.5 MB of CSV: ten 256 KB blocks
    path = tmp_path / "events.csv"
    write_csv(pq.read_table(parquet), path)
    lines = path.read_text(encoding="utf-8").splitlines()
    for row in (2500, 7001, 11999):  # errors further on, in later blocks
        lines[row] = lines[row].replace(",occurred,", ",riot,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert CSV_BLOCKS_PER_BATCH > 1
    sink = FindingSink(Report(target="events.csv", kind="table"))
    rows = stream_csv(path, "events", "events.csv", sink, budget=8 << 20)  # the smallest budget: 256 KB blocks
    assert rows == 12000
    monkeypatch.setattr(release, "STREAM_CSV_BYTES", 1 << 40)
    exact = validate_table_file(path, "events")
    assert sorted((f.code, f.row, f.field) for f in sink.report.findings) == sorted((f.code, f.row, f.field) for f in exact.findings)
    assert {f.row for f in sink.report.findings if f.field == "status"} >= {2500, 7001, 11999}


@pytest.mark.parametrize("kept", [True, False])
def test_a_csv_s_duplicates_are_found_from_the_keys_kept_or_by_reading_the_file_again(tmp_path: Path, monkeypatch, kept: bool) -> None:
    from iraq_withdrawal.findings import Report
    from iraq_withdrawal.validators import stream
    from iraq_withdrawal.validators.stream import FindingSink, stream_csv

    from .test_engines import _broken_events

    parquet, expected = _broken_events(tmp_path, n=12000)
    path = tmp_path / "events.csv"
    write_csv(pq.read_table(parquet), path)
    if not kept:
        monkeypatch.setattr(stream, "KEY_STORE_BATCHES", 0)
    opened = []
    real = pcsv.open_csv

    def counting_open(*args, **kwargs):
        opened.append(kwargs["convert_options"].include_columns)
        return real(*args, **kwargs)

    monkeypatch.setattr(pcsv, "open_csv", counting_open)
    sink = FindingSink(Report(target="events.csv", kind="table"))
    assert stream_csv(path, "events", "events.csv", sink, budget=8 << 20) == 12000
    assert sorted(f.row for f in sink.report.findings if f.code == "IW301") == [1006, 1017, 1028, 1039, 1050]
    assert opened == ([[]] if kept else [[], ["id"]])  # the file is read once when the keys were kept (no include_columns: all)
