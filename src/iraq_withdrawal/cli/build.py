"""``iraq-withdrawal build``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .app import app
from .options import DatasetArgument, build_errors_exit, dataset_path


@app.command()
def build(
    dataset: Optional[Path] = DatasetArgument,
    out: Path = typer.Option(..., "--out", "-o", help="Directory to write the release files into (replaced atomically)."),
    dataset_version: str = typer.Option("dev", "--dataset-version", help="Version recorded in datapackage.json and the Parquet metadata."),
) -> None:
    """Validate the curated data and write Parquet, CSV, datapackage.json and SHA256SUMS to --out.

    Nothing is written when the data has errors. Two builds of the same input are byte-identical.
    """
    from ..datasets.build import build as run_build

    root = dataset_path(dataset)
    if not root.is_dir():
        typer.echo(f"Error: {root} does not exist or is not a directory", err=True)
        raise typer.Exit(2)
    with build_errors_exit():
        result = run_build(root, out, dataset_version=dataset_version)
    counts = ", ".join(f"{n} {k}" for k, n in result.report.checked.items() if k != "files")
    typer.echo(f"built {out} ({counts})")
