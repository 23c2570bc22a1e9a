"""Every rule code has at least one fixture of its own, and each fixture produces exactly its findings.

A fixture is a directory ``tests/fixtures/rules/<CODE>-<case>/``, laid out and run by
``tests/fixture_runner.py`` (which describes the kinds of case and ``expect.txt``). Rule
fixtures are exact: a finding the fixture does not list fails the test, so a rule that starts
firing where it should not is caught.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iraq_withdrawal.findings import RULES

from .conftest import invoke
from .fixture_runner import FIXTURES, check_report, expectations, prepare

RULE_FIXTURES = sorted(p for p in (FIXTURES / "rules").iterdir() if p.is_dir())


@pytest.mark.parametrize("fixture", RULE_FIXTURES, ids=[p.name for p in RULE_FIXTURES])
def test_rule_fixture(fixture: Path, tmp_path: Path, built_release: Path) -> None:
    target = prepare(fixture, tmp_path, built_release)
    exit_code, options, expected = expectations(fixture, target)
    result = invoke("validate", str(target), "--format", "json", *options)
    assert result.exit_code == exit_code, result.output
    check_report(json.loads(result.output), exit_code, expected, exact=True)


def test_every_rule_has_a_fixture() -> None:
    covered = {p.name.split("-")[0] for p in RULE_FIXTURES}
    missing = sorted(set(RULES) - covered)
    assert not missing, f"rules without a fixture: {missing}"


def test_fixture_names_are_rule_codes() -> None:
    unknown = sorted({p.name.split("-")[0] for p in RULE_FIXTURES} - set(RULES))
    assert not unknown
