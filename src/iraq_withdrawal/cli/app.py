"""The ``iraq-withdrawal`` command. Each verb lives in its own module and registers itself here."""

from __future__ import annotations

import sys

import typer

from .. import __version__

app = typer.Typer(
    name="iraq-withdrawal",
    help="Validate, build and inspect the iraq-withdrawal dataset.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"iraq-withdrawal {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Validate, build and inspect the iraq-withdrawal dataset."""


from . import build as _build  # noqa: E402,F401  (registers commands)
from . import coverage as _coverage  # noqa: E402,F401
from . import diff as _diff  # noqa: E402,F401
from . import docs as _docs  # noqa: E402,F401
from . import release as _release  # noqa: E402,F401
from . import schema as _schema  # noqa: E402,F401
from . import stats as _stats  # noqa: E402,F401
from . import validate as _validate  # noqa: E402,F401
from . import add_source as _add_source  # noqa: E402  (plain functions, registered here)
from . import curate as _curate  # noqa: E402

app.command(name="add-source")(_add_source.add_source)
app.command(name="find-quote")(_curate.find_quote)
app.command(name="resolve-date")(_curate.resolve_date)
app.command(name="suggest")(_curate.suggest)


def main() -> None:
    """Entry point; usage errors exit 2, as click does."""
    try:
        app(prog_name="iraq-withdrawal")
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
