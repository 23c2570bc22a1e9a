"""One rule engine on every path: the same dates give the same findings from YAML, CSV and Parquet.

Hypothesis draws the date fields of the base fixture's event (any combination a curator can
write: missing fields, reversed intervals, precisions that do not fit, resolved dates without a
note). The curated dataset is validated; the rows the build derives from it are written as CSV
and as Parquet and validated as derived tables. The within-table findings (code, field, message,
record) must be the same on the three paths. Reproducible: derandomized, no example database.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iraq_withdrawal.io.tables import to_arrow, write_csv, write_parquet
from iraq_withdrawal.validators.curated import validate_curated
from iraq_withdrawal.validators.release import validate_table_file

from .conftest import BASE

EVENT_ID = "evt-2021-12-coalition-combat-mission-end"
#: codes a single events table can show on its own (IW502/IW506 need the sources table)
WITHIN_TABLE = {"IW303", "IW304", "IW305", "IW501", "IW503", "IW504", "IW505"}

DATES = st.one_of(st.none(), st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2021, 12, 13)))
PRECISIONS = st.one_of(st.none(), st.sampled_from(["day", "week", "month", "season", "year", "years"]))
BASES = st.one_of(st.none(), st.sampled_from(["stated", "relative_to_publication", "inferred"]))
NOTES = st.one_of(st.none(), st.just("resolved from the context"))


def _yaml_value(value) -> str:
    return "null" if value is None else str(value) if not isinstance(value, str) else f"'{value}'"


def _with_dates(root: Path, fields: dict) -> None:
    path = root / "curated" / "events.yaml"
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        key = line.strip().split(":", 1)[0]
        if key in fields:
            line = f"    {key}: {_yaml_value(fields[key])}"
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _within(findings, record_key) -> set[tuple]:
    return {(f.code, f.field, f.message, record_key(f)) for f in findings if f.code in WITHIN_TABLE}


def _three_paths(fields: dict) -> tuple[set, set, set]:
    """Within-table findings of the event with these date fields: from YAML, from CSV, from Parquet."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "dataset"
        shutil.copytree(BASE, root)
        _with_dates(root, fields)
        result = validate_curated(root, check_coverage=False)
        curated = _within(result.report.findings, lambda f: f.record)
        rows = result.rows.rows["events"]
        assert [r["id"] for r in rows] == [EVENT_ID]
        table = to_arrow("events", rows)
        write_csv(table, Path(tmp) / "events.csv")
        write_parquet(table, Path(tmp) / "events.parquet")
        from_csv = _within(validate_table_file(Path(tmp) / "events.csv", "events").findings, lambda f: f.record)
        from_parquet = _within(validate_table_file(Path(tmp) / "events.parquet", "events").findings, lambda f: f.record)
    return curated, from_csv, from_parquet


def test_a_reversed_interval_reads_the_same_everywhere() -> None:
    fields = {"date_start": dt.date(2021, 12, 9), "date_end": dt.date(2021, 12, 1), "date_precision": "day", "date_basis": "stated"}
    expected = {("IW501", "date_end", "date_end 2021-12-01 is before date_start 2021-12-09", EVENT_ID)}
    assert _three_paths(fields) == (expected, expected, expected)


@settings(max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(start=DATES, end=DATES, precision=PRECISIONS, basis=BASES, note=NOTES)
def test_curated_csv_and_parquet_give_the_same_findings(start, end, precision, basis, note) -> None:
    fields = {"date_start": start, "date_end": end, "date_precision": precision, "date_basis": basis, "date_note": note}
    curated, from_csv, from_parquet = _three_paths(fields)
    assert curated == from_csv == from_parquet, (fields, curated, from_csv, from_parquet)
