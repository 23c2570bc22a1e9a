"""The ``iraq-withdrawal`` command: every verb registered here, in one place.

Each command is a plain function in its own module (``validate.py``, ``build.py`` …)
that parses its options, calls one library function and renders the result; no
command module imports this one. Errors the library raises
(:class:`~iraq_withdrawal.errors.IraqWithdrawalError`) are turned into a message and
their exit code here, once, for every command.
"""

from __future__ import annotations

import sys

import typer
from typer.core import TyperGroup

from .. import __version__
from ..errors import BuildRefused, IraqWithdrawalError
from ..findings import printable
from ..validators.render import render
from . import add_source, browse, build, coverage, curate, diff, docs, plot, release, schema, site, stats, validate


class _Commands(TyperGroup):
    """The root group: library errors become ``Error: …`` on stderr and their exit code."""

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except BuildRefused as exc:
            typer.echo(render(exc.report, "text", limit=50), nl=False, err=True)
            typer.echo(printable(f"Error: {exc}"), err=True)
            raise typer.Exit(exc.exit_code) from None
        except IraqWithdrawalError as exc:  # messages name paths, versions and values given: printed escaped
            typer.echo(printable(f"Error: {exc}"), err=True)
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:  # a file that cannot be written or read where the command writes
            typer.echo(printable(f"Error: {exc.strerror or exc}{': ' + str(exc.filename) if exc.filename else ''}"), err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    name="iraq-withdrawal",
    cls=_Commands,
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


app.command("validate")(validate.validate)
app.command("build")(build.build)
app.command("coverage")(coverage.coverage)
app.command("stats")(stats.stats)
app.command("diff")(diff.diff)
app.command("release")(release.release)
app.command("download")(release.download)
app.command("sqlite")(browse.sqlite)
app.command("browse")(browse.browse)
app.command("site")(site.site)
app.command("add-source")(add_source.add_source)
app.command("find-quote")(curate.find_quote)
app.command("resolve-date")(curate.resolve_date)
app.command("suggest")(curate.suggest)
app.add_typer(schema.schema_app, name="schema")
app.add_typer(docs.docs_app, name="docs")
app.add_typer(plot.plot_app, name="plot")


def main() -> None:
    """Entry point of the console script."""
    try:
        app(prog_name="iraq-withdrawal")
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
