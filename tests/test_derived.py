"""What users derive: tables written by pandas, polars and DuckDB, subsets, folders of tables, and the defaults
a contributor meets in a checkout (issue #11)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import iraq_withdrawal
from iraq_withdrawal.errors import ReleaseError, UsageError
from iraq_withdrawal.validators.dispatch import validate_path

from .conftest import BASE, invoke

EVT = "evt-2021-12-coalition-combat-mission-end"


def _events(release: Path) -> pd.DataFrame:
    return pd.read_parquet(release / "events.parquet")


def _found(report) -> list[tuple]:
    return sorted((f.code, f.row, f.field, f.message) for f in report)


def test_same_derived_table_as_csv_and_parquet_gives_the_same_findings(tmp_path: Path, built_release: Path) -> None:
    events = pd.concat([_events(built_release)] * 2, ignore_index=True)
    events["year"] = 2021
    events.loc[1, "status"] = "Occurred"
    iraq_withdrawal.write_table(events, tmp_path / "events.csv")
    iraq_withdrawal.write_table(events, tmp_path / "events.parquet")
    csv_report, parquet_report = validate_path(tmp_path / "events.csv"), validate_path(tmp_path / "events.parquet")
    expected = [
        ("IW114", None, "year", "column 'year' is not part of the events table; it was not checked"),
        ("IW301", 2, "id", f"primary key (id) value '{EVT}' is not unique: it first appears at row 1"),
        ("IW303", 2, "status", "'status' must be one of occurred, ongoing, announced, planned, threatened, denied, speculated "
                               "(got 'Occurred'); did you mean 'occurred'?"),
    ]
    assert _found(parquet_report) == expected
    csv_expected = [e if e[0] != "IW301" else (*e[:3], e[3].replace("row 1", "line 2")) for e in expected]
    assert _found(csv_report) == csv_expected
    assert [f.line for f in csv_report] == [1, 3, 3]
    assert [f.severity.value for f in csv_report] == ["warning", "error", "error"]


def test_extra_column_is_a_warning_and_fails_only_with_strict(tmp_path: Path, built_release: Path) -> None:
    events = _events(built_release)
    events["year"] = 2021
    for suffix in (".csv", ".parquet"):
        path = iraq_withdrawal.write_table(events, tmp_path / f"events{suffix}")
        assert invoke("validate", str(path)).exit_code == 0
        assert invoke("validate", str(path), "--strict").exit_code == 1


def test_subset_of_columns_passes(tmp_path: Path, built_release: Path) -> None:
    """Analysts drop the optional columns they do not need; what is left is checked, nothing is invented."""
    events = _events(built_release)[["id", "event_type", "event_subtype", "status", "summary_en", "summary_ar"]]
    for suffix in (".csv", ".parquet"):
        report = validate_path(iraq_withdrawal.write_table(events, tmp_path / f"events{suffix}"))
        assert _found(report) == [] and report.checked == {"rows": 1}


def test_missing_required_column_is_an_error_and_the_rest_is_still_checked(tmp_path: Path, built_release: Path) -> None:
    events = _events(built_release).drop(columns=["summary_en", "source_ids"])  # pandas writes lists as reprs (another test)
    events.loc[0, "status"] = "ocurred"
    events.to_csv(tmp_path / "events.csv", index=False)
    result = invoke("validate", str(tmp_path / "events.csv"))
    assert result.exit_code == 1
    assert "events.csv:1: error IW109 Column missing, repeated or of the wrong type (field summary_en)\n" \
           "    column 'summary_en' is missing (the column is required)\n" \
           "    hint: Add the column 'summary_en': every events row needs it (see the codebook).\n" in result.output
    assert "(got 'ocurred'); did you mean 'occurred'?" in result.output


def test_pandas_written_list_names_the_writer_in_its_hint(tmp_path: Path, built_release: Path) -> None:
    actors = pd.read_parquet(built_release / "actors.parquet")
    actors.to_csv(tmp_path / "actors.csv", index=False)  # NumPy arrays, as read from Parquet
    report = validate_path(tmp_path / "actors.csv")
    first = next(iter(report))
    assert (first.code, first.line, first.field) == ("IW113", 2, "aliases_ar")
    assert first.message == ("'['التحالف الدولي']' is a Python list as pandas writes it, not a JSON array of strings: "
                             "write it as [\"التحالف الدولي\"]")
    assert "iraq_withdrawal.write_table(df, path, table=...)" in first.hint


def test_duckdb_written_list_says_how_to_fix_it(tmp_path: Path, built_release: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    target = tmp_path / "actors.csv"
    duckdb.connect().execute(f"COPY (SELECT * FROM '{built_release / 'actors.parquet'}') TO '{target}'")
    first = next(iter(validate_path(target)))
    assert first.message == "'[التحالف الدولي]' is a list as DuckDB writes it, not a JSON array of strings: write it as [\"التحالف الدولي\"]"
    assert "DuckDB `to_json(c)`" in first.hint


def test_write_table_from_pandas_and_polars_is_valid(tmp_path: Path, built_release: Path) -> None:
    polars = pytest.importorskip("polars")
    frames = {"pandas": pd.read_parquet(built_release / "actors.parquet"), "polars": polars.read_parquet(built_release / "actors.parquet")}
    for name, frame in frames.items():
        for suffix in (".csv", ".parquet"):
            path = iraq_withdrawal.write_table(frame, tmp_path / name / f"actors{suffix}")
            assert _found(validate_path(path)) == [], (name, suffix)
    events = _events(built_release)
    events["date_start"] = pd.to_datetime(events["date_start"])  # what pandas makes of dates
    path = iraq_withdrawal.write_table(events, tmp_path / "events.parquet")
    assert pq.read_schema(path).field("date_start").type == pa.date32()
    with pytest.raises(UsageError, match="events.csv: column 'status' is missing"):
        iraq_withdrawal.write_table(events.drop(columns=["status"]), tmp_path / "events.csv")
    assert not (tmp_path / "events.csv").exists()


def test_three_fault_parquet_reports_all_three(tmp_path: Path, built_release: Path) -> None:
    """Timestamp dates, a bad vocabulary value and a duplicated id: all in one run."""
    table = pq.read_table(built_release / "events.parquet")
    table = pa.concat_tables([table, table])
    i = table.schema.get_field_index("date_start")
    table = table.set_column(i, pa.field("date_start", pa.timestamp("ns")), pa.array([dt.datetime(2021, 12, 9)] * 2, pa.timestamp("ns")))
    i = table.schema.get_field_index("status")
    table = table.set_column(i, "status", pa.array(["occurred", "Occurred"]))
    pq.write_table(table, tmp_path / "events.parquet")
    report = validate_path(tmp_path / "events.parquet")
    assert [(f.code, f.row, f.field) for f in report] == [("IW109", None, "date_start"), ("IW301", 2, "id"), ("IW303", 2, "status")]
    assert next(iter(report)).message == ("column 'date_start' is stored as timestamp[ns], expected date32[day]; "
                                          "its values were checked as dates")


def test_timestamp_with_a_time_of_day_is_left_unchecked_not_invented(tmp_path: Path, built_release: Path) -> None:
    table = pq.read_table(built_release / "events.parquet")
    i = table.schema.get_field_index("date_end")
    table = table.set_column(i, pa.field("date_end", pa.timestamp("s")), pa.array([dt.datetime(2021, 12, 1, 13)], pa.timestamp("s")))
    pq.write_table(table, tmp_path / "events.parquet")
    report = validate_path(tmp_path / "events.parquet")
    assert [(f.code, f.field) for f in report] == [("IW109", "date_end")]  # no IW501 from a date the file never held
    assert next(iter(report)).message.endswith("1 value(s) with a time of day were left unchecked")


def test_folder_of_derived_tables_checks_foreign_keys_between_them(tmp_path: Path, built_release: Path) -> None:
    folder = tmp_path / "subset"
    folder.mkdir()
    shutil.copyfile(built_release / "events.csv", folder / "events.csv")
    links = pd.read_parquet(built_release / "event_actors.parquet")
    links.loc[0, "event"] = "evt-not-in-the-subset"
    iraq_withdrawal.write_table(links, folder / "event_actors.parquet")
    result = invoke("validate", str(folder))
    assert result.exit_code == 1
    assert result.output.startswith(
        "subset/event_actors.parquet row 1: error IW302 Reference to an id that does not exist (record evt-not-in-the-subset field event)\n"
        "    'event' refers to 'evt-not-in-the-subset', which is not in events (subset/events.csv)\n")
    assert "note: event_actors.actor refers to actors, which is not in the folder: not checked\n" in result.output
    links.loc[0, "event"] = EVT
    iraq_withdrawal.write_table(links, folder / "event_actors.parquet")
    assert invoke("validate", str(folder)).exit_code == 0


def test_folder_without_tables_cannot_start(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    result = invoke("validate", str(tmp_path))
    assert result.exit_code == 2
    assert "nor a folder of tables (files named <table>.csv or <table>.parquet, e.g. events.csv)" in result.output


def _checkout(root: Path) -> Path:
    """A repository checkout: datasets/curated and datasets/sources."""
    shutil.copytree(BASE, root / "datasets")
    return root


def test_commands_default_to_the_working_tree_inside_a_checkout(tmp_path: Path, monkeypatch) -> None:
    repo = _checkout(tmp_path / "repo")
    (repo / "datasets" / "curated" / "places.yaml").write_text(
        (repo / "datasets" / "curated" / "places.yaml").read_text(encoding="utf-8").replace("where_prec: 6", "where_prec: 9"), encoding="utf-8")
    (repo / "docs").mkdir()
    monkeypatch.chdir(repo / "docs")
    result = invoke("validate")
    assert result.exit_code == 1  # the edit is seen
    assert "datasets/curated/places.yaml:7: error IW203" in result.output
    assert "note: checked the working tree's dataset (../datasets)\n" in result.output
    stats = invoke("stats", "--format", "json")
    assert json.loads(stats.stdout)["valid"] is False


def test_release_in_a_checkout_writes_into_its_datasets_releases(tmp_path: Path, monkeypatch) -> None:
    repo = _checkout(tmp_path / "repo")
    monkeypatch.chdir(repo / "datasets")
    result = invoke("release", "0.1.0")
    assert result.exit_code == 0, result.output
    assert (repo / "datasets" / "releases" / "0.1.0" / "datapackage.json").is_file()
    registry = (repo / "src" / "iraq_withdrawal" / "registry.txt").read_text(encoding="utf-8")
    assert "0.1.0/events.parquet " in registry
    assert "git tag -a v0.1.0 -m 'Release 0.1.0' && git push origin v0.1.0" in result.output


def test_release_refuses_site_packages_and_places_outside_a_checkout(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ReleaseError, match="release writes into a checkout of the repository"):
        iraq_withdrawal.datasets.release.release("0.1.0", BASE)
    installed = tmp_path / "lib" / "python3.11" / "site-packages" / "iraq_withdrawal"
    result = invoke("release", "0.1.0", "--dataset", str(BASE), "--releases", str(installed / "_data" / "releases"),
                    "--registry", str(installed / "registry.txt"))
    assert result.exit_code == 2
    assert result.output == ("Error: --releases points into an installed package (releases); releases are written into a checkout "
                             "of the repository, never into site-packages\n")
    assert not installed.exists()


def test_stats_on_a_release(built_release: Path) -> None:
    result = invoke("stats", str(built_release))
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "records per table: sources 1, actors 3, places 1, events 1, statements 1, figures 1"
    assert result.output.splitlines()[2] == "src-fixture\t1\t3\t1\t1\t1\t1\t-"


def test_diff_markdown_lists_records_and_fields(tmp_path: Path, built_release: Path) -> None:
    new = tmp_path / "new"
    shutil.copytree(built_release, new)
    actors = pq.read_table(new / "actors.parquet")
    i = actors.schema.get_field_index("name_en")
    names = actors.column("name_en").to_pylist()
    actors = actors.set_column(i, actors.schema.field(i), pa.array(["The coalition"] + names[1:], pa.string()))
    pq.write_table(actors, new / "actors.parquet")
    result = invoke("diff", str(built_release), str(new), "--markdown")
    assert result.output == ("### Data changes from 0.0.0-test\n\n- `actors`: 1 changed\n  - changed `act-global-coalition`\n"
                             f"    - `name_en`: `{json.dumps(names[0])}` → `\"The coalition\"`\n")


def test_schema_diff_error_names_versions_not_paths() -> None:
    result = invoke("schema", "diff", "1.0.0", "9.9.9")
    assert result.exit_code == 2
    assert result.output == "Error: schema version '9.9.9' is not published (published: 1.0.0, 1.1.0); give a version or a schema/<version>/ directory\n"


def test_no_shipped_default_outside_a_checkout_stops(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("validate", "--no-shipped-default")
    assert result.exit_code == 2
    assert result.output.startswith("Error: say what to validate: no PATH was given")
    assert os.getcwd() == str(tmp_path)


def test_a_list_cell_like_a_numpy_array_but_not_one_is_a_finding(tmp_path: Path, built_release: Path) -> None:
    """Items in quotes separated by spaces, one holding a line break (which repr() never writes): a finding, not a traceback."""
    actors = pd.read_parquet(built_release / "actors.parquet")
    actors["aliases_ar"] = ['["a\nb" "c"]'] * len(actors)
    actors.to_csv(tmp_path / "actors.csv", index=False)
    first = next(iter(validate_path(tmp_path / "actors.csv")))
    assert (first.code, first.line, first.field) == ("IW113", 2, "aliases_ar")
    assert invoke("validate", str(tmp_path / "actors.csv")).exit_code == 1
