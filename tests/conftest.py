"""Shared test helpers: a copy of the small valid dataset, the CLI runner, built releases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iraq_withdrawal.cli.app import app

from .fixture_runner import BASE, FIXTURES

__all__ = ["BASE", "FIXTURES", "REPO", "invoke"]

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(*args: str):
    """Run the CLI in-process; return the click Result (output, exit_code)."""
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def base_copy(tmp_path: Path) -> Path:
    """A writable copy of the small valid curated dataset."""
    target = tmp_path / "dataset"
    shutil.copytree(BASE, target)
    return target


@pytest.fixture(scope="session")
def built_release(tmp_path_factory) -> Path:
    """The base dataset built once per session (do not modify; copy it)."""
    from iraq_withdrawal.datasets.build import build

    out = tmp_path_factory.mktemp("release") / "release"
    build(BASE, out, dataset_version="0.0.0-test")
    return out


@pytest.fixture
def release_copy(built_release: Path, tmp_path: Path) -> Path:
    target = tmp_path / "release"
    shutil.copytree(built_release, target)
    return target
