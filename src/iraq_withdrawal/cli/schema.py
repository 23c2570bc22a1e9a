"""``iraq-withdrawal schema``: the published schema documents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from ..errors import UsageError
from ..findings import printable
from ..io.data_paths import schema_root
from ..io.paths import stat_kind
from ..schema import CURRENT_VERSION
from ..schema.compat import BUMPS, actual_bump, compare, load_table_schemas, required_bump
from ..schema.publish import stale_documents, write_documents
from ..schema.versions import is_version
from .options import FormatOption, ReportFormat

schema_app = typer.Typer(help="Write or check the published schema documents (schema/<version>/).", no_args_is_help=True)


@schema_app.command("write")
def write(out: Optional[Path] = typer.Option(None, "--out", help="Directory to write into (default: schema/ of the checkout).")) -> None:
    """Generate schema/<version>/ from the models."""
    target = (out or schema_root()) / CURRENT_VERSION
    written = write_documents(target)
    typer.echo(f"wrote {written} documents to {target}")


@schema_app.command("check")
def check(directory: Optional[Path] = typer.Argument(None, help="schema/ directory (default: the shipped one).")) -> None:
    """Exit 1 when the committed schema documents differ from what the models generate."""
    target = (directory or schema_root()) / CURRENT_VERSION
    stale = stale_documents(target)
    for name in stale:
        typer.echo(f"stale: {target / name}")
    if stale:
        typer.echo("run `iraq-withdrawal schema write` and commit the result", err=True)
        raise typer.Exit(1)
    typer.echo(f"{target}: up to date")


@schema_app.command("diff")
def diff(
    old: str = typer.Argument(..., help="Old schema: a version (looked up in schema/) or a schema version directory."),
    new: str = typer.Argument(..., help="New schema: a version or a schema version directory."),
    fmt: ReportFormat = FormatOption,
) -> None:
    """Classify every change between two schema versions and state the version bump it requires.

    Exit 0 when the versions' numbers allow the changes, 1 when the bump is too small.
    """
    published = sorted(p.name for p in schema_root().iterdir() if (p / "tables").is_dir()) if schema_root().is_dir() else []

    def locate(value: str) -> Path:
        path = Path(value)
        if stat_kind(path) == "dir":
            if stat_kind(path / "tables") != "dir":
                raise UsageError(f"{value} holds no schema documents (tables/)")
            return path
        if (schema_root() / value / "tables").is_dir():
            return schema_root() / value
        raise UsageError(f"schema version '{value}' is not published (published: {', '.join(published) or 'none'}); "
                         "give a version or a schema/<version>/ directory")

    old_dir, new_dir = locate(old), locate(new)
    changes = compare(load_table_schemas(old_dir), load_table_schemas(new_dir))
    needed = required_bump(changes)
    have = actual_bump(old_dir.name, new_dir.name) if all(is_version(p.name) for p in (old_dir, new_dir)) else None
    ok = have is None or BUMPS.index(have) >= BUMPS.index(needed)
    # table and field names come from the documents and their file names: printed escaped, as findings are
    # (a JSON string keeps its \u escapes valid; a lone surrogate could not be printed at all)
    if fmt == ReportFormat.json:
        text = json.dumps({"old": old if Path(old).is_dir() else old_dir.name, "new": new if Path(new).is_dir() else new_dir.name,
                           "required_bump": needed, "actual_bump": have,
                           "changes": [c.as_dict() for c in changes]}, ensure_ascii=False, indent=2)
        typer.echo("\n".join(printable(line) for line in text.split("\n")))  # JSON strings hold no raw newline
    else:
        for c in changes:
            where = f"{c.table}.{c.field}" if c.field else c.table
            typer.echo(printable(f"{c.bump:5} {c.compatibility:40} {where}: {c.kind}{' (' + c.detail + ')' if c.detail else ''}"))
        typer.echo(printable(f"required bump: {needed}" + (f"; {old_dir.name} -> {new_dir.name} is a {have} bump" if have else "")))
    raise typer.Exit(0 if ok else 1)
