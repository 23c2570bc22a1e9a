"""Integrity: an interrupted build leaves nothing half-written, Parquet pages are checksummed
and checked on reading, and the CSV export writes every value as it is.

Flipped bytes and Parquet: the build writes page checksums (CRC32) and
``io.tables.read_parquet`` reads with ``page_checksum_verification``, so a flipped
byte inside a data page is IW108. Without verification pyarrow 26 returns some such
pages silently with other values (observed for ``evidence.char_start``), which is what
:func:`test_flipped_page_byte_is_caught_by_the_page_checksum` guards against.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from iraq_withdrawal.datasets import build as build_module
from iraq_withdrawal.datasets.build import build
from iraq_withdrawal.io.tables import read_parquet

from .conftest import BASE, invoke
from .fixture_runner import rehash


def _digests(directory: Path) -> dict[str, str]:
    return {p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def _fail_on_call(monkeypatch, name: str, n: int, error: BaseException) -> list:
    """Make ``build_module.<name>`` raise ``error`` on its n-th call (the earlier calls write normally)."""
    original = getattr(build_module, name)
    calls: list = []

    def wrapper(*args, **kwargs):
        calls.append(args[-1])
        if len(calls) == n:
            raise error
        return original(*args, **kwargs)

    monkeypatch.setattr(build_module, name, wrapper)
    return calls


@pytest.mark.parametrize("error", [OSError("disk full (simulated)"), KeyboardInterrupt()], ids=["oserror", "interrupt"])
def test_failure_while_writing_the_fifth_parquet_keeps_the_previous_build(tmp_path: Path, monkeypatch, error) -> None:
    out = tmp_path / "out"
    build(BASE, out, dataset_version="1")
    before = _digests(out)
    calls = _fail_on_call(monkeypatch, "write_parquet", 5, error)
    with pytest.raises(type(error)):
        build(BASE, out, dataset_version="2")
    assert len(calls) == 5 and Path(calls[-1]).name == "event_actors.parquet"
    assert _digests(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"], "temporary directory left behind"


def test_interrupt_while_writing_the_manifest_of_a_first_build_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    original = build_module.datapackage

    def interrupted(*args, **kwargs):
        original(*args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "datapackage", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(BASE, out, dataset_version="1")
    assert list(tmp_path.iterdir()) == []


def test_interrupted_csv_write_keeps_the_previous_build(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    build(BASE, out, dataset_version="1")
    before = _digests(out)
    _fail_on_call(monkeypatch, "write_csv", 3, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        build(BASE, out, dataset_version="2")
    assert _digests(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_interrupt_while_swapping_directories_keeps_a_build_in_place(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    build(BASE, out, dataset_version="1")
    before = _digests(out)
    real_replace = os.replace
    calls: list = []

    def replace(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_replace(src, dst)

    monkeypatch.setattr(build_module.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        build(BASE, out, dataset_version="2")
    monkeypatch.undo()
    assert out.is_dir() and _digests(out) == before


# --- Parquet page checksums ------------------------------------------------------------------


def _flip_in_last_page(path: Path, column: str, back: int = 2) -> bytes:
    import pyarrow.parquet as pq

    metadata = pq.ParquetFile(path).metadata
    index = metadata.schema.names.index(column)
    chunk = metadata.row_group(0).column(index)
    start = chunk.dictionary_page_offset or chunk.data_page_offset
    data = bytearray(path.read_bytes())
    data[start + chunk.total_compressed_size - back] ^= 0xFF
    return bytes(data)


def test_flipped_page_byte_is_caught_by_the_page_checksum(tmp_path: Path, built_release: Path) -> None:
    import pyarrow.parquet as pq

    release = tmp_path / "release"
    shutil.copytree(built_release, release)
    path = release / "evidence.parquet"
    original = pq.read_table(path)
    path.write_bytes(_flip_in_last_page(path, "char_start"))

    with pytest.raises(OSError, match="CRC"):
        pq.ParquetFile(path, page_checksum_verification=True).read()
    try:  # what a reader that does not verify gets: an error, or other values
        unverified = pq.ParquetFile(path, page_checksum_verification=False).read()
    except Exception:  # noqa: BLE001 - an unverified read may fail in any way; that is one of the outcomes observed
        unverified = None
    assert unverified is None or not unverified.equals(original)

    result = read_parquet(path, "evidence", "evidence.parquet")
    assert result.table is None and [f.code for f in result.findings] == ["IW108"]
    assert "CRC" in result.findings[0].message

    rehash(release, "evidence.parquet")  # SHA256SUMS and datapackage.json vouch for the flipped file: only the checksum can tell
    report = json.loads(invoke("validate", str(release), "--format", "json").output)
    assert report["counts_by_code"] == {"IW108": 1}, report["counts_by_code"]
    assert report["findings"][0]["file"].endswith("evidence.parquet")


def test_the_checksum_comes_from_the_writer(tmp_path: Path, built_release: Path) -> None:
    """Control: the same flip in a file written without page checksums is not caught by verification."""
    import pyarrow.parquet as pq

    path = tmp_path / "evidence.parquet"
    pq.write_table(pq.read_table(built_release / "evidence.parquet"), path, compression="zstd", write_page_checksum=False)
    path.write_bytes(_flip_in_last_page(path, "char_start"))
    try:
        pq.ParquetFile(path, page_checksum_verification=True).read()
    except OSError as exc:
        assert "CRC" not in str(exc)


# --- the CSV export writes values as they are ---------------------------------------------


def test_formula_like_cells_are_exported_as_is_and_flagged(tmp_path: Path) -> None:
    dataset = tmp_path / "dataset"
    shutil.copytree(BASE, dataset)
    actors = dataset / "curated" / "actors.yaml"
    values = {"name_en: Iraqi government": "name_en: '=HYPERLINK(\"http://example.invalid\",\"x\")'",
              "description_en: Head of the Iraqi government": "description_en: '+1 head'",
              "name_en: The coalition led by the United States": "name_en: '@coalition'"}
    text = actors.read_text(encoding="utf-8")
    for old, new in values.items():
        text = text.replace(old, new)
    actors.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    build(dataset, out, dataset_version="1")

    csv_bytes = (out / "actors.csv").read_bytes()
    assert b'"=HYPERLINK(""http://example.invalid"",""x"")"' in csv_bytes
    assert b",+1 head," in csv_bytes and b",@coalition," in csv_bytes
    assert b"'=" not in csv_bytes and b"'+" not in csv_bytes, "no quote prefix or other escaping is added"
    parquet = read_parquet(out / "actors.parquet", "actors", "actors.parquet").table
    assert '=HYPERLINK("http://example.invalid","x")' in parquet.column("name_en").to_pylist()

    result = invoke("validate", str(out), "--format", "json")
    assert result.exit_code == 0
    flagged = {(f["file"].rsplit("/", 1)[-1], f["field"]) for f in json.loads(result.output)["findings"] if f["code"] == "IW305"}
    assert {("actors.parquet", "name_en"), ("actors.parquet", "description_en")} <= flagged
    assert invoke("validate", str(out), "--strict").exit_code == 1
    assert invoke("validate", str(out / "actors.csv"), "--strict").exit_code == 1
