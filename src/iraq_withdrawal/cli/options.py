"""Options shared by several commands, defined once."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


FormatOption = typer.Option(OutputFormat.text, "--format", "-f", help="Output format: text, json or github (workflow annotations).")
StrictOption = typer.Option(False, "--strict", help="Count warnings as errors for the exit code.")
DatasetArgument = typer.Argument(
    None,
    help="Curated dataset directory (holding curated/ and sources/). Default: the dataset that ships with the package.",
    show_default=False,
)
MaxFindingsOption = typer.Option(200, "--max-findings", min=0, help="Show at most this many findings in text output (0: all).")


def dataset_path(path: Optional[Path]) -> Path:
    from ..datasets.paths import curated_root

    return path if path is not None else curated_root()
