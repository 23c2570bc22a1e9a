"""``iraq-withdrawal stats``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from ..datasets.stats import dataset_stats
from ..errors import UsageError
from ..validators.records import is_curated_dir
from .options import DatasetArgument, FormatOption, ReportFormat, dataset_path


def stats(dataset: Optional[Path] = DatasetArgument, fmt: ReportFormat = FormatOption) -> None:
    """Counts per table and per source, and the coverage figures."""
    root = dataset_path(dataset)
    if not is_curated_dir(root):
        raise UsageError(f"{root} is not a curated dataset directory (curated/ and sources/)")
    result = dataset_stats(root)
    if fmt == ReportFormat.json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    typer.echo("records per table: " + ", ".join(f"{t} {n}" for t, n in result["tables"].items()))
    header = ["source"] + list(result["tables"]) + ["coverage"]
    typer.echo("\t".join(header))
    for source, row in result["sources"].items():
        typer.echo("\t".join([source] + [str(row["records"].get(t, 0)) for t in result["tables"]] + [f"{row['covered']}/{row['items']}"]))
    typer.echo(f"valid: {result['valid']} ({result['errors']} error(s), {result['warnings']} warning(s))")
