"""``iraq-withdrawal stats``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from ..datasets.stats import dataset_stats, release_stats
from ..errors import UsageError
from ..validators.records import is_curated_dir
from .options import FormatOption, ReportFormat, dataset_path


def stats(
    dataset: Optional[Path] = typer.Argument(None, help="A curated dataset directory, or a release directory or its datapackage.json. "
                                             "Default: datasets/ of the checkout around the working directory, else the shipped dataset.",
                                             show_default=False),
    fmt: ReportFormat = FormatOption,
) -> None:
    """Counts per table and per source, and the coverage figures (curated data only)."""
    if dataset is not None and dataset.name == "datapackage.json" and dataset.is_file():
        dataset = dataset.parent
    root = dataset_path(dataset)
    if root.is_dir() and (root / "datapackage.json").is_file():
        result = release_stats(root)
    elif is_curated_dir(root):
        result = dataset_stats(root)
    else:
        raise UsageError(f"{root} is neither a curated dataset directory (curated/ and sources/) nor a release (datapackage.json)")
    if fmt == ReportFormat.json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    typer.echo("records per table: " + ", ".join(f"{t} {n}" for t, n in result["tables"].items()))
    header = ["source"] + list(result["tables"]) + ["coverage"]
    typer.echo("\t".join(header))
    for source, row in result["sources"].items():
        coverage = "-" if row["items"] is None else f"{row['covered']}/{row['items']}"
        typer.echo("\t".join([source] + [str(row["records"].get(t, 0)) for t in result["tables"]] + [coverage]))
    typer.echo(f"valid: {result['valid']} ({result['errors']} error(s), {result['warnings']} warning(s))")
