"""Schema versions: every class of change is classified, and the models cannot change without a bump."""

from __future__ import annotations

import json

import pytest

from iraq_withdrawal.io.releases import released_versions
from iraq_withdrawal.schema import CURRENT_VERSION
from iraq_withdrawal.schema.compat import BUMPS, actual_bump, compare, load_table_schemas, required_bump
from iraq_withdrawal.schema.derive import table_schema, tables
from iraq_withdrawal.schema.versions import version_key

from .conftest import FIXTURES, REPO, invoke

FIXTURE = FIXTURES / "schema_diff"


def _expected() -> list[tuple[str, str, str, str, str]]:
    rows = []
    for line in (FIXTURE / "expected.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            table, field, kind, compatibility, bump = line.split()
            rows.append((table, None if field == "-" else field, kind.replace("-", " "), compatibility.replace("-", " "), bump))
    return rows


def test_every_class_of_change_is_classified() -> None:
    changes = compare(load_table_schemas(FIXTURE / "1.0.0"), load_table_schemas(FIXTURE / "2.0.0"))
    got = sorted((c.table, c.field, c.kind, c.compatibility, c.bump) for c in changes)
    assert got == sorted(_expected())
    assert required_bump(changes) == "major"


def test_schema_diff_cli_exit_codes(tmp_path) -> None:
    ok = invoke("schema", "diff", str(FIXTURE / "1.0.0"), str(FIXTURE / "2.0.0"))
    assert ok.exit_code == 0
    assert ok.output.splitlines()[-1] == "required bump: major; 1.0.0 -> 2.0.0 is a major bump"
    # the same changes published as a minor version are refused
    import shutil

    shutil.copytree(FIXTURE / "1.0.0", tmp_path / "1.0.0")
    shutil.copytree(FIXTURE / "2.0.0", tmp_path / "1.1.0")
    too_small = invoke("schema", "diff", str(tmp_path / "1.0.0"), str(tmp_path / "1.1.0"), "--format", "json")
    assert too_small.exit_code == 1
    assert json.loads(too_small.output)["required_bump"] == "major"
    assert invoke("schema", "diff", str(tmp_path / "nope"), str(tmp_path / "1.1.0")).exit_code == 2


def test_identical_schemas_need_no_bump() -> None:
    assert compare(load_table_schemas(FIXTURE / "1.0.0"), load_table_schemas(FIXTURE / "1.0.0")) == []
    assert actual_bump("1.0.0", "1.0.0") == "none"


def _frozen_versions() -> list[str]:
    """Schema versions declared by a shipped release: their documents may never change."""
    declared = set()
    for version in released_versions(REPO / "datasets" / "releases"):
        package = json.loads((REPO / "datasets" / "releases" / version / "datapackage.json").read_text(encoding="utf-8"))
        declared.add(package["schema_version"])
    return sorted(declared, key=version_key)


def test_models_do_not_change_without_the_matching_version_bump() -> None:
    current = {t: table_schema(t) for t in tables()}
    for frozen in _frozen_versions():
        published = load_table_schemas(REPO / "schema" / frozen)
        changes = compare(published, current)
        needed = required_bump(changes)
        have = actual_bump(frozen, CURRENT_VERSION)
        assert BUMPS.index(have) >= BUMPS.index(needed), (
            f"schema {frozen} is released; the models changed ({[c.kind + ' ' + str(c.table) + '.' + str(c.field) for c in changes]}) "
            f"and need a {needed} bump, but CURRENT_VERSION is {CURRENT_VERSION}"
        )


@pytest.mark.parametrize("version", sorted(p.name for p in (REPO / "schema").iterdir() if p.is_dir()))
def test_published_schema_versions_are_complete(version: str) -> None:
    assert load_table_schemas(REPO / "schema" / version)


def test_reference_on_an_added_optional_column_is_minor() -> None:
    """Schema 1.1.0 adds statements.utterance, an optional column that refers to statements.id."""
    old = {"statements": {"fields": [{"name": "id", "type": "string"}], "primaryKey": ["id"]}}
    new = {"statements": {"fields": [{"name": "id", "type": "string"}, {"name": "utterance", "type": "string"}], "primaryKey": ["id"],
                          "foreignKeys": [{"fields": "utterance", "reference": {"resource": "", "fields": "id"}}]}}
    changes = compare(old, new)
    assert {c.kind for c in changes} == {"optional column added", "foreign key on added column"}
    assert required_bump(changes) == "minor"
    # a reference added to a column that already existed still tightens it
    tightened = compare(new | {"statements": {**new["statements"], "foreignKeys": []}}, new)
    assert required_bump(tightened) == "major"
