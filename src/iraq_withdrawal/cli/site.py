"""``iraq-withdrawal site``: the provenance pages of a release, as a static site.

A plain typer-annotated function; ``cli/app.py`` registers it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .browse import ReleaseOption, resolve_release


def site(
    out: Path = typer.Option(..., "--out", help="Directory to write the site into (replaced if it holds an earlier site)."),
    version: Optional[str] = typer.Argument(None, help="Release version (default: the newest shipped).", show_default=False),
    release: Optional[Path] = ReleaseOption,
) -> None:
    """Write provenance pages: each article with its evidence highlighted, and a page per record."""
    from ..datasets.release_read import ReleaseReadError
    from ..datasets.site import SiteError, write_site

    directory = resolve_release(version, release)
    try:
        written = write_site(directory, out)
    except (SiteError, ReleaseReadError, ValueError, OSError) as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1)
    typer.echo(f"wrote {written}/index.html (open it in a browser; no network needed)")
