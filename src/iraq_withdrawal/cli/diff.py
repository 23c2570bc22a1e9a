"""``iraq-withdrawal diff``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ..datasets.diff import diff_releases, render_diff_markdown, render_diff_text
from ..datasets.load import release_dir
from ..errors import InputError
from ..io.paths import stat_kind
from ..schema.versions import is_version
from .options import FormatOption, ReportFormat


def _release_dir(value: str) -> Path:
    path = Path(value)
    kind = stat_kind(path)
    if kind == "dir":
        if stat_kind(path / "datapackage.json") != "file":
            raise InputError(f"cannot compare {path}: it holds no datapackage.json")
        return path
    if path.name == "datapackage.json" and kind == "file":
        return path.parent
    if kind != "missing" or not is_version(value):
        raise InputError(f"{value} is neither a release directory nor a version")
    return release_dir(value)


def diff(
    old: str = typer.Argument(..., help="Old release: a version or a release directory."),
    new: str = typer.Argument(..., help="New release: a version or a release directory."),
    fmt: ReportFormat = FormatOption,
    markdown: bool = typer.Option(False, "--markdown", help="Print release notes for CHANGELOG.md instead."),
) -> None:
    """Records added, retired and changed per table between two releases, with field-level changes."""
    result = diff_releases(_release_dir(old), _release_dir(new))
    if markdown:
        typer.echo(render_diff_markdown(result), nl=False)
    elif fmt == ReportFormat.json:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(render_diff_text(result), nl=False)
