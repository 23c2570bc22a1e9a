"""``iraq-withdrawal sqlite`` and ``iraq-withdrawal browse``: a release as a SQLite database, in Datasette."""

from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
from importlib.util import find_spec
from pathlib import Path
from typing import Optional

import typer

from ..datasets.release_read import default_release_dir
from ..datasets.sqlite import write_browse_files
from ..errors import UsageError

ReleaseOption = typer.Option(
    None, "--release", help="A built release directory. Default: the release VERSION that ships with the package.",
    show_default=False,
)


def resolve_release(version: Optional[str], release: Optional[Path]) -> Path:
    """The release directory the options name."""
    if release is not None:
        if not (release / "datapackage.json").is_file():
            raise UsageError(f"{release} is not a built release (no datapackage.json)")
        return release
    return default_release_dir(version)


def sqlite(
    out: Path = typer.Option(..., "--out", help="Directory to write iraq-withdrawal.db and datasette-metadata.json into."),
    version: Optional[str] = typer.Argument(None, help="Release version (default: the newest shipped).", show_default=False),
    release: Optional[Path] = ReleaseOption,
) -> None:
    """Write a release as a SQLite database (iraq-withdrawal.db) with its Datasette metadata (datasette-metadata.json)."""
    db, metadata = write_browse_files(resolve_release(version, release), out=out)
    typer.echo(f"wrote {db}")
    typer.echo(f"wrote {metadata}")
    typer.echo(f"browse it: datasette serve {db} --metadata {metadata}")


def browse(
    version: Optional[str] = typer.Argument(None, help="Release version (default: the newest shipped).", show_default=False),
    release: Optional[Path] = ReleaseOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Address Datasette listens on."),
    port: int = typer.Option(8001, "--port", help="Port Datasette listens on (0: any free port)."),
    open_browser: bool = typer.Option(False, "--open", help="Open a web browser on the page."),
) -> None:
    """Browse a release in Datasette: build its database in a temporary directory and serve it."""
    if find_spec("datasette") is None:
        raise UsageError('Datasette is not installed; pip install "iraq-withdrawal[browse]"')
    directory = resolve_release(version, release)
    with tempfile.TemporaryDirectory(prefix="iraq-withdrawal-browse-") as tmp:
        db, metadata = write_browse_files(directory, out=Path(tmp))
        command = [sys.executable, "-m", "datasette", "serve", str(db), "--metadata", str(metadata),
                   "--host", host, "--port", str(port), "--setting", "default_page_size", "50"]
        if open_browser:
            command.append("--open")
        typer.echo(f"serving {directory} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
        code = _run_until_stopped(command)
    raise typer.Exit(code)


def _run_until_stopped(command: list[str]) -> int:
    """Run the server; on Ctrl-C or SIGTERM stop it too, so that no server outlives the command."""

    def _stop(signum, frame):
        raise KeyboardInterrupt

    process = subprocess.Popen(command)
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
