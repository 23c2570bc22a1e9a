"""``iraq-withdrawal site``: the provenance pages of a release, as a static site."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..datasets.site import write_site
from .browse import ReleaseOption, resolve_release


def site(
    out: Path = typer.Option(..., "--out", help="Directory to write the site into (replaced if it holds an earlier site)."),
    version: Optional[str] = typer.Argument(None, help="Release version (default: the newest shipped).", show_default=False),
    release: Optional[Path] = ReleaseOption,
) -> None:
    """Write provenance pages: each article with its evidence highlighted, and a page per record."""
    written = write_site(resolve_release(version, release), out)
    typer.echo(f"wrote {written}/index.html (open it in a browser; no network needed)")
