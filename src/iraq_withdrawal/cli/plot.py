"""``iraq-withdrawal plot``: pictures of a release (``plot timeline``)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..datasets.release_read import read_tables, release_versions
from ..datasets.timeline import spec_json, timeline_spec, write_timeline
from .browse import ReleaseOption, resolve_release

plot_app = typer.Typer(help="Draw pictures of a release.", no_args_is_help=True)


@plot_app.command("timeline")
def timeline(
    out: Path = typer.Option(..., "--out", help="File to write: .png, .svg or .html (self-contained, with tooltips)."),
    version: Optional[str] = typer.Argument(None, help="Release version (default: the newest shipped).", show_default=False),
    release: Optional[Path] = ReleaseOption,
    scale: float = typer.Option(2.0, "--scale", min=0.5, max=8.0, help="Pixels per unit for PNG."),
    spec: Optional[Path] = typer.Option(None, "--spec", help="Also write the Vega-Lite specification (JSON) here."),
) -> None:
    """Draw the dated events over the intervals their sources allow, coloured by event type."""
    directory = resolve_release(version, release)
    written = write_timeline(directory, out, scale=scale)
    if spec is not None:
        text = spec_json(timeline_spec(read_tables(directory), release_versions(directory)[0]))
        spec.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {spec}")
    typer.echo(f"wrote {written}")
