"""Hostile and broken inputs: validation never crashes, hangs, goes online or reads outside.

Every directory ``tests/hostile/<case>/`` is one case, laid out and run by
``tests/fixture_runner.py`` (which describes the kinds of case and ``expect.txt``).

For every case the test also checks that the exit code is 0 or 1 (2 is only for a
command that cannot start), that the output is a JSON report (an exception would fail
the test: the CLI runs with ``catch_exceptions=False``), that every finding names a file
and has a hint, that no socket is used, and that no file outside the validated
directory (or file) is opened: Python-level opens through an audit hook, Parquet reads
through wrappers around pyarrow's readers.

The 200 MB junk files are generated at test time (:func:`test_junk_fails_fast_in_bounded_memory`).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import invoke
from .fixture_runner import BASE, check_report, edit_descriptor, expectations, prepare, set_resource

HOSTILE = Path(__file__).parent / "hostile"
CASES = sorted(p for p in HOSTILE.iterdir() if p.is_dir())
_LIBRARIES = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)} | {
    Path(__file__).resolve().parents[1] / "src"
}


# --- what a run may touch --------------------------------------------------------------


class NetworkCall(BaseException):
    """Raised by the patched socket functions; a BaseException so no ``except Exception`` can hide it."""


class _Recorder:
    active: list | None = None


def _audit(event: str, args: tuple) -> None:
    if _Recorder.active is None:
        return
    if event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes, os.PathLike)):
        _Recorder.active.append((event, os.fsdecode(args[0])))
    elif event.startswith("socket.") and event not in ("socket.__new__", "socket.sethostname"):
        _Recorder.active.append((event, repr(args)[:200]))


sys.addaudithook(_audit)


@contextmanager
def watched(monkeypatch):
    """Record every path opened and every socket use while validating; refuse all network access."""
    import pyarrow.parquet as pq

    record: list[tuple[str, str]] = []

    def refuse(*args, **kwargs):
        record.append(("network", repr(args)[:200]))
        raise NetworkCall(repr(args))

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)

    def recording(original):
        def wrapper(source, *args, **kwargs):
            if isinstance(source, (str, os.PathLike)):
                record.append(("parquet", os.fspath(source)))
            return original(source, *args, **kwargs)

        return wrapper

    class RecordingParquetFile(pq.ParquetFile):
        def __init__(self, source, *args, **kwargs):
            if isinstance(source, (str, os.PathLike)):
                record.append(("parquet", os.fspath(source)))
            super().__init__(source, *args, **kwargs)

    monkeypatch.setattr(pq, "ParquetFile", RecordingParquetFile)
    for name in ("read_table", "read_schema", "read_metadata"):
        monkeypatch.setattr(pq, name, recording(getattr(pq, name)))
    _Recorder.active = record
    try:
        yield record
    finally:
        _Recorder.active = None


def _inside(path: str, roots: list[Path]) -> bool:
    try:
        resolved = Path(path).resolve()
    except (OSError, RuntimeError):
        resolved = Path(os.path.abspath(path))
    return any(resolved == root or root in resolved.parents for root in roots)


def outside_reads(record: list[tuple[str, str]], target: Path) -> list[tuple[str, str]]:
    """Opens and listings of anything but the target and the installed libraries."""
    roots = [target.resolve(), *_LIBRARIES]
    return [(event, path) for event, path in record
            if event in ("open", "os.listdir", "os.scandir", "parquet") and not _inside(path, roots)
            and not path.startswith(("/dev/", "/proc/", "/sys/"))]


def network_uses(record: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(event, what) for event, what in record if event == "network" or event.startswith("socket.")]


# --- the corpus --------------------------------------------------------------------------


def test_corpus_is_not_empty() -> None:
    assert len(CASES) >= 60
    for case in CASES:
        assert (case / "expect.txt").is_file(), f"{case.name} has no expect.txt"


@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_hostile_case(case: Path, tmp_path: Path, built_release: Path, monkeypatch) -> None:
    target = prepare(case, tmp_path, built_release)
    exit_code, options, expected = expectations(case, target)
    with watched(monkeypatch) as record:
        result = invoke("validate", str(target), "--format", "json", *options)
    assert result.exit_code in (0, 1), f"exit {result.exit_code}: {result.output}"
    assert result.exit_code == exit_code, result.output
    report = json.loads(result.output)
    check_report(report, exit_code, expected, exact=False)
    assert all("HOSTILE-OUTSIDE-MARKER" not in f["message"] for f in report["findings"])
    assert not network_uses(record)
    assert not outside_reads(record, target), outside_reads(record, target)


# --- no network, no reads outside ----------------------------------------------------------

URLS = ["http://example.invalid/a.parquet", "https://example.invalid/a.csv", "s3://example-bucket/a.parquet",
        "gs://example-bucket/a.parquet", "ftp://example.invalid/a.csv", "file:///etc/passwd", "HTTPS://EXAMPLE.INVALID/x",
        "//example.invalid/share/a.csv", "hdfs://example.invalid:8020/a.parquet"]


def test_validation_makes_no_network_request(tmp_path: Path, built_release: Path, monkeypatch) -> None:
    release = tmp_path / "release"
    shutil.copytree(built_release, release)

    def edit(descriptor):
        resources = descriptor["resources"]
        by_name = {r["name"]: r for r in resources}
        for name, url in zip(["events-parquet", "actors-parquet", "places", "sources", "text-src-fixture"], URLS):
            by_name[name]["path"] = url
        resources.extend({"name": f"extra-{i}", "path": url} for i, url in enumerate(URLS))

    edit_descriptor(release, edit)
    sums = release / "SHA256SUMS"
    sums.write_text(sums.read_text(encoding="utf-8") + "".join(f"{'0' * 64}  {url}\n" for url in URLS), encoding="utf-8")
    with watched(monkeypatch) as record:
        result = invoke("validate", str(release), "--format", "json")
    assert result.exit_code == 1
    assert not network_uses(record), network_uses(record)
    findings = json.loads(result.output)["findings"]
    refused = {f["message"] for f in findings if f["code"] == "IW107"}
    for url in URLS:
        assert any(url in message for message in refused), f"{url} not refused: {sorted(refused)}"


def _outside_layouts(tmp_path: Path, release: Path):
    """(name, path to validate, outside path) for every way a package can point out of itself."""
    marker = b"HOSTILE-OUTSIDE-MARKER\n"

    def fresh(name: str) -> tuple[Path, Path]:
        root = tmp_path / name
        target = root / "release"
        shutil.copytree(release, target)
        outside = root / "outside"
        outside.mkdir()
        return target, outside

    target, outside = fresh("parent")
    (outside / "events.parquet").write_bytes(marker)
    set_resource(target, "events-parquet", path="../outside/events.parquet")
    yield "'..' resource path", target, outside / "events.parquet"

    target, outside = fresh("absolute")
    (outside / "events.parquet").write_bytes(marker)
    set_resource(target, "events-parquet", path=str(outside / "events.parquet"))
    yield "absolute resource path", target, outside / "events.parquet"

    target, outside = fresh("linked-file")
    (outside / "events.parquet").write_bytes(marker)
    (target / "events.parquet").unlink()
    (target / "events.parquet").symlink_to(outside / "events.parquet")
    yield "resource linked outside", target, outside / "events.parquet"

    target, outside = fresh("linked-dir")
    (outside / "events.parquet").write_bytes(marker)
    (target / "more").symlink_to(outside, target_is_directory=True)
    set_resource(target, "events-parquet", path="more/events.parquet")
    yield "resource under a directory linked outside", target, outside / "events.parquet"

    target, outside = fresh("linked-text")
    (outside / "src-fixture.txt").write_bytes((target / "sources" / "src-fixture.txt").read_bytes())
    (target / "sources" / "src-fixture.txt").unlink()
    (target / "sources" / "src-fixture.txt").symlink_to(outside / "src-fixture.txt")
    yield "source text linked outside", target, outside / "src-fixture.txt"

    target, outside = fresh("linked-sums")
    (outside / "SHA256SUMS").write_bytes(marker)
    (target / "SHA256SUMS").unlink()
    (target / "SHA256SUMS").symlink_to(outside / "SHA256SUMS")
    yield "SHA256SUMS linked outside", target, outside / "SHA256SUMS"

    target, outside = fresh("linked-descriptor")
    (outside / "datapackage.json").write_bytes((target / "datapackage.json").read_bytes())
    (target / "datapackage.json").unlink()
    (target / "datapackage.json").symlink_to(outside / "datapackage.json")
    yield "datapackage.json linked outside", target, outside / "datapackage.json"

    root = tmp_path / "curated-links"
    dataset = root / "dataset"
    shutil.copytree(BASE, dataset)
    outside = root / "outside"
    outside.mkdir()
    (outside / "extra.yaml").write_bytes(b"actors: [" + marker)
    (dataset / "curated" / "extra.yaml").symlink_to(outside / "extra.yaml")
    (dataset / "curated" / "more").symlink_to(outside, target_is_directory=True)
    (outside / "src-fixture.txt").write_bytes((dataset / "sources" / "src-fixture.txt").read_bytes())
    (dataset / "sources" / "src-fixture.txt").unlink()
    (dataset / "sources" / "src-fixture.txt").symlink_to(outside / "src-fixture.txt")
    yield "curated YAML, directory and source text linked outside", dataset, outside


def test_targets_outside_are_never_opened(tmp_path: Path, built_release: Path, monkeypatch) -> None:
    for name, target, outside in _outside_layouts(tmp_path, built_release):
        with watched(monkeypatch) as record:
            result = invoke("validate", str(target), "--format", "json")
        assert result.exit_code == 1, name
        report = json.loads(result.output)
        assert "IW107" in report["counts_by_code"], f"{name}: {report['counts_by_code']}"
        assert "HOSTILE-OUTSIDE-MARKER" not in result.output, name
        opened = [path for _, path in record if _inside(path, [outside.resolve()])]
        assert not opened, f"{name}: opened {opened}"
        assert not outside_reads(record, target), f"{name}: {outside_reads(record, target)}"


# --- YAML 1.1 surprises keep what was written -----------------------------------------


def test_yaml_11_words_and_numbers_are_not_converted(tmp_path: Path) -> None:
    from iraq_withdrawal.io.yaml_reader import read_yaml

    path = tmp_path / "x.yaml"
    path.write_text("a: NO\nb: on\nc: 'off'\nd: 1:20\ne: y\nf: 0123\ng: 2021-12-09\nh: 010\n", encoding="utf-8")
    doc = read_yaml(path, "x.yaml")
    assert doc.findings == []
    assert dict(doc.value) == {"a": "NO", "b": "on", "c": "off", "d": "1:20", "e": "y", "f": 123,
                               "g": __import__("datetime").date(2021, 12, 9), "h": 10}
    path.write_text("%YAML 1.1\n---\na: on\nb: NO\nc: yes\n", encoding="utf-8")
    assert dict(read_yaml(path, "x.yaml").value) == {"a": True, "b": False, "c": True}


# --- junk ---------------------------------------------------------------------------------

_JUNK_SCRIPT = textwrap.dedent("""
    import json, resource, sys
    from pathlib import Path
    from iraq_withdrawal.validators.dispatch import validate_path

    def peak():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux

    small, cases = Path(sys.argv[1]), json.loads(sys.argv[2])
    for table in ("events.csv", "events.parquet"):  # warm up: imports, schema caches
        validate_path(small / table)
    validate_path(small / "datapackage.json")
    validate_path(small.parent / "dataset")
    before = peak()
    results = {}
    for name, path in cases.items():
        report = validate_path(Path(path))
        results[name] = {"exit": report.exit_code(), "codes": sorted(report.counts_by_code()),
                         "findings": len(report.findings), "located": all(f.file for f in report.findings)}
    print(json.dumps({"growth": peak() - before, "results": results}))
