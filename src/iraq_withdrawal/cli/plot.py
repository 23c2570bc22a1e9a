"""``iraq-withdrawal plot timeline``: a picture of the dated events of a release.

A plain typer-annotated function; ``cli/app.py`` registers it under the ``plot`` group.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .browse import ReleaseOption, resolve_release


def timeline(
    out: Path = typer.Option(..., "--out", help="File to write: .png, .svg or .html (self-contained, with tooltips)."),
    version: Optional[str] = typer.Argument(None, help="Release version (default: the newest shipped).", show_default=False),
    release: Optional[Path] = ReleaseOption,
    scale: float = typer.Option(2.0, "--scale", min=0.5, max=8.0, help="Pixels per unit for PNG."),
    spec: Optional[Path] = typer.Option(None, "--spec", help="Also write the Vega-Lite specification (JSON) here."),
) -> None:
    """Draw the dated events over the intervals their sources allow, coloured by event type."""
    from ..datasets.release_read import ReleaseReadError
    from ..datasets.release_read import read_tables, release_versions
    from ..datasets.timeline import PlotError, spec_json, timeline_spec, write_timeline

    directory = resolve_release(version, release)
    try:
        written = write_timeline(directory, out, scale=scale)
        if spec is not None:
            text = spec_json(timeline_spec(read_tables(directory), release_versions(directory)[0]))
            spec.write_text(text, encoding="utf-8")
            typer.echo(f"wrote {spec}")
    except PlotError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(2)
    except (ReleaseReadError, OSError) as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1)
    typer.echo(f"wrote {written}")
