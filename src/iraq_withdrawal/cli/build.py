"""``iraq-withdrawal build``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .app import app
from .options import DatasetArgument, dataset_path


@app.command()
def build(
    dataset: Optional[Path] = DatasetArgument,
    out: Path = typer.Option(..., "--out", "-o", help="Directory to write the release files into (replaced atomically)."),
    dataset_version: str = typer.Option("dev", "--dataset-version", help="Version recorded in datapackage.json and the Parquet metadata."),
) -> None:
    """Validate the curated data and write Parquet, CSV, datapackage.json and SHA256SUMS to --out.

    Nothing is written when the data has errors. Two builds of the same input are byte-identical.
    """
    from ..datasets.build import BuildError, BuildRefused, build as run_build
    from ..validators.render import render

    root = dataset_path(dataset)
    if not root.is_dir():
        typer.echo(f"Error: {root} does not exist or is not a directory", err=True)
        raise typer.Exit(2)
    try:
        result = run_build(root, out, dataset_version=dataset_version)
    except BuildRefused as exc:
        typer.echo(render(exc.report, "text", limit=50), nl=False, err=True)
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1)
    except (BuildError, OSError) as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1)
    counts = ", ".join(f"{n} {k}" for k, n in result.report.checked.items() if k != "files")
    typer.echo(f"built {out} ({counts})")
