"""``iraq-withdrawal validate``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .app import app
from .options import FormatOption, MaxFindingsOption, OutputFormat, StrictOption


@app.command()
def validate(
    path: Optional[Path] = typer.Argument(
        None,
        help="A curated dataset directory, a release directory or its datapackage.json, or one CSV/Parquet table. "
        "Default: the dataset that ships with the package.",
        show_default=False,
    ),
    table: Optional[str] = typer.Option(None, "--table", "-t", help="Which table a single CSV or Parquet file holds (default: its file name)."),
    fmt: OutputFormat = FormatOption,
    strict: bool = StrictOption,
    max_findings: int = MaxFindingsOption,
) -> None:
    """Check data against schema 1.0.0 and report every problem with its file, line or row, and field.

    Exit codes: 0 valid; 1 errors found (with --strict, warnings too); 2 validation could not start.
    """
    from ..validators.dispatch import CannotStart, validate_path
    from ..validators.render import render

    try:
        report = validate_path(path, table)
    except CannotStart as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(2)
    typer.echo(render(report, fmt.value, strict=strict, limit=max_findings or None), nl=False)
    raise typer.Exit(report.exit_code(strict))
