"""Where the data lives: the working tree a command runs in, the installed package, or a source checkout.

Commands that work on the curated dataset default to the *working tree*: a checkout of
the repository is recognised by a ``datasets/curated`` directory at or above the working
directory (:func:`find_checkout`), so a contributor's edits are what gets checked. Only
outside a checkout do they use the copy that ships with the package. Nothing is ever
written into the installed package (:func:`is_installed_location`).
"""

from __future__ import annotations

import os
import sysconfig
from dataclasses import dataclass
from importlib import resources
from pathlib import Path


def _package_data() -> Path:
    return Path(str(resources.files("iraq_withdrawal"))) / "_data"


def _checkout() -> Path:
    return Path(__file__).resolve().parents[3]


def curated_root() -> Path:
    """The curated dataset directory (holding curated/ and sources/) that ships with the package."""
    packaged = _package_data()
    if (packaged / "curated").is_dir():
        return packaged
    return _checkout() / "datasets"


def schema_root() -> Path:
    """The published schema documents (schema/<version>/)."""
    packaged = _package_data() / "schema"
    if packaged.is_dir():
        return packaged
    return _checkout() / "schema"


def releases_root() -> Path:
    """The released versions that ship with the package (datasets/releases/ in a checkout)."""
    packaged = _package_data() / "releases"
    if packaged.is_dir():
        return packaged
    return _checkout() / "datasets" / "releases"


def registry_path() -> Path:
    """The SHA-256 registry of every released file, shipped inside the package."""
    return Path(__file__).resolve().parents[1] / "registry.txt"


def find_checkout(start: Path | None = None) -> Path | None:
    """The repository root at or above ``start`` (default: the working directory) that holds
    ``datasets/curated``, or None outside a checkout. Installed copies are never a checkout."""
    here = Path(os.path.abspath(start or Path.cwd()))
    for directory in (here, *here.parents):
        if (directory / "datasets" / "curated").is_dir() and not is_installed_location(directory):
            return directory
    return None


def is_installed_location(path: Path) -> bool:
    """True when ``path`` lies inside an installed package directory (site-packages and the like)."""
    resolved = Path(os.path.realpath(path))
    if any(part in ("site-packages", "dist-packages") for part in resolved.parts):
        return True
    for key in ("purelib", "platlib"):
        location = sysconfig.get_paths().get(key)
        if location and (resolved == Path(os.path.realpath(location)) or Path(os.path.realpath(location)) in resolved.parents):
            return True
    return False


@dataclass(frozen=True)
class DefaultDataset:
    """The curated dataset a command uses when none is named, and how to name it to the user."""

    path: Path
    checkout: Path | None

    @property
    def description(self) -> str:
        if self.checkout is not None:
            return f"the working tree's dataset ({_shown(self.path)})"
        return "the dataset shipped with the installed package (no datasets/curated at or above the working directory)"


def _shown(path: Path) -> str:
    relative = os.path.relpath(path)
    return relative if not relative.startswith(".." + os.sep + "..") else str(path)


def default_dataset(start: Path | None = None) -> DefaultDataset:
    """The working tree's ``datasets/`` inside a checkout, else the shipped dataset."""
    checkout = find_checkout(start)
    if checkout is not None:
        return DefaultDataset(checkout / "datasets", checkout)
    return DefaultDataset(curated_root(), None)


def checkout_releases(start: Path | None = None) -> tuple[Path, Path] | None:
    """(releases directory, hash registry) of the checkout around the working directory, or None."""
    checkout = find_checkout(start)
    if checkout is None:
        return None
    return checkout / "datasets" / "releases", checkout / "src" / "iraq_withdrawal" / "registry.txt"
