"""``iraq-withdrawal release`` and ``iraq-withdrawal download``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..datasets.load import download as fetch
from ..datasets.release import release as make_release
from ..datasets.release import release_tag
from .options import dataset_path


def release(
    version: str = typer.Argument(..., help="Dataset version, MAJOR.MINOR.PATCH, newer than every existing release."),
    dataset: Optional[Path] = typer.Option(None, "--dataset", help="Curated dataset directory (default: the checkout's datasets/)."),
    releases: Optional[Path] = typer.Option(None, "--releases", help="Releases directory (default: the checkout's datasets/releases/)."),
    registry: Optional[Path] = typer.Option(None, "--registry",
                                            help="Hash registry to update (default: the checkout's src/iraq_withdrawal/registry.txt)."),
) -> None:
    """Build an immutable release into <releases>/VERSION/ and add its hashes to the registry.

    Runs inside a checkout of the repository and writes only there, never into an installed
    package. Refuses a version that exists or is not newer than the newest release, and data with errors.
    """
    target = make_release(version, dataset_path(dataset), releases, registry)
    typer.echo(f"released {version} at {target}")
    tag = release_tag(version)
    typer.echo(f"next: commit the release, then tag it for the CI snippets (rev: {tag}):\n"
               f"  git add datasets/releases/{version} src/iraq_withdrawal/registry.txt && git commit -m 'Release {version}'\n"
               f"  git tag -a {tag} -m 'Release {version}' && git push origin {tag}")


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
