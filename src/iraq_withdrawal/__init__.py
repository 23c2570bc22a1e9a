"""iraq-withdrawal: a hand-curated dataset of Arabic news reporting on the US-led coalition's withdrawal from Iraq.

>>> import iraq_withdrawal
>>> iraq_withdrawal.versions()                          # releases that ship with the package
>>> iraq_withdrawal.tables()                            # the tables of the newest one
>>> events = iraq_withdrawal.load("events")             # pandas: datetime64 dates, nullable integers
>>> actors = iraq_withdrawal.load("actors", engine="polars")
>>> text = iraq_withdrawal.source_text("src-44bb0898")  # evidence offsets index into this
>>> iraq_withdrawal.release_path()                      # the release directory, for DuckDB or R
>>> iraq_withdrawal.write_table(events[events.status == "occurred"], "derived/events.csv", table="events")

The functions import the data layer on first use, so ``import iraq_withdrawal`` stays cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__version__ = "1.1.0"

__all__ = ["__version__", "download", "load", "release_path", "source_text", "tables", "versions", "write_table"]


def load(table: str, version: str | None = None, engine: str = "pandas", base_url: str | None = None, cache: Any = None) -> Any:
    """Read one table of a release (see :func:`iraq_withdrawal.datasets.load.load`)."""
    from .datasets.load import load as _load

    return _load(table, version=version, engine=engine, base_url=base_url, cache=cache)


def download(version: str, dest: Any = None, base_url: str | None = None) -> Path:
    """Fetch and verify a release (see :func:`iraq_withdrawal.datasets.load.download`)."""
    from .datasets.load import download as _download

    return _download(version, dest=dest, base_url=base_url)


def versions() -> list[str]:
    """The release versions that ship with the package, oldest first (others can be downloaded)."""
    from .datasets.load import shipped_versions

    return shipped_versions()


def release_path(version: str | None = None, base_url: str | None = None, cache: Any = None) -> Path:
    """The directory of a release (shipped, else downloaded and verified): Parquet, CSV, texts, datapackage.json."""
    from .datasets.load import release_dir

    return release_dir(version, base_url=base_url, cache=cache)


def tables(version: str | None = None) -> list[str]:
    """The tables of a release (default: the newest shipped), in release order."""
    from .datasets.load import release_dir, release_tables

    return release_tables(release_dir(version))


def source_text(source: str, version: str | None = None) -> str:
    """The full text of a source as the release ships it; ``text[char_start:char_end]`` is an evidence quote."""
    from .datasets.load import source_text as _source_text

    return _source_text(source, version=version)


def write_table(frame: Any, path: Any, table: str | None = None) -> Any:
    """Write a pandas or polars frame as CSV or Parquet that ``iraq-withdrawal validate`` accepts
    (see :func:`iraq_withdrawal.datasets.write.write_table`)."""
    from .datasets.write import write_table as _write_table

    return _write_table(frame, path, table=table)
