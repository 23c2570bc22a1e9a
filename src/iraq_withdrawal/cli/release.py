"""``iraq-withdrawal release`` and ``iraq-withdrawal download``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..datasets.load import download as fetch
from ..datasets.release import release as make_release
from .options import dataset_path


def release(
    version: str = typer.Argument(..., help="Dataset version, MAJOR.MINOR.PATCH, newer than every existing release."),
    dataset: Optional[Path] = typer.Option(None, "--dataset", help="Curated dataset directory (default: the repository's datasets/)."),
    releases: Optional[Path] = typer.Option(None, "--releases", help="Releases directory (default: datasets/releases/)."),
    registry: Optional[Path] = typer.Option(None, "--registry", help="Hash registry to update (default: the package's registry.txt)."),
) -> None:
    """Build an immutable release into <releases>/VERSION/ and add its hashes to the registry.

    Refuses a version that exists or is not newer than the newest release, and data with errors.
    """
    target = make_release(version, dataset_path(dataset), releases, registry)
    typer.echo(f"released {version} at {target}")


def download(
    version: str = typer.Argument(..., help="Release version to fetch."),
    dest: Optional[Path] = typer.Option(None, "--dest", help="Directory to download into (default: the user cache)."),
    base_url: Optional[str] = typer.Option(None, "--base-url", envvar="IRAQ_WITHDRAWAL_BASE_URL",
                                           help="URL of a folder laid out like datasets/releases/ (BASE/VERSION/FILE)."),
) -> None:
    """Fetch a release, verify every file against the hashes shipped in the package, and store it in --dest.

    A version that ships with the package is copied from it. All or nothing: a hash that
    differs (not retried), the overall deadline or byte budget, or a network error leave
    nothing in --dest. Quiet unless stderr is a terminal.
    """
    directory = fetch(version, dest=dest, base_url=base_url)
    typer.echo(f"{version}: verified and stored in {directory}")
