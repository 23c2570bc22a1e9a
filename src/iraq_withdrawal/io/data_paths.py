"""Where the shipped data lives: inside the installed package, or in a source checkout."""

from __future__ import annotations

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
