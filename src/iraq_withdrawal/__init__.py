"""iraq-withdrawal: a hand-curated dataset of Arabic news reporting on the US-led coalition's withdrawal from Iraq.

>>> import iraq_withdrawal
>>> events = iraq_withdrawal.load("events")            # newest shipped release, pandas
>>> actors = iraq_withdrawal.load("actors", engine="polars")
>>> iraq_withdrawal.write_table(events[events.status == "occurred"], "derived/events.csv", table="events")
"""

from __future__ import annotations

from typing import Any

__version__ = "1.0.0"

__all__ = ["__version__", "load", "download", "write_table"]


def load(table: str, version: str | None = None, engine: str = "pandas", base_url: str | None = None, cache: Any = None) -> Any:
    """Read one table of a release (see :func:`iraq_withdrawal.datasets.load.load`)."""
    from .datasets.load import load as _load

    return _load(table, version=version, engine=engine, base_url=base_url, cache=cache)


def download(version: str, dest: Any = None, base_url: str | None = None) -> Any:
    """Fetch and verify a release (see :func:`iraq_withdrawal.datasets.load.download`)."""
    from .datasets.load import download as _download

    return _download(version, dest=dest, base_url=base_url)


def write_table(frame: Any, path: Any, table: str | None = None) -> Any:
    """Write a pandas or polars frame as CSV or Parquet that ``iraq-withdrawal validate`` accepts
    (see :func:`iraq_withdrawal.datasets.write.write_table`)."""
    from .datasets.write import write_table as _write_table

    return _write_table(frame, path, table=table)
