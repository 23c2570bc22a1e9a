"""``iraq-withdrawal release`` and ``iraq-withdrawal download``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .app import app
from .options import build_errors_exit, dataset_path


@app.command()
def release(
    version: str = typer.Argument(..., help="Dataset version, MAJOR.MINOR.PATCH, newer than every existing release."),
    dataset: Optional[Path] = typer.Option(None, "--dataset", help="Curated dataset directory (default: the repository's datasets/)."),
    releases: Optional[Path] = typer.Option(None, "--releases", help="Releases directory (default: datasets/releases/)."),
    registry: Optional[Path] = typer.Option(None, "--registry", help="Hash registry to update (default: the package's registry.txt)."),
) -> None:
    """Build an immutable release into <releases>/VERSION/ and add its hashes to the registry.

    Refuses a version that exists or is not newer than the newest release, and data with errors.
    """
    from ..datasets.release import ReleaseError, release as make_release

    try:
        with build_errors_exit():
            target = make_release(version, dataset_path(dataset), releases, registry)
    except ReleaseError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(2)
    typer.echo(f"released {version} at {target}")


@app.command()
def download(
    version: str = typer.Argument(..., help="Release version to fetch."),
    dest: Optional[Path] = typer.Option(None, "--dest", help="Directory to download into (default: the user cache)."),
    base_url: Optional[str] = typer.Option(None, "--base-url", envvar="IRAQ_WITHDRAWAL_BASE_URL",
                                           help="URL of a folder laid out like datasets/releases/ (BASE/VERSION/FILE)."),
) -> None:
    """Fetch a release, verify every file against the hashes shipped in the package, and cache it."""
    from ..datasets.load import DataNotAvailable, download as fetch

    try:
        directory = fetch(version, dest=dest, base_url=base_url)
    except DataNotAvailable as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(2)
    except ValueError as exc:  # pooch: hash mismatch
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(1)
    except Exception as exc:  # noqa: BLE001 - network and HTTP errors from requests
        typer.echo(f"Error: download failed: {exc}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{version}: verified and stored in {directory}")
