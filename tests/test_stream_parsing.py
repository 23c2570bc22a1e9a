"""The streaming reader's key hashing: a value's hash depends on the value only; every repeated hash is found."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from iraq_withdrawal.io.tables import to_arrow
from iraq_withdrawal.validators.arrow import ArrowChecker, hash_strings
from iraq_withdrawal.validators.release import validate_table_file


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


def test_hash_groups_finds_every_member_of_each_group_slice_by_slice() -> None:
    checker = ArrowChecker("events")
    checker._hashes = np.random.default_rng(1).integers(0, 2**64, 300_000, dtype=np.uint64)
    checker.rows = 300_000
    checker._hashes[[5, 299_999, 150_000]] = checker._hashes[77]
    checker._hashes[10] = checker._hashes[200_000]
    want = [5, 10, 77, 150_000, 200_000, 299_999]
    assert checker.hash_groups() == want
    assert checker.hash_groups(partitions=1) == want
    assert checker.hash_groups(partitions=16, chunk=1000) == want


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
