"""``iraq-withdrawal schema``: the published schema documents."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .app import app

schema_app = typer.Typer(help="Write or check the published schema documents (schema/<version>/).", no_args_is_help=True)
app.add_typer(schema_app, name="schema")


@schema_app.command("write")
def write(out: Optional[Path] = typer.Option(None, "--out", help="Directory to write into (default: schema/ of the checkout).")) -> None:
    """Generate schema/<version>/ from the models."""
    from ..schema import CURRENT_VERSION
    from ..schema.publish import write_documents
    from ..datasets.paths import schema_root

    target = (out or schema_root()) / CURRENT_VERSION
    written = write_documents(target)
    typer.echo(f"wrote {written} documents to {target}")


@schema_app.command("check")
def check(directory: Optional[Path] = typer.Argument(None, help="schema/ directory (default: the shipped one).")) -> None:
    """Exit 1 when the committed schema documents differ from what the models generate."""
    from ..schema import CURRENT_VERSION
    from ..schema.publish import stale_documents
    from ..datasets.paths import schema_root

    target = (directory or schema_root()) / CURRENT_VERSION
    stale = stale_documents(target)
    for name in stale:
        typer.echo(f"stale: {target / name}")
    if stale:
        typer.echo("run `iraq-withdrawal schema write` and commit the result", err=True)
        raise typer.Exit(1)
    typer.echo(f"{target}: up to date")
