"""``iraq-withdrawal diff``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ..datasets.diff import diff_releases, render_diff_markdown, render_diff_text
from ..datasets.load import release_dir
from .options import FormatOption, ReportFormat


def _release_dir(value: str) -> Path:
    path = Path(value)
    if path.is_dir() and (path / "datapackage.json").is_file():
        return path
    if path.name == "datapackage.json" and path.is_file():
        return path.parent
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
