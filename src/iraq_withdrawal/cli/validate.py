"""``iraq-withdrawal validate``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import UsageError
from ..io.data_paths import find_checkout
from ..validators.dispatch import validate_path
from ..validators.render import render
from .options import Engine, MaxFindingsOption, StrictOption, ValidateFormat, ValidateFormatOption


def validate(
    path: Optional[Path] = typer.Argument(
        None,
        help="A curated dataset directory, a release directory or its datapackage.json, a folder of tables "
        "(events.csv, event_actors.parquet …), or one CSV/Parquet table. Default: datasets/ of the repository checkout "
        "around the working directory, else the dataset that ships with the package.",
        show_default=False,
    ),
    table: Optional[str] = typer.Option(None, "--table", "-t", help="Which table a single CSV or Parquet file holds (default: its file name)."),
    fmt: ValidateFormat = ValidateFormatOption,
    strict: bool = StrictOption,
    max_findings: int = MaxFindingsOption,
    max_per_rule: int = typer.Option(100, "--max-per-rule", min=1,
                                     help="For a single table: list at most this many findings per rule and column (all are counted)."),
    engine: Engine = typer.Option(Engine.arrow, "--engine", help="For a single Parquet table: arrow (this machine, streaming) or spark."),
    spark_master: str = typer.Option("local[2]", "--spark-master", help="Spark master URL for --engine spark."),
    previous_releases: Optional[Path] = typer.Option(
        None, "--previous-releases",
        help="Folder of earlier releases (one VERSION/ folder each): every id they released must still be present or retired. "
        "Default: none for a release; a curated dataset's own releases/ folder."),
    no_shipped_default: bool = typer.Option(False, "--no-shipped-default",
                                            help="Without PATH, validate the checkout around the working directory or stop (exit 2); "
                                            "never the dataset that ships with the package (for CI hooks)."),
    verbose: bool = typer.Option(False, "--verbose", help="For --engine spark: show Spark's own log lines and stage progress bars."),
) -> None:
    """Check data against its schema and report every problem with its file, line or row, and field.

    Exit codes: 0 valid; 1 errors found (with --strict, warnings too); 2 validation could not start.
    """
    if path is None and no_shipped_default and find_checkout() is None:
        raise UsageError("say what to validate: no PATH was given and there is no datasets/curated at or above the working directory "
                         "(in .pre-commit-config.yaml: args: [derived/]; in the GitHub Action: with: path: derived/)")
    report = validate_path(path, table, max_per_rule=max_per_rule, engine=engine.value, spark_master=spark_master,
                           progress=fmt == ValidateFormat.text, previous_releases=previous_releases, verbose=verbose)
    typer.echo(render(report, fmt.value, strict=strict, limit=max_findings or None), nl=False)
    raise typer.Exit(report.exit_code(strict))
