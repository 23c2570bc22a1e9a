"""``iraq-withdrawal docs``: the generated codebook and dataset-card counts."""

from __future__ import annotations

from pathlib import Path

import typer

from ..datasets.docs import generated_documents

docs_app = typer.Typer(help="Write or check the generated documentation (docs/).", no_args_is_help=True)

DocsDir = typer.Option(Path("docs"), "--docs-dir", help="The repository's docs/ directory.")


@docs_app.command("write")
def write(docs_dir: Path = DocsDir) -> None:
    """Regenerate docs/codebook.md and the counts in docs/dataset-card.md."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    for path, text in generated_documents(docs_dir).items():
        path.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {path}")


@docs_app.command("check")
def check(docs_dir: Path = DocsDir) -> None:
    """Exit 1 when a generated document is stale."""
    stale = [p for p, text in generated_documents(docs_dir).items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
    for path in stale:
        typer.echo(f"stale: {path}")
    if stale:
        typer.echo("run `iraq-withdrawal docs write` and commit the result", err=True)
        raise typer.Exit(1)
    typer.echo("docs: up to date")
