"""Options shared by several commands, defined once."""

from __future__ import annotations

from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Optional

import typer


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


class Engine(str, Enum):
    arrow = "arrow"
    spark = "spark"


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


@contextmanager
def build_errors_exit():
    """Turn the build's refusals and write errors into messages and exit code 1."""
    from ..datasets.build import BuildError, BuildRefused
    from ..validators.render import render

    try:
        yield
    except BuildRefused as exc:
        typer.echo(render(exc.report, "text", limit=50), nl=False, err=True)
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1)
    except (BuildError, OSError) as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1)
