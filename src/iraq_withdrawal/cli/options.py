"""Options shared by several commands, defined once."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ..io.data_paths import default_dataset


class ReportFormat(str, Enum):
    """Formats of commands that print a summary: text for people, JSON for programs."""

    text = "text"
    json = "json"


class ValidateFormat(str, Enum):
    """Formats of ``validate``: also GitHub workflow annotations."""

    text = "text"
    json = "json"
    github = "github"


class Engine(str, Enum):
    arrow = "arrow"
    spark = "spark"


FormatOption = typer.Option(ReportFormat.text, "--format", "-f", help="Output format: text or json.")
ValidateFormatOption = typer.Option(ValidateFormat.text, "--format", "-f", help="Output format: text, json or github (workflow annotations).")
StrictOption = typer.Option(False, "--strict", help="Count warnings as errors for the exit code.")
DatasetArgument = typer.Argument(
    None,
    help="Curated dataset directory (holding curated/ and sources/). Default: datasets/ of the repository checkout "
    "around the working directory, else the dataset that ships with the package.",
    show_default=False,
)
MaxFindingsOption = typer.Option(200, "--max-findings", min=0, help="Show at most this many findings in text output (0: all).")


def dataset_path(path: Optional[Path]) -> Path:
    """The dataset a command works on: the given directory, else the working tree's (said on stderr), else the shipped one."""
    if path is not None:
        return path
    default = default_dataset()
    typer.echo(f"using {default.description}", err=True)
    return default.path
