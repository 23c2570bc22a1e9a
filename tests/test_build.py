"""The build: deterministic, atomic, readable by the tools users load it with."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from iraq_withdrawal.datasets import build as build_module
from iraq_withdrawal.datasets.build import build
from iraq_withdrawal.errors import BuildError, BuildRefused
from iraq_withdrawal.schema import CURRENT_VERSION
from iraq_withdrawal.schema.derive import arrow_schema, tables

from .conftest import BASE, invoke


def _digests(directory: Path) -> dict[str, str]:
    return {p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    build(BASE, tmp_path / "a", dataset_version="1.2.3")
    build(BASE, tmp_path / "b", dataset_version="1.2.3")
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")


def test_release_layout(built_release: Path) -> None:
    names = {p.name for p in built_release.iterdir()}
    for table in tables():
        assert f"{table}.parquet" in names and f"{table}.csv" in names
    assert {"datapackage.json", "SHA256SUMS", "sources"} <= names
    package = json.loads((built_release / "datapackage.json").read_text(encoding="utf-8"))
    assert package["schema_version"] == CURRENT_VERSION
    assert package["version"] == "0.0.0-test"


def test_sha256sums_is_checkable(built_release: Path) -> None:
    proc = subprocess.run(["sha256sum", "--check", "--quiet", "SHA256SUMS"], cwd=built_release, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_parquet_types_and_metadata(built_release: Path) -> None:
    import pyarrow.parquet as pq

    for table in tables():
        schema = pq.read_schema(built_release / f"{table}.parquet")
        assert schema.remove_metadata().equals(arrow_schema(table).remove_metadata()), table
        assert schema.metadata[b"schema_version"] == CURRENT_VERSION.encode()
        assert schema.field(0).metadata[b"description"]
        assert pq.ParquetFile(built_release / f"{table}.parquet").metadata.row_group(0).column(0).compression == "ZSTD"


def test_duckdb_and_polars_read_declared_types(built_release: Path) -> None:
    import duckdb
    import polars as pl

    events = duckdb.sql(f"select date_start, date_prec from '{built_release / 'events.parquet'}'")
    assert [str(t) for t in events.types] == ["DATE", "TINYINT"]
    places = pl.read_parquet(built_release / "places.parquet")
    assert places.schema["where_prec"] == pl.Int8
    actors = pl.read_parquet(built_release / "actors.parquet")
    assert actors.schema["aliases_ar"] == pl.List(pl.String)


def test_frictionless_validates_release(built_release: Path) -> None:
    from frictionless import validate

    report = validate(str(built_release / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_csv_is_rfc4180_utf8(built_release: Path) -> None:
    raw = (built_release / "events.csv").read_bytes()
    raw.decode("utf-8")
    assert raw.count(b"\r\n") >= 2 and b"\n" not in raw.replace(b"\r\n", b"")
    assert b"2021-12-09" in raw


def test_build_refuses_invalid_data_and_writes_nothing(base_copy: Path, tmp_path: Path) -> None:
    (base_copy / "curated" / "extra.yaml").write_text("actors:\n  - id: act-x\n", encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(BuildRefused):
        build(base_copy, out)
    assert not out.exists()
    result = invoke("build", str(base_copy), "--out", str(out))
    assert result.exit_code == 1
    assert "nothing was written" in result.output
    assert not out.exists()


def test_failing_build_leaves_previous_output_intact(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    build(BASE, out, dataset_version="1")
    before = _digests(out)

    def explode(*args, **kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(build_module, "write_csv", explode)
    with pytest.raises(OSError):
        build(BASE, out, dataset_version="2")
    assert _digests(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "temporary directory left behind"


def test_build_refuses_to_replace_unrelated_directory(tmp_path: Path) -> None:
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.tex").write_text("x", encoding="utf-8")
    result = invoke("build", str(BASE), "--out", str(out))
    assert result.exit_code == 1
    assert (out / "thesis.tex").read_text(encoding="utf-8") == "x"


def test_evidence_offsets_index_the_source(built_release: Path) -> None:
    import pyarrow.parquet as pq

    text = (built_release / "sources" / "src-fixture.txt").read_text(encoding="utf-8")
    for row in pq.read_table(built_release / "evidence.parquet").to_pylist():
        assert text[row["char_start"]:row["char_end"]] == row["quote"]


def test_candidates_warn_fail_strict_and_block_the_build(base_copy: Path, tmp_path: Path) -> None:
    """Unreviewed drafts of add-source are visible in CI and never released."""
    fixture = BASE.parent / "rules" / "IW604-unreviewed-candidate" / "candidates"
    (base_copy / "candidates").mkdir()
    (base_copy / "candidates" / "src-fixture.yaml").write_bytes((fixture / "src-fixture.yaml").read_bytes())
    plain = invoke("validate", str(base_copy))
    assert plain.exit_code == 0
    assert "warning IW604 Unreviewed candidate record" in plain.output
    assert "note: unreviewed candidates per source: src-fixture 1" in plain.output
    assert invoke("validate", str(base_copy), "--strict").exit_code == 1
    out = tmp_path / "out"
    with pytest.raises(BuildRefused, match="1 unreviewed candidate record"):
        build(base_copy, out)
    assert not out.exists()
    refused = invoke("build", str(base_copy), "--out", str(out))
    assert refused.exit_code == 1 and "unreviewed candidate" in refused.output


def _set_first_cell(release: Path, table: str, column: str, value: str, forms: tuple[str, ...]) -> None:
    """Put ``value`` in the first row's ``column`` of the given forms (csv, parquet) of ``table``, and update the hashes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from iraq_withdrawal.io.tables import write_csv, write_parquet

    from .fixture_runner import rehash

    original = pq.read_table(release / f"{table}.parquet")
    field = original.schema.field(column)
    values = original.column(column).to_pylist()
    values[0] = value
    changed = original.set_column(original.schema.get_field_index(column), field, pa.array(values, field.type))
    for form in forms:
        (write_parquet if form == "parquet" else write_csv)(changed, release / f"{table}.{form}")
        rehash(release, f"{table}.{form}")