""")


def _write_junk(path: Path, size: int, head: bytes = b"", printable: bool = False) -> None:
    """``size`` bytes of junk (random, or printable ASCII with commas and line breaks) after ``head``."""
    block = os.urandom(1 << 20)
    if printable:
        block = bytes(32 + b % 95 if b % 17 else 10 for b in block).replace(b'"', b",")
    with path.open("wb") as fh:
        fh.write(head)
        for _ in range(size // len(block)):
            fh.write(block)


@pytest.mark.slow  # makes inputs of hundreds of megabytes
def test_junk_fails_fast_in_bounded_memory(tmp_path: Path, built_release: Path) -> None:
    """200 MB of junk as every kind of input: exit 1 after reading little of it (peak RSS grows < 64 MB)."""
    size = 200 << 20
    release = tmp_path / "release"
    shutil.copytree(built_release, release)
    shutil.copytree(BASE, tmp_path / "dataset")
    junk = tmp_path / "junk.bin"
    _write_junk(junk, size)
    text_junk = tmp_path / "junk.txt"
    _write_junk(text_junk, size, printable=True)
    header = (release / "events.csv").read_bytes().split(b"\r\n", 1)[0] + b"\r\n"
    rows_junk = tmp_path / "rows" / "events.csv"
    rows_junk.parent.mkdir()
    _write_junk(rows_junk, size, head=header, printable=True)
    cases: dict[str, str] = {}
    for name, source, dest in [
        ("csv", junk, "csv/events.csv"),
        ("parquet", junk, "parquet/events.parquet"),
        ("text-csv", text_junk, "text-csv/events.csv"),
        ("datapackage", junk, "dp/datapackage.json"),
        ("yaml", junk, "yaml/dataset/curated/junk.yaml"),
    ]:
        path = tmp_path / "cases" / dest
        path.parent.mkdir(parents=True)
        os.link(source, path)
        cases[name] = str(path)
    cases["rows-csv"] = str(rows_junk)
    shutil.copytree(BASE / "sources", tmp_path / "cases" / "yaml" / "dataset" / "sources")
    cases["yaml"] = str(tmp_path / "cases" / "yaml" / "dataset")
    try:
        proc = subprocess.run([sys.executable, "-c", _JUNK_SCRIPT, str(release), json.dumps(cases)],
                              capture_output=True, text=True, timeout=300)
    finally:  # pytest keeps the last runs' temporary directories: do not leave 600 MB behind
        shutil.rmtree(tmp_path / "cases", ignore_errors=True)
        for path in (junk, text_junk, rows_junk):
            path.unlink(missing_ok=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    outcome = json.loads(proc.stdout)
    for name, result in outcome["results"].items():
        assert result["exit"] == 1, (name, result)
        assert result["located"], (name, result)
        assert result["findings"] <= 1100, (name, result)
    assert outcome["growth"] < 64 << 20, outcome


# --- files that are not files -----------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_named_pipes_are_never_opened(tmp_path: Path) -> None:
    """Opening a FIFO blocks until someone writes to it: as a table it cannot start (2), in a dataset it is IW112."""
    fifo = tmp_path / "events.csv"
    os.mkfifo(fifo)
    result = invoke("validate", str(fifo))
    assert result.exit_code == 2 and "not a regular file" in result.output
    dataset = tmp_path / "dataset"
    shutil.copytree(BASE, dataset)
    os.mkfifo(dataset / "curated" / "pipe.yaml")
    report = json.loads(invoke("validate", str(dataset), "--format", "json").output)
    assert [(f["code"], f["file"]) for f in report["findings"]] == [("IW112", "dataset/curated/pipe.yaml")]
