"""The CLI's exact output and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from iraq_withdrawal.validators.dispatch import validate_path
from iraq_withdrawal.validators.render import render_github

from .conftest import BASE, REPO, invoke


def test_help_lists_every_command() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("validate", "build", "coverage", "stats", "schema"):
        assert command in result.output


def test_every_command_has_help_text() -> None:
    import typer.main

    from iraq_withdrawal.cli.app import app

    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert command.help, f"{name} has no help text"


def test_validate_valid_dataset_exits_0() -> None:
    result = invoke("validate", str(BASE))
    assert result.exit_code == 0
    assert result.output.endswith("valid (curated; 0 error(s), 0 warning(s); checked 8 files, 3 actors, 1 events, "
                                  "1 figures, 1 places, 1 sources, 1 statements, 8 evidence)\n")


def test_validate_missing_path_exits_2(tmp_path: Path) -> None:
    result = invoke("validate", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert result.output == f"Error: {tmp_path / 'nope'} does not exist\n"


def test_validate_unknown_kind_exits_2(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    result = invoke("validate", str(tmp_path / "notes.txt"))
    assert result.exit_code == 2
    assert "is not a directory, datapackage.json, .csv or .parquet file" in result.output


def test_validate_unknown_table_option_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id\n", encoding="utf-8")
    result = invoke("validate", str(path), "--table", "riots")
    assert result.exit_code == 2
    assert result.output.startswith("Error: unknown table 'riots'")


def test_validate_bad_format_option_exits_2() -> None:
    result = invoke("validate", str(BASE), "--format", "xml")
    assert result.exit_code == 2


def test_quote_not_in_source_message(base_copy: Path) -> None:
    events = base_copy / "curated" / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace(
        "quote: أنهى التحالف بقيادة الولايات المتحدة الخميس الماضي", "quote: أنهى التحالف بقيادة الولايات المتحدة الجمعة الماضية"), encoding="utf-8")
    result = invoke("validate", str(base_copy))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == ("dataset/curated/events.yaml:19: error IW401 Quote not found in its source "
                        "(record evt-2021-12-coalition-combat-mission-end field evidence.0.quote)")
    assert lines[1].startswith("    quote not found in src-fixture: 'أنهى التحالف")
    assert lines[2] == "    hint: Copy the quote character for character from the text of the source the message names (sources/<source id>.txt)."


def test_json_output_equals_library_report(base_copy: Path) -> None:
    (base_copy / "curated" / "figures.yaml").write_text(
        (base_copy / "curated" / "figures.yaml").read_text(encoding="utf-8").replace("unit: years", "unit: lightyears"), encoding="utf-8")
    result = invoke("validate", str(base_copy), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output) == validate_path(base_copy).as_dict()


def test_github_annotations(base_copy: Path, monkeypatch) -> None:
    (base_copy / "curated" / "places.yaml").write_text(
        (base_copy / "curated" / "places.yaml").read_text(encoding="utf-8").replace("where_prec: 6", "where_prec: 9"), encoding="utf-8")
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.chdir(base_copy.parent)
    result = invoke("validate", "dataset", "--format", "github")
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith("::error file=dataset/curated/places.yaml,line=7,title=IW203 Invalid value::plc-iraq.where_prec: ")
    assert result.output == render_github(validate_path(Path("dataset")))
    # given as an absolute path, from elsewhere, with GITHUB_WORKSPACE set: relative to the workspace
    monkeypatch.setenv("GITHUB_WORKSPACE", str(base_copy.parent.parent))
    monkeypatch.chdir("/")
    result = invoke("validate", str(base_copy), "--format", "github")
    assert result.output.startswith(f"::error file={base_copy.parent.name}/dataset/curated/places.yaml,line=7,")


def test_strict_counts_warnings(base_copy: Path) -> None:
    events = base_copy / "curated" / "events.yaml"
    text = events.read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if "date_note" not in line) + "\n"
    events.write_text(text, encoding="utf-8")
    assert invoke("validate", str(base_copy)).exit_code == 0
    result = invoke("validate", str(base_copy), "--strict")
    assert result.exit_code == 1
    assert "IW505" in result.output


def test_validate_default_is_shipped_dataset_from_any_directory(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-m", "iraq_withdrawal", "validate", "--format", "json"],
                          cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    report = json.loads(proc.stdout)
    assert report["kind"] == "curated"
    assert report["target"] == "shipped dataset"  # outside a checkout: the copy that ships with the package, named so
    assert report["notes"][0].startswith("checked ")
    assert proc.returncode == (0 if report["valid"] else 1)
    assert "Traceback" not in proc.stderr


def test_validate_release_and_single_table(built_release: Path) -> None:
    assert invoke("validate", str(built_release)).exit_code == 0
    assert invoke("validate", str(built_release / "datapackage.json")).exit_code == 0
    result = invoke("validate", str(built_release / "events.parquet"))
    assert result.exit_code == 0
    assert "note: a single table is checked on its own" in result.output
    assert invoke("validate", str(built_release / "evidence.csv"), "--table", "evidence").exit_code == 0


def test_coverage_and_stats_on_base() -> None:
    result = invoke("coverage", str(BASE))
    assert result.exit_code == 0
    assert result.output == "src-fixture: 4/4 numbers and quoted spans covered\n0 uncovered\n"
    stats = invoke("stats", str(BASE), "--format", "json")
    data = json.loads(stats.output)
    assert data["tables"]["actors"] == 3
    assert data["sources"]["src-fixture"]["covered"] == 4


def test_schema_check_is_clean() -> None:
    result = invoke("schema", "check", str(REPO / "schema"))
    assert result.exit_code == 0, result.output
