"""A generative attack on every command: hypothesis mutates releases, curated datasets and tables.

Each example copies a valid input, applies a few mutations (bytes overwritten, truncation,
files deleted, replaced by links out, JSON and YAML edits, CSV cells, Parquet rewritten),
runs one command, and asserts the contract of docs/security.md: exit code 0, 1 or 2, no
traceback (the CLI runs with ``catch_exceptions=False``), no socket, nothing opened outside
the input (and the output directory), the input unchanged, and ``build --out`` unchanged when
the build fails.

The default run is short and derandomized (the same examples every time). Maintainers run a
longer one with ``IRAQ_WITHDRAWAL_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py``; a failing
example is printed by hypothesis and belongs in ``tests/hostile/`` as a case.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import BASE, invoke
from .test_hostile import network_uses, outside_reads, watched

EXAMPLES = int(os.environ.get("IRAQ_WITHDRAWAL_FUZZ_EXAMPLES", "30"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])

JUNK = st.sampled_from([b"", b"\x00", b"\xff\xfe", b"\x1b]0;x\x07", "\u202e".encode(), b"9" * 400, b"-inf", b"NaN", b'"', b",,,,",
                        b"\r\n", b"{", b"[[[[", b"&a *a", b"!!python/object:os.system", "ي".encode() * 50, b"../../etc/passwd",
                        b"\xc3", b"1e400", b"9999-12-31", b"0001-01-01"])
MUTATION = st.one_of(
    st.tuples(st.just("overwrite"), st.integers(0, 1 << 16), JUNK),
    st.tuples(st.just("truncate"), st.floats(0, 1), st.just(b"")),
    st.tuples(st.just("delete"), st.just(0), st.just(b"")),
    st.tuples(st.just("link-out"), st.just(0), st.just(b"")),
    st.tuples(st.just("append"), st.just(0), JUNK),
)


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): (os.readlink(p).encode() if p.is_symlink() else p.read_bytes() if p.is_file() else b"/")
            for p in sorted(root.rglob("*"))}


def _mutate(root: Path, outside: Path, choices, mutations) -> None:
    for (kind, where, junk), choice in zip(mutations, choices):
        files = _files(root)
        if not files:
            return
        path = files[choice % len(files)]
        data = path.read_bytes()
        if kind == "overwrite":
            at = where % (len(data) + 1)
            path.write_bytes(data[:at] + junk + data[at + len(junk):])
        elif kind == "truncate":
            path.write_bytes(data[: int(len(data) * where)])
        elif kind == "delete":
            path.unlink()
        elif kind == "link-out":
            target = outside / path.name
            target.write_bytes(b"HOSTILE-OUTSIDE-MARKER\n" + data)
            path.unlink()
            path.symlink_to(target)
        else:
            path.write_bytes(data + junk)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, built_release: Path) -> Path:
    root = tmp_path_factory.mktemp("fuzz-inputs")
    shutil.copytree(built_release, root / "release")
    shutil.copytree(BASE, root / "dataset")
    return root


COMMANDS = ["validate-release", "validate-dataset", "validate-table", "diff", "build", "stats", "coverage"]


@SETTINGS
@given(command=st.sampled_from(COMMANDS), mutations=st.lists(MUTATION, min_size=1, max_size=3),
       choices=st.lists(st.integers(0, 1000), min_size=3, max_size=3))
def test_every_command_keeps_the_contract(inputs: Path, tmp_path_factory, command: str, mutations, choices) -> None:
    work = tmp_path_factory.mktemp("fuzz")
    outside = work / "outside"
    outside.mkdir()
    source = "dataset" if command in ("validate-dataset", "build", "stats", "coverage") else "release"
    target = work / "input" / source
    shutil.copytree(inputs / source, target, symlinks=True)
    if command == "validate-table":
        tables = sorted(p for p in target.iterdir() if p.suffix in (".csv", ".parquet"))
        table = tables[choices[0] % len(tables)]
        for other in target.iterdir():
            if other != table:
                shutil.rmtree(other) if other.is_dir() else other.unlink()
        target = table  # a file the user names is read wherever it links: no link-out for it
        _mutate(target.parent, outside, choices, [m for m in mutations if m[0] != "link-out"])
    else:
        _mutate(target, outside, choices, mutations)
    before = _snapshot(target.parent if target.is_file() else target)
    out = work / "out"
    out.mkdir()
    (out / "keep.txt").write_text("the user's", encoding="utf-8")
    args = {
        "validate-release": ["validate", str(target), "--format", "json"],
        "validate-dataset": ["validate", str(target), "--format", "json"],
        "validate-table": ["validate", str(target), "--table", target.stem, "--format", "json"] if target.exists() else ["validate", str(target)],
        "diff": ["diff", str(inputs / "release"), str(target)],
        "build": ["build", str(target), "--out", str(out)],
        "stats": ["stats", str(target)],
        "coverage": ["coverage", str(target)],
    }[command]
    with pytest.MonkeyPatch.context() as monkeypatch, watched(monkeypatch) as record:
        result = invoke(*args)
    assert result.exit_code in (0, 1, 2), (args, result.output[-2000:])
    assert "Traceback" not in result.output
    assert "HOSTILE-OUTSIDE-MARKER" not in result.output
    assert not network_uses(record)
    allowed = [target] + ([inputs / "release"] if command == "diff" else [])
    reads = [r for r in outside_reads(record, target if target.is_dir() else target.parent)
             if not any(Path(r[1]).resolve().is_relative_to(p.resolve()) for p in allowed) and not r[1].startswith(str(work / "out"))]
    assert not reads, reads
    assert _snapshot(target.parent if target.is_file() else target) == before
    if command == "build" and result.exit_code != 0:
        assert sorted(p.name for p in work.iterdir()) == sorted(["outside", "input", "out"])
        assert _snapshot(out) == {"keep.txt": b"the user's"}
    if command.startswith("validate") and args[-1] == "json" and result.exit_code != 2:
        json.loads(result.output)
