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

    Exit 0 when everything is covered, 1 when something is not, 2 when the dataset cannot be read
    (a curated file or a source text that could not be read: what it holds is not known to be covered).
    """
    root = dataset_path(dataset)
    if not is_curated_dir(root):
        raise UsageError(f"{root} is not a curated dataset directory (curated/ and sources/)")
    result = validate_curated(root)
    texts = result.data.texts
    uncovered = sum(len(c.uncovered) for c in result.coverage)
    # what could not be read cannot be called covered: a source whose text is missing, unreadable or a link out,
    # and any curated or source file that was not read (its sources, evidence and exclusions are unknown)
    unread = sorted({e.id for e in result.data.entries.get("sources", []) if isinstance(e.id, str)} - set(texts))
    unreadable = sorted({f.file or "" for f in result.report.findings if f.code in _READING and f.severity.value == "error"})
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
            "texts_not_read": unread,
            "files_not_read": unreadable,
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for c in result.coverage:
            typer.echo(f"{c.source}: {c.covered}/{c.total} numbers and quoted spans covered")
            for item in c.uncovered:
                typer.echo(f"  uncovered {item.kind} '{item.text[:60]}' at offset {item.start}: …{item.context(texts[c.source])}…")
        for source in unread:
            typer.echo(f"{source}: text not read (missing, unreadable or a link out of sources/); its coverage is unknown")
        for file in unreadable:
            typer.echo(f"{file}: not read; the coverage of what it holds is unknown")
        typer.echo(f"{uncovered} uncovered" + (f"; not read: {len(unread)} source text(s), {len(unreadable)} file(s)" if unread or unreadable else ""))
    if unreadable:
        raise typer.Exit(2)
    raise typer.Exit(1 if uncovered or unread else 0)


#: Rules that mean a file (or a source text) was not read at all.
_READING = {"IW101", "IW102", "IW107", "IW108", "IW110", "IW111", "IW112"}
