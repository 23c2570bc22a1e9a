"""Releases: immutable, registered, downloadable, diffable."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from pathlib import Path

import pytest

from iraq_withdrawal.datasets import load as load_module
from iraq_withdrawal.datasets.diff import diff_releases
from iraq_withdrawal.datasets.release import make_registry, release
from iraq_withdrawal.errors import DownloadFailed, ReleaseError, UsageError
from iraq_withdrawal.io.data_paths import registry_path, releases_root
from iraq_withdrawal.io.releases import read_registry, released_versions

from .conftest import BASE, FIXTURES, REPO, invoke


def _overlay(tmp_path: Path, name: str, overlay: Path | None) -> Path:
    target = tmp_path / name
    shutil.copytree(BASE, target)
    if overlay is not None:
        shutil.copytree(overlay, target, dirs_exist_ok=True)
    return target


@pytest.fixture
def releases(tmp_path: Path) -> Path:
    """releases/7.0.0 from the diff fixture 'old' and releases/7.1.0 from 'new'."""
    out = tmp_path / "releases"
    registry = tmp_path / "registry.txt"
    release("7.0.0", _overlay(tmp_path, "old", FIXTURES / "diff" / "old"), out, registry)
    release("7.1.0", _overlay(tmp_path, "new", FIXTURES / "diff" / "new"), out, registry)
    return out


def test_release_refuses_existing_and_older_versions(releases: Path, tmp_path: Path) -> None:
    registry = tmp_path / "registry.txt"
    before = registry.read_text(encoding="utf-8")
    with pytest.raises(ReleaseError, match="already exists"):
        release("7.1.0", BASE, releases, registry)
    with pytest.raises(ReleaseError, match="not newer"):
        release("7.0.5", BASE, releases, registry)
    with pytest.raises(UsageError, match="MAJOR.MINOR.PATCH"):
        release("v2", BASE, releases, registry)
    assert registry.read_text(encoding="utf-8") == before
    result = invoke("release", "7.1.0", "--dataset", str(BASE), "--releases", str(releases), "--registry", str(registry))
    assert result.exit_code == 2
    assert "releases are immutable" in result.output


def test_registry_lists_every_file_sorted(releases: Path, tmp_path: Path) -> None:
    entries = read_registry(tmp_path / "registry.txt")
    assert "7.0.0/events.parquet" in entries and "7.1.0/sources/src-fixture.txt" in entries
    assert list(entries) == sorted(entries)
    assert released_versions(releases) == ["7.0.0", "7.1.0"]


def test_shipped_releases_match_the_shipped_registry() -> None:
    """Fails if any released file changes after its release."""
    assert make_registry(REPO / "datasets" / "releases") == (registry_path().read_text(encoding="utf-8") if registry_path().is_file() else "")


def test_each_shipped_release_rebuilds_byte_identical(tmp_path: Path) -> None:
    from iraq_withdrawal.datasets.build import build

    versions = released_versions(REPO / "datasets" / "releases")
    if not versions:
        pytest.skip("no release shipped yet")
    newest = versions[-1]
    import pyarrow.parquet as pq

    from iraq_withdrawal.schema import CURRENT_VERSION

    declared = json.loads((REPO / "datasets" / "releases" / newest / "datapackage.json").read_text(encoding="utf-8"))["schema_version"]
    if declared != CURRENT_VERSION:
        # the curated data has moved on to a newer schema, which the build writes; the
        # next release (of CURRENT_VERSION) is the one the data must rebuild
        pytest.skip(f"release {newest} is of schema {declared}; the curated data is of schema {CURRENT_VERSION}, not yet released")
    build(REPO / "datasets", tmp_path / newest, dataset_version=newest)
    released = REPO / "datasets" / "releases" / newest
    same_writer = pq.ParquetFile(released / "events.parquet").metadata.created_by == \
        pq.ParquetFile(tmp_path / newest / "events.parquet").metadata.created_by
    for path in sorted(p for p in released.rglob("*") if p.is_file()):
        rebuilt = tmp_path / newest / path.relative_to(released)
        if path.suffix == ".parquet" and not same_writer:
            # another pyarrow writes other bytes; the rows and types must still be the same
            assert pq.read_table(rebuilt).equals(pq.read_table(path), check_metadata=True), path.name
        elif path.name in ("datapackage.json", "SHA256SUMS") and not same_writer:
            continue  # they hold the Parquet files' hashes
        else:
            assert rebuilt.read_bytes() == path.read_bytes(), path.name


def test_diff_classifies_added_retired_changed(releases: Path) -> None:
    result = diff_releases(releases / "7.0.0", releases / "7.1.0")
    actors = next(t for t in result.tables if t.table == "actors")
    assert actors.added == ["act-national-security-adviser"]
    assert actors.retired == [{"id": "act-qasim-al-araji", "reason": "split by mistake; merged into act-national-security-adviser",
                               "replaced_by": "act-national-security-adviser"}]
    assert actors.vanished == []
    figures = next(t for t in result.tables if t.table == "figures")
    assert figures.changed == {"fig-fixture-001": {"counted_en": ("years of war on the Islamic State organisation",
                                                                   "years of the war on the Islamic State organisation")}}
    evidence = next(t for t in result.tables if t.table == "evidence")
    assert "act-national-security-adviser/1" in evidence.added


def test_diff_reports_vanished_ids(releases: Path, tmp_path: Path) -> None:
    from iraq_withdrawal.datasets.build import build

    build(BASE, tmp_path / "plain", dataset_version="9.9.9")
    result = diff_releases(releases / "7.0.0", tmp_path / "plain")
    actors = next(t for t in result.tables if t.table == "actors")
    assert actors.vanished == ["act-qasim-al-araji"]


def test_diff_cli_text_json_markdown(releases: Path) -> None:
    text = invoke("diff", str(releases / "7.0.0"), str(releases / "7.1.0"))
    assert text.exit_code == 0
    assert "actors: 1 added, 1 retired, 0 vanished, 0 removed, 0 changed" in text.output
    retired = "  - act-qasim-al-araji (retired: split by mistake; merged into act-national-security-adviser; replaced by act-national-security-adviser)"
    assert retired in text.output
    assert '      counted_en: "years of war on the Islamic State organisation" -> "years of the war on the Islamic State organisation"' in text.output
    as_json = json.loads(invoke("diff", str(releases / "7.0.0"), str(releases / "7.1.0"), "--format", "json").output)
    assert as_json["tables"]["actors"]["retired"][0]["id"] == "act-qasim-al-araji"
    notes = invoke("diff", str(releases / "7.0.0"), str(releases / "7.1.0"), "--markdown").output
    assert notes.startswith("### Data changes from 7.0.0\n")
    assert "- `actors`: 1 added, 1 retired" in notes


def test_later_release_validates_with_retired_ids(releases: Path) -> None:
    assert invoke("validate", str(releases / "7.1.0")).exit_code == 0


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def server(releases: Path):
    """Serve the releases directory on loopback; yields the base URL."""
    handler = functools.partial(_Quiet, directory=str(releases))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def use_registry(tmp_path: Path, monkeypatch, releases: Path) -> None:
    monkeypatch.setattr(load_module, "read_registry", lambda: read_registry(tmp_path / "registry.txt"))


@pytest.mark.slow  # starts a server or a browser
def test_download_verifies_and_caches(server: str, tmp_path: Path, use_registry, monkeypatch) -> None:
    dest = tmp_path / "cache"
    directory = load_module.download("7.1.0", dest=dest, base_url=server)
    assert (directory / "events.parquet").is_file()
    assert invoke("validate", str(directory)).exit_code == 0
    frame = load_module.load("actors", version="7.1.0", base_url=server, cache=dest)
    assert "act-national-security-adviser" in set(frame["id"])
    # a second load needs no server: everything is cached and verified
    assert len(load_module.load("events", version="7.1.0", base_url="http://127.0.0.1:9", cache=dest, engine="arrow")) == 1


@pytest.mark.slow  # starts a server or a browser
def test_download_refuses_a_tampered_file(server: str, releases: Path, tmp_path: Path, use_registry) -> None:
    path = releases / "7.0.0" / "events.csv"
    path.write_bytes(path.read_bytes().replace(b"occurred", b"announced"))
    with pytest.raises(DownloadFailed, match="(?i)hash"):
        load_module.download("7.0.0", dest=tmp_path / "cache", base_url=server)
    assert not (tmp_path / "cache" / "7.0.0" / "events.csv").exists()


@pytest.mark.slow  # starts a server or a browser
def test_download_cli_exit_codes(server: str, releases: Path, tmp_path: Path, use_registry) -> None:
    ok = invoke("download", "7.1.0", "--dest", str(tmp_path / "c1"), "--base-url", server)
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith("7.1.0: verified and stored in ")
    unknown = invoke("download", "9.0.0", "--dest", str(tmp_path / "c2"), "--base-url", server)  # in no registry
    assert unknown.exit_code == 2
    not_a_version = invoke("download", "abc", "--dest", str(tmp_path / "c4"), "--base-url", server)
    assert not_a_version.exit_code == 2, not_a_version.output  # a usage error, not a failed download
    assert "MAJOR.MINOR.PATCH" in not_a_version.output
    path = releases / "7.1.0" / "actors.csv"
    path.write_bytes(path.read_bytes() + b"tampered\r\n")
    bad = invoke("download", "7.1.0", "--dest", str(tmp_path / "c3"), "--base-url", server)
    assert bad.exit_code == 1
    assert "hash" in bad.output.lower()


def test_load_engines_offline(monkeypatch, releases: Path) -> None:
    monkeypatch.setattr(load_module, "releases_root", lambda: releases)
    frame = load_module.load("places")
    assert str(frame["where_prec"].dtype) == "Int8"
    assert load_module.load("places", engine="arrow").schema.field("where_prec").type == "int8"
    assert load_module.load("places", engine="polars").height == 1
    with pytest.raises(ValueError):
        load_module.load("riots")


def test_shipped_release_loads_offline() -> None:
    import iraq_withdrawal

    if not released_versions(releases_root()):
        pytest.skip("no release shipped yet")
    events = iraq_withdrawal.load("events")
    assert len(events) > 0 and events["id"].is_unique


@pytest.mark.slow  # builds a wheel with pip
def test_wheel_carries_the_data(tmp_path: Path) -> None:
    """The wheel holds the curated data, the source texts, the schema documents, the releases and the registry,
    so `validate` and `load()` work offline after `pip install` (no checkout needed)."""
    import subprocess
    import sys
    import zipfile

    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    wheel = next(tmp_path.glob("iraq_withdrawal-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode("utf-8")
    assert "License-Expression: MIT AND CC-BY-4.0" in metadata  # code and data licences both travel with the wheel
    assert "License-File: LICENSE-DATA.md" in metadata  # which says the article texts are covered by neither
    assert "iraq_withdrawal/registry.txt" in names
    assert "iraq_withdrawal/_data/sources/sources.yaml" in names
    assert "iraq_withdrawal/_data/curated/events.yaml" in names
    assert "iraq_withdrawal/_data/schema/1.0.0/tables/events.schema.json" in names
    for entry in read_registry():
        assert f"iraq_withdrawal/_data/releases/{entry}" in names, entry
