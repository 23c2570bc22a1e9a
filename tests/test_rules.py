"""Every rule code has at least one fixture of its own, and each fixture produces its code.

A fixture is a directory ``tests/fixtures/rules/<CODE>-<case>/`` of one of three kinds:

- ``curated``: its files are laid over a copy of ``tests/fixtures/base`` (paths relative to
  the dataset root; a file ``DELETE`` lists base files to remove), and the copy is validated;
- ``release``: it holds ``mutate.py`` with ``mutate(release_dir)``, applied to a fresh build
  of the base dataset, and the release directory is validated;
- ``table``: it holds one ``<table>.csv`` or ``<table>.parquet`` file (or ``make.py`` with
  ``make(directory) -> Path`` for binary cases), validated alone;
- ``setup``: it holds ``setup.py`` with ``setup(tmp_path, base, built_release) -> list[str]``
  returning the CLI arguments, for cases that need several directories (earlier releases).

Each fixture has ``expect.txt``: the first line is the exit code, the next lines the
findings that must appear, as ``CODE`` or ``CODE file-suffix:line-or-row field`` (``None`` as
line-or-row for a finding about a whole file).
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from iraq_withdrawal.findings import RULES

from .conftest import BASE, FIXTURES, invoke

RULE_FIXTURES = sorted(p for p in (FIXTURES / "rules").iterdir() if p.is_dir())


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _prepare(fixture: Path, tmp_path: Path, built_release: Path) -> list[str]:
    """Lay the fixture out under tmp_path and return the CLI arguments that validate it."""
    if (fixture / "setup.py").is_file():
        return _load(fixture / "setup.py", f"setup_{fixture.name}").setup(tmp_path, BASE, built_release)
    if (fixture / "mutate.py").is_file():
        target = tmp_path / "release"
        shutil.copytree(built_release, target)
        _load(fixture / "mutate.py", f"mutate_{fixture.name}").mutate(target)
        return ["validate", str(target)]
    if (fixture / "make.py").is_file():
        path = _load(fixture / "make.py", f"make_{fixture.name}").make(tmp_path)
        return ["validate", str(path)]
    tables = [p for p in fixture.iterdir() if p.suffix in (".csv", ".parquet")]
    if tables:
        target = tmp_path / tables[0].name
        shutil.copyfile(tables[0], target)
        return ["validate", str(target)]
    target = tmp_path / "dataset"
    shutil.copytree(BASE, target)
    if (fixture / "DELETE").is_file():
        for line in (fixture / "DELETE").read_text(encoding="utf-8").split():
            (target / line).unlink()
    for path in sorted(fixture.rglob("*")):
        if path.is_file() and path.name not in ("expect.txt", "DELETE"):
            dest = target / path.relative_to(fixture)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
    return ["validate", str(target)]


def _expectations(fixture: Path) -> tuple[int, list[list[str]]]:
    lines = [line.strip() for line in (fixture / "expect.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    return int(lines[0]), [line.split() for line in lines[1:]]


@pytest.mark.parametrize("fixture", RULE_FIXTURES, ids=[p.name for p in RULE_FIXTURES])
def test_rule_fixture(fixture: Path, tmp_path: Path, built_release: Path) -> None:
    args = _prepare(fixture, tmp_path, built_release)
    exit_code, expected = _expectations(fixture)
    result = invoke(*args, "--format", "json")
    assert result.exit_code == exit_code, result.output
    report = json.loads(result.output)
    for expectation in expected:
        code = expectation[0]
        matches = [f for f in report["findings"] if f["code"] == code]
        assert matches, f"{code} not reported; got {report['counts_by_code']}"
        if len(expectation) > 1:
            where = expectation[1]
            suffix, _, position = where.rpartition(":")
            field = expectation[2] if len(expectation) > 2 else None
            located = [
                f for f in matches
                if (f["file"] or "").endswith(suffix)
                and str(f["line"] if f["line"] is not None else f["row"]) == position
                and (field is None or f["field"] == field)
            ]
            assert located, f"{code} not at {where} {field or ''}: {[(f['file'], f['line'], f['row'], f['field']) for f in matches]}"
        for finding in matches:
            assert finding["file"], f"{code} finding names no file"
            assert finding["hint"]


def test_every_rule_has_a_fixture() -> None:
    covered = {p.name.split("-")[0] for p in RULE_FIXTURES}
    missing = sorted(set(RULES) - covered)
    assert not missing, f"rules without a fixture: {missing}"


def test_fixture_names_are_rule_codes() -> None:
    unknown = sorted({p.name.split("-")[0] for p in RULE_FIXTURES} - set(RULES))
    assert not unknown
