"""The pre-commit hook and the GitHub composite action, exercised as the README tells users to use them."""

from __future__ import annotations

import os
import re
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


def _derived_folder(directory: Path, release: Path, status: str) -> Path:
    """A user's folder of derived tables: events (status set to ``status``) and event_actors, as CSV."""
    directory.mkdir(parents=True)
    for name in ("events.csv", "event_actors.csv"):
        text = (release / name).read_text(encoding="utf-8")
        (directory / name).write_text(text.replace(",occurred,", f",{status},") if name == "events.csv" else text, encoding="utf-8")
    return directory


def _action() -> dict:
    return YAML(typ="safe").load((REPO / "action.yml").read_text(encoding="utf-8"))


def _step(name: str) -> dict:
    return next(s for s in _action()["runs"]["steps"] if s.get("name") == name)


def _run_step(step: dict, workspace: Path, **env: str) -> subprocess.CompletedProcess:
    bindir = Path(sys.executable).parent
    full = dict(os.environ, GITHUB_WORKSPACE=str(workspace), PATH=f"{bindir}{os.pathsep}{os.environ['PATH']}", IW_TABLE="",
                IW_STRICT="false", **env)
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=workspace, env=full, capture_output=True, text=True, timeout=120)


def _annotated_paths(output: str) -> list[str]:
    return re.findall(r"^::(?:error|warning) file=([^,:]+)", output, flags=re.M)


def test_action_annotations_attach_to_files_of_the_workspace(tmp_path: Path, built_release: Path) -> None:
    """The action's Validate step, run as GitHub runs it (working directory and GITHUB_WORKSPACE the repository):
    every annotated path exists relative to the workspace, for a curated dataset, a folder, a CSV and a Parquet table."""
    workspace = tmp_path / "workspace"
    _bad_dataset(workspace / "research" / "data")
    _derived_folder(workspace / "research" / "derived", built_release, "Occurred")
    shutil.copyfile(workspace / "research" / "derived" / "events.csv", workspace / "research" / "events.csv")
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    pq.write_table(pcsv.read_csv(workspace / "research" / "events.csv"), workspace / "research" / "events.parquet")
    step = _step("Validate")
    outputs = {}
    for path in ("research/data", "research/derived", "research/events.csv", "research/events.parquet"):
        proc = _run_step(step, workspace, IW_PATH=path)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        outputs[path] = proc.stdout
        annotated = _annotated_paths(proc.stdout)
        assert annotated, proc.stdout
        for name in annotated:
            assert (workspace / name).is_file(), f"{name} (from {path}) is not a file of the workspace"
    assert outputs["research/data"].startswith("::error file=research/data/curated/places.yaml,line=7,title=IW203 Invalid value::")
    assert "::error file=research/derived/events.csv,line=2,title=IW303 " in outputs["research/derived"]
    assert "::error file=research/events.csv,line=2,title=IW303 " in outputs["research/events.csv"]
    assert "::error file=research/events.parquet,title=IW303 Value not allowed in this column (row 1)::" in outputs["research/events.parquet"]
    assert "did you mean 'occurred'?" in outputs["research/events.parquet"]


def test_action_without_a_path_never_validates_the_package_data(tmp_path: Path) -> None:
    proc = _run_step(_step("Validate"), tmp_path, IW_PATH="")
    assert proc.returncode == 2
    assert proc.stderr.startswith("Error: say what to validate: no PATH was given")


def test_action_installs_the_validator_from_its_own_checkout() -> None:
    action = _action()
    assert set(action["inputs"]) >= {"path", "table", "strict", "package"}
    assert action["inputs"]["package"]["default"] == ""
    step = _step("Install iraq-withdrawal")
    assert step["env"]["IW_ACTION_PATH"] == "${{ github.action_path }}"
    assert '"${IW_PACKAGE:-$IW_ACTION_PATH}"' in step["run"]


def test_hook_never_defaults_to_the_package_data() -> None:
    hooks = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks[0]["entry"] == "iraq-withdrawal validate --no-shipped-default"


def test_readme_ci_snippets_name_a_release_tag() -> None:
    """The README's snippets name the tag of a shipped release (the tag `release` tells the maintainer to push)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    releases = sorted(p.name for p in (REPO / "datasets" / "releases").iterdir() if p.is_dir())
    revs = re.findall(r"rev: (v[0-9.]+)", readme) + re.findall(r"uses: [^@\s]*iraq-withdrawal@(v[0-9.]+)", readme)
    assert revs and all(rev.removeprefix("v") in releases for rev in revs), (revs, releases)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_hook_in_a_new_repository(tmp_path: Path, built_release: Path) -> None:
    """The README's pre-commit snippet in a new git repository: a broken derived table fails the hook, the fixed one passes.
    (The hook is installed from this checkout's HEAD: commit before running this test.)"""
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (it is in the test extra)")
    if not (REPO / ".git").exists():
        pytest.skip("the hook is installed from the repository as a git checkout")
    work = tmp_path / "user-repo"
    work.mkdir()
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    env.pop("PYTHONPATH", None)
    subprocess.run(["git", "init", "-q"], cwd=work, check=True, env=env)
    derived = _derived_folder(work / "derived", built_release, "Occurred")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    snippet = re.search(r"```yaml\n(repos:\n.*?)```", readme, flags=re.S).group(1)
    config = re.sub(r"repo: \S+.*", f"repo: {REPO}", snippet)
    config = re.sub(r"rev: \S+", "rev: HEAD", config)
    (work / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=work, check=True, env=env)
    bad = subprocess.run([pre_commit, "run", "--all-files"], cwd=work, env=env, capture_output=True, text=True, timeout=900)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "IW303 Value not allowed in this column" in bad.stdout
    assert "did you mean 'occurred'?" in bad.stdout
    events = derived / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace(",Occurred,", ",occurred,"), encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=work, check=True, env=env)
    good = subprocess.run([pre_commit, "run", "--all-files"], cwd=work, env=env, capture_output=True, text=True, timeout=900)
    assert good.returncode == 0, good.stdout + good.stderr
