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
from .browse import browse as _browse_cmd, sqlite as _sqlite_cmd  # noqa: E402
from .plot import timeline as _timeline_cmd  # noqa: E402
from .site import site as _site_cmd  # noqa: E402

app.command("sqlite")(_sqlite_cmd)
app.command("browse")(_browse_cmd)
app.command("site")(_site_cmd)
_plot = typer.Typer(help="Draw pictures of a release.", no_args_is_help=True)
_plot.command("timeline")(_timeline_cmd)
app.add_typer(_plot, name="plot")


def main() -> None:
    """Entry point; usage errors exit 2, as click does."""
    try:
        app(prog_name="iraq-withdrawal")
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
