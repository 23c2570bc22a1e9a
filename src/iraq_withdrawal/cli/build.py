"""``iraq-withdrawal build``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..datasets.build import build as run_build
from ..errors import UsageError
from .options import DatasetArgument, dataset_path


def build(
    dataset: Optional[Path] = DatasetArgument,
    out: Path = typer.Option(..., "--out", "-o", help="Directory to write the release files into (replaced atomically)."),
    dataset_version: str = typer.Option("dev", "--dataset-version", help="Version recorded in datapackage.json and the Parquet metadata."),
) -> None:
    """Validate the curated data and write Parquet, CSV, datapackage.json and SHA256SUMS to --out.

    Nothing is written when the data has errors. Two builds of the same input are byte-identical.
    """
    root = dataset_path(dataset)
    if not root.is_dir():
        raise UsageError(f"{root} does not exist or is not a directory")
    result = run_build(root, out, dataset_version=dataset_version)
    counts = ", ".join(f"{n} {k}" for k, n in result.report.checked.items() if k != "files")
    typer.echo(f"built {out} ({counts})")
