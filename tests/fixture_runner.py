"""The one runner of fixture cases: rule fixtures (``fixtures/rules/``) and the hostile corpus (``hostile/``).

A case is a directory of one of these kinds:

- ``curated``: files under ``curated/`` or ``sources/`` laid over a copy of ``tests/fixtures/base``
  (a file ``DELETE`` lists base files to remove); the copy is validated;
- ``table``: one ``<table>.csv`` or ``<table>.parquet`` file, validated alone, or ``make.py`` with
  ``make(tmp_path, release) -> Path`` for binary cases (``release`` is a build of the base dataset;
  do not modify it);
- ``release``: ``mutate.py`` with ``mutate(release, helpers)``, applied to a fresh copy of that build
  (``helpers``: :data:`HELPERS`, to edit ``datapackage.json`` and keep ``SHA256SUMS`` right so that
  only the case's problem shows);
- ``setup``: ``setup.py`` with ``setup(tmp_path, base, release) -> Path``, the path to validate,
  for layouts of several directories, links and other things git does not keep.

``expect.txt``: lines starting with ``#`` say what the case is and why the expected behaviour is
right. The first other line is the exit code, optionally followed by CLI options (``1 --strict``).
Each further line is a finding, as ``CODE [file-suffix:line-or-row [field]]`` (``None`` as
line-or-row for a finding about a whole file). A line matches every finding of its code at that
place. With ``exact=True`` every finding must be matched by a line (rule fixtures: nothing spurious);
otherwise the lines must appear, and a case that expects exit 0 with no line must produce nothing.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
from pathlib import Path
from types import SimpleNamespace

FIXTURES = Path(__file__).parent / "fixtures"
BASE = FIXTURES / "base"


def rehash(release: Path, name: str) -> None:
    """Update NAME's hash (and size) in SHA256SUMS and datapackage.json, so that only the problem under test shows."""
    sums = release / "SHA256SUMS"
    data = (release / name).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    lines = [f"{digest}  {name}" if line.endswith(f"  {name}") else line for line in sums.read_text(encoding="utf-8").splitlines()]
    sums.write_text("\n".join(lines) + "\n", encoding="utf-8")
    descriptor_path = release / "datapackage.json"
    if name == "datapackage.json" or not descriptor_path.is_file():
        return
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        resources = [r for r in descriptor["resources"] if isinstance(r, dict) and r.get("path") == name]
    except (ValueError, KeyError, TypeError):
        return  # a case about a broken descriptor: leave it broken
    if not resources:
        return
    for resource in resources:
        resource.update({"hash": f"sha256:{digest}", "bytes": len(data)})
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    rehash(release, "datapackage.json")


def edit_descriptor(release: Path, edit, raw=None) -> None:
    """Apply ``edit(descriptor)`` (and ``raw(text)`` to the JSON text) to datapackage.json, then rehash it."""
    path = release / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    edit(descriptor)
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    path.write_text(raw(text) if raw else text, encoding="utf-8")
    rehash(release, "datapackage.json")


def set_resource(release: Path, name: str, **fields) -> None:
    def edit(descriptor):
        for resource in descriptor["resources"]:
            if resource["name"] == name:
                resource.update(fields)

    edit_descriptor(release, edit)


HELPERS = SimpleNamespace(rehash=rehash, edit_descriptor=edit_descriptor, set_resource=set_resource)


def load_hook(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prepare(case: Path, tmp_path: Path, release: Path) -> Path:
    """Lay the case out under ``tmp_path`` and return the path to validate."""
    key = f"{case.parent.name}_{case.name}".replace("-", "_")
    if (case / "setup.py").is_file():
        return load_hook(case / "setup.py", f"setup_{key}").setup(tmp_path, BASE, release)
    if (case / "mutate.py").is_file():
        target = tmp_path / "release"
        shutil.copytree(release, target, symlinks=True)
        load_hook(case / "mutate.py", f"mutate_{key}").mutate(target, HELPERS)
        return target
    if (case / "make.py").is_file():
        return load_hook(case / "make.py", f"make_{key}").make(tmp_path, release)
    tables = [p for p in case.iterdir() if p.suffix in (".csv", ".parquet")]
    if tables:
        target = tmp_path / tables[0].name
        shutil.copyfile(tables[0], target)
        return target
    target = tmp_path / "dataset"
    shutil.copytree(BASE, target)
    if (case / "DELETE").is_file():
        for line in (case / "DELETE").read_text(encoding="utf-8").split():
            (target / line).unlink()
    for path in sorted(case.rglob("*")):
        if path.is_file() and path.name not in ("expect.txt", "DELETE"):
            dest = target / path.relative_to(case)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
    return target


def expectations(case: Path, target: Path | None = None) -> tuple[int, list[str], list[list[str]]]:
    """(exit code, extra CLI options, expected findings) from ``expect.txt``.

    In the options, ``{parent}`` stands for the folder that holds the validated path.
    """
    lines = [line.strip() for line in (case / "expect.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    first = lines[0].split()
    options = [o.replace("{parent}", str(target.parent)) if target is not None else o for o in first[1:]]
    return int(first[0]), options, [line.split() for line in lines[1:]]


def _matches(finding: dict, expectation: list[str]) -> bool:
    if finding["code"] != expectation[0]:
        return False
    if len(expectation) == 1:
        return True
    suffix, _, position = expectation[1].rpartition(":")
    field = expectation[2] if len(expectation) > 2 else None
    return ((finding["file"] or "").endswith(suffix)
            and str(finding["line"] if finding["line"] is not None else finding["row"]) == position
            and (field is None or finding["field"] == field))


def check_report(report: dict, exit_code: int, expected: list[list[str]], *, exact: bool) -> None:
    """Assert the report holds the expected findings (and, with ``exact``, nothing else)."""
    findings = report["findings"]
    if exit_code == 0 and not expected:
        assert findings == [], [(f["code"], f["message"]) for f in findings]
    for expectation in expected:
        assert any(_matches(f, expectation) for f in findings), (
            f"{' '.join(expectation)} not reported; got "
            f"{[(f['code'], f['file'], f['line'], f['row'], f['field']) for f in findings][:8]}")
    if exact:
        spurious = [f for f in findings if not any(_matches(f, e) for e in expected)]
        assert not spurious, f"findings not expected: {[(f['code'], f['file'], f['line'], f['row'], f['field'], f['message']) for f in spurious]}"
    for finding in findings:
        assert finding["file"], f"{finding['code']} names no file: {finding['message']}"
        assert finding["hint"]