@pytest.mark.parametrize("forms", [("csv",), ("parquet",), ("parquet", "csv")])
def test_each_form_of_a_table_is_checked_unless_it_holds_what_passed(release_copy: Path, forms) -> None:
    """The table rules run once on a table whose two forms hold the same values; a form that differs is checked itself."""
    from iraq_withdrawal.validators.release import validate_release

    _set_first_cell(release_copy, "events", "status", "ocurred", forms)
    report = validate_release(release_copy / "datapackage.json")
    named = {Path(f.file).name for f in report.findings if f.field == "status"}
    assert named == {f"events.{form}" for form in forms}


# --- the build checks what its writers wrote ------------------------------------------------------


def _corrupt_writer(monkeypatch, name: str, table: str, values=None, data=None) -> None:
    """Make the build's ``name`` writer (write_csv, write_parquet) write ``table`` wrongly: ``values`` changes the
    arrow table it is given, ``data`` the bytes it wrote."""
    original = getattr(build_module, name)

    def corrupted(arrow_table, path: Path) -> None:
        if path.stem != table:
            return original(arrow_table, path)
        original(values(arrow_table) if values else arrow_table, path)
        if data:
            path.write_bytes(data(path.read_bytes()))
        return None

    monkeypatch.setattr(build_module, name, corrupted)


def _first_value(arrow_table, column: str, value):
    import pyarrow as pa

    field = arrow_table.schema.field(column)
    values = arrow_table.column(column).to_pylist()
    values[0] = value
    return arrow_table.set_column(arrow_table.schema.get_field_index(column), field, pa.array(values, field.type))


def _unquote_first_quoted_cell(data: bytes) -> bytes:
    """Drop the quotes of the first quoted cell after the header (it holds a comma or a quote: the row splits)."""
    start = data.index(b',"', data.index(b"\r\n")) + 1
    end = data.index(b'",', start + 1)
    return data[:start] + data[start + 1:end].replace(b'""', b'"') + data[end + 1:]


@pytest.mark.parametrize("writer, table, values, data, refused", [
    # values the table rules accept, in one form only: only reading the files back finds them
    ("write_csv", "events", lambda t: _first_value(t, "summary_en", "Something else happened."), None, BuildError),
    ("write_parquet", "actors", lambda t: _first_value(t, "description_en", "Someone else."), None, BuildError),
    # values the release rules reject
    ("write_parquet", "events", lambda t: _first_value(t, "status", "ocurred"), None, BuildRefused),
    ("write_csv", "events", lambda t: _first_value(t, "status", "ocurred"), None, BuildRefused),
    # CSV that does not read back: an impossible date (Arrow's strptime would take it for 2021-12-01), a row that splits
    ("write_csv", "events", None, lambda data: data.replace(b",2021-12-09,", b",2021-11-31,", 1), BuildRefused),
    ("write_csv", "events", None, _unquote_first_quoted_cell, BuildRefused),
], ids=["csv-other-value", "parquet-other-value", "parquet-bad-status", "csv-bad-status", "csv-impossible-date", "csv-unquoted"])
def test_a_writer_that_gets_a_table_wrong_stops_the_build(tmp_path: Path, monkeypatch, writer, table, values, data, refused) -> None:
    out = tmp_path / "out"
    _corrupt_writer(monkeypatch, writer, table, values, data)
    with pytest.raises(refused) as raised:
        build(BASE, out, dataset_version="1")
    assert "nothing was written" in str(raised.value)
    assert list(tmp_path.iterdir()) == [], "the release or its temporary directory was left behind"
