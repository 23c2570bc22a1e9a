"""Read a built release directory into memory, for the views made from it.

The SQLite database, the provenance site and the timeline picture are all made
from a release's tables: either a release directory (``<table>.parquet``,
``sources/<id>.txt``, ``datapackage.json``) or tables already in memory as
``dict[str, pyarrow.Table]`` (what the build holds before it writes). These helpers
give both the same shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DataNotAvailable, IraqWithdrawalError
from ..schema import CURRENT_VERSION
from ..schema.registry import tables
from .load import read_datapackage, release_dir


class ReleaseReadError(IraqWithdrawalError):
    """The directory is not a readable release."""


@dataclass(frozen=True)
class Release:
    """A release's tables, source texts and versions, in memory."""

    tables: Mapping[str, Any]  # table name -> pyarrow.Table
    texts: Mapping[str, str]  # source id -> article text
    dataset_version: str
    schema_version: str

    def rows(self, table: str) -> list[dict[str, Any]]:
        """The rows of a table as dicts, in release order (sorted by primary key)."""
        return self.tables[table].to_pylist()


def release_versions(directory: Path) -> tuple[str, str]:
    """(dataset version, schema version) from ``datapackage.json``."""
    try:
        package = read_datapackage(directory)
    except DataNotAvailable as exc:
        raise ReleaseReadError(str(exc)) from None
    return str(package.get("version", "unknown")), str(package.get("schema_version", CURRENT_VERSION))


def read_tables(directory: Path, schema_version: str | None = None) -> dict[str, Any]:
    """Every table of a release directory as a pyarrow Table, in the schema's table order."""
    import pyarrow.parquet as pq

    directory = Path(directory)
    version = schema_version or release_versions(directory)[1]
    out = {}
    for table in tables(version):
        path = directory / f"{table}.parquet"
        if not path.is_file():
            raise ReleaseReadError(f"{path}: missing; is {directory} a built release?")
        out[table] = pq.read_table(path)
    return out


def read_texts(directory: Path, sources_table: Any) -> dict[str, str]:
    """The article text of each source, from the path the ``sources`` table gives."""
    directory = Path(directory).resolve()
    texts = {}
    for row in sources_table.to_pylist():
        path = (directory / row["text_path"]).resolve()
        if directory not in path.parents:
            raise ReleaseReadError(f"{row['id']}: text path {row['text_path']!r} leaves the release directory")
        try:
            texts[row["id"]] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ReleaseReadError(f"{row['id']}: cannot read {path} ({exc})") from None
    return texts


def read_release(directory: Path, tables: Mapping[str, Any] | None = None) -> Release:
    """A release directory (or in-memory tables plus the directory's texts) as a :class:`Release`."""
    directory = Path(directory)
    dataset_version, schema_version = release_versions(directory)
    if tables is None:
        tables = read_tables(directory, schema_version)
    return Release(tables, read_texts(directory, tables["sources"]), dataset_version, schema_version)


def default_release_dir(version: str | None = None) -> Path:
    """A shipped release directory: ``version``, or the newest."""
    return release_dir(version)
