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
