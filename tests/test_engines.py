"""The streaming Arrow engine and the Spark engine apply the same rules and agree."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from iraq_withdrawal.io.tables import to_arrow
from iraq_withdrawal.validators.release import validate_table_file

from .conftest import invoke


def _events(n: int) -> list[dict]:
    rows = []
    for i in range(n):
        day = dt.date(2021, 1, 1) + dt.timedelta(days=i % 300)
        rows.append({
            "id": f"evt-synthetic-{i:06d}", "date_start": day, "date_end": day, "date_precision": "day",
            "date_basis": "stated", "date_note": None, "event_type": "diplomacy", "event_subtype": "talks",
            "status": "occurred", "summary_en": "Talks were held.", "summary_ar": "جرت محادثات", "notes": None,
            "plover_category": "CONSULT", "date_prec": 1,
        })
    return rows


def _broken_events(tmp_path: Path, n: int = 3000) -> tuple[Path, Counter]:
    """An events table with a known number of errors of each kind."""
    rows = _events(n)
    expected: Counter = Counter()
    for i in range(0, 40, 4):
        rows[i]["status"] = "riot"
        expected[("IW303", "status")] += 1
    for i in range(1, 30, 6):
        rows[i]["summary_en"] = None
        expected[("IW304", "summary_en")] += 1
    for i in range(2, 24, 7):
        rows[i]["date_end"] = rows[i]["date_start"] - dt.timedelta(days=3)
        expected[("IW501", "date_end")] += 1
    for i in range(3, 18, 5):
        rows[i]["date_precision"] = "month"
        rows[i]["date_start"] = dt.date(2021, 5, 2)
        rows[i]["date_end"] = dt.date(2021, 5, 31)
        expected[("IW503", "date_precision")] += 1
    for i in range(5, 60, 11):
        rows[i]["id"] = rows[i + 1000]["id"]
        expected[("IW301", "id")] += 1
    for i in range(7, 30, 10):
        rows[i]["notes"] = "=HYPERLINK(1)"
        expected[("IW305", "notes")] += 1
    rows[9]["id"] = "EVT 9"
    expected[("IW303", "id")] += 1
    path = tmp_path / "events.parquet"
    table = to_arrow("events", rows)
    table = table.cast(pa.schema([f.with_nullable(True) for f in table.schema], metadata=table.schema.metadata))
    pq.write_table(table, path, row_group_size=700)
    return path, expected


def test_streaming_engine_finds_every_injected_error_and_nothing_else(tmp_path: Path) -> None:
    path, expected = _broken_events(tmp_path)
    report = validate_table_file(path, "events")
    got = Counter((f.code, f.field) for f in report.findings)
    assert got == expected
    assert report.checked == {"rows": 3000}
    # rows 6, 17, 28, 39, 50 took the ids of rows 1006, 1017, …: the later row of each pair is the duplicate
    assert {f.row for f in report.findings if f.code == "IW301"} == {1006, 1017, 1028, 1039, 1050}


def test_findings_are_capped_per_rule_but_counted(tmp_path: Path) -> None:
    path, expected = _broken_events(tmp_path)
    result = invoke("validate", str(path), "--max-per-rule", "2")
    assert result.exit_code == 1
    assert "note: 8 more IW303 findings were counted but not listed" in result.output


def test_csv_streaming_matches_parquet(tmp_path: Path, monkeypatch) -> None:
    from iraq_withdrawal.io.tables import write_csv
    from iraq_withdrawal.validators import release

    path, expected = _broken_events(tmp_path)
    csv_path = tmp_path / "events.csv"
    write_csv(pq.read_table(path), csv_path)
    monkeypatch.setattr(release, "STREAM_CSV_BYTES", 0)  # force the streaming reader
    streamed = validate_table_file(csv_path, "events")
    monkeypatch.setattr(release, "STREAM_CSV_BYTES", 1 << 40)
    exact = validate_table_file(csv_path, "events")
    assert Counter((f.code, f.field) for f in streamed.findings) == expected
    assert sorted((f.code, f.row) for f in streamed.findings) == sorted((f.code, f.row) for f in exact.findings)
    assert all(f.line for f in exact.findings)


def _listed(report) -> list[tuple]:
    return sorted((f.code, f.row, f.record, f.field, f.message) for f in report.findings)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java")
def test_spark_engine_agrees_with_arrow_engine(tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    from iraq_withdrawal.validators.spark import validate_table_spark

    path, expected = _broken_events(tmp_path)
    spark_report = validate_table_spark(path, "events", master="local[2]")
    arrow_report = validate_table_file(path, "events")
    assert Counter((f.code, f.field) for f in spark_report.findings) == expected
    assert _listed(spark_report) == _listed(arrow_report)
    assert spark_report.checked == {"rows": 3000}
    # listed up to --max-per-rule, the rest counted, as on the Arrow engine
    capped_spark = validate_table_spark(path, "events", master="local[2]", max_per_rule=2)
    capped_arrow = validate_table_file(path, "events", max_per_rule=2)
    assert _listed(capped_spark) == _listed(capped_arrow)
    assert capped_spark.suppressed == capped_arrow.suppressed != {}


def test_engine_option_errors(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text("id\n", encoding="utf-8")
    result = invoke("validate", str(path), "--engine", "spark")
    assert result.exit_code == 2
    assert "single Parquet table" in result.output
