"""``iraq-withdrawal coverage``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from ..errors import UsageError
from ..validators.curated import validate_curated
from ..validators.records import is_curated_dir
from .options import DatasetArgument, FormatOption, ReportFormat, dataset_path


def coverage(dataset: Optional[Path] = DatasetArgument, fmt: ReportFormat = FormatOption) -> None:
    """List every number and quoted span of each source that no evidence or exclusion covers.

    Exit 0 when everything is covered, 1 when something is not, 2 when the dataset cannot be read.
    """
    root = dataset_path(dataset)
    if not is_curated_dir(root):
        raise UsageError(f"{root} is not a curated dataset directory (curated/ and sources/)")
    result = validate_curated(root)
    texts = result.data.texts
    uncovered = sum(len(c.uncovered) for c in result.coverage)
    if fmt == ReportFormat.json:
        payload = {
            "sources": [
                {
                    "source": c.source,
                    "items": c.total,
                    "covered": c.covered,
                    "uncovered": [{"kind": i.kind, "text": i.text, "offset": i.start, "context": i.context(texts[c.source])} for i in c.uncovered],
                }
                for c in result.coverage
            ],
            "uncovered": uncovered,
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for c in result.coverage:
            typer.echo(f"{c.source}: {c.covered}/{c.total} numbers and quoted spans covered")
            for item in c.uncovered:
                typer.echo(f"  uncovered {item.kind} '{item.text[:60]}' at offset {item.start}: …{item.context(texts[c.source])}…")
        typer.echo(f"{uncovered} uncovered")
    raise typer.Exit(1 if uncovered else 0)
