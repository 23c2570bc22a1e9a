"""The pre-commit hook and the GitHub composite action, exercised for real."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from .conftest import BASE, REPO


def _bad_dataset(directory: Path) -> Path:
    shutil.copytree(BASE, directory)
    places = directory / "curated" / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8").replace("where_prec: 6", "where_prec: 9"), encoding="utf-8")
    return directory


def test_action_runs_validate_with_annotations(tmp_path: Path) -> None:
    action = YAML(typ="safe").load((REPO / "action.yml").read_text(encoding="utf-8"))
    step = next(s for s in action["runs"]["steps"] if s.get("name") == "Validate")
    dataset = _bad_dataset(tmp_path / "data")
    bindir = Path(sys.executable).parent
    env = dict(os.environ, IW_PATH=str(dataset), IW_TABLE="", IW_STRICT="false", PATH=f"{bindir}{os.pathsep}{os.environ['PATH']}")
    proc = subprocess.run(["bash", "-e", "-c", step["run"]], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("::error file=data/curated/places.yaml,line=7,title=IW203 Invalid value::")
    env["IW_PATH"] = str(BASE)
    assert subprocess.run(["bash", "-e", "-c", step["run"]], env=env, capture_output=True, text=True, timeout=120).returncode == 0
    assert set(action["inputs"]) >= {"path", "table", "strict", "package"}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_try_repo(tmp_path: Path) -> None:
    """`pre-commit try-repo` installs this repository's hook in its own environment and runs it."""
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (it is in the test extra)")
    if not (REPO / ".git").exists():
        pytest.skip("try-repo needs the hook repository as a git checkout")
    work = tmp_path / "user-repo"
    work.mkdir()
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    subprocess.run(["git", "init", "-q"], cwd=work, check=True, env=env)
    _bad_dataset(work / "data")
    subprocess.run(["git", "add", "."], cwd=work, check=True, env=env)
    command = [pre_commit, "try-repo", str(REPO), "iraq-withdrawal-validate", "--all-files", "--verbose"]
    bad = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=900)
    # try-repo has no way to pass args, so the hook validates the packaged dataset; point it at the user's
    # data through a config of the user's own instead:
    config = work / ".pre-commit-config.yaml"
    config.write_text(
        f"repos:\n  - repo: {REPO}\n    rev: HEAD\n    hooks:\n      - id: iraq-withdrawal-validate\n        args: [data/]\n",
        encoding="utf-8",
    )
    assert "iraq-withdrawal validate" in bad.stdout, bad.stdout + bad.stderr
    run = subprocess.run([pre_commit, "run", "--all-files"], cwd=work, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "IW203 Invalid value" in run.stdout
