"""Decide what a path is and validate it with the right layers."""

from __future__ import annotations

from pathlib import Path

from ..errors import CannotStart
from ..findings import Report
from ..io.data_paths import curated_root
from ..schema.registry import tables
from .curated import validate_curated
from .records import is_curated_dir
from .release import validate_release, validate_table_file
from .spark import validate_table_spark


def default_dataset() -> Path:
    """The curated dataset that ships with the package (or the repository's, in a checkout)."""
    return curated_root()


def validate_path(path: Path | None = None, table: str | None = None, coverage: bool = True, *, max_per_rule: int = 100,
                  engine: str = "arrow", spark_master: str = "local[2]", progress: bool = False, verbose: bool = False) -> Report:
    """Validate a curated directory, a release directory or its datapackage.json, or one table file.

    ``engine="spark"`` runs a single Parquet table's rules on Spark (``spark_master``; Spark's own log with ``verbose``).
    """
    if path is None:
        path = default_dataset()
    if not path.exists():
        raise CannotStart(f"{path} does not exist")
    if table is not None and table not in tables():
        raise CannotStart(f"unknown table '{table}' (tables: {', '.join(tables())})")
    if engine == "spark" and (path.is_dir() or path.suffix.lower() != ".parquet"):
        raise CannotStart("--engine spark validates a single Parquet table")
    if path.is_dir():
        if table is not None:
            raise CannotStart("--table goes with a single CSV or Parquet file, not a directory")
        return _validate_directory(path, coverage)
    if not path.is_file():  # a named pipe or a device: opening it could block for ever
        raise CannotStart(f"{path} is not a regular file")
    if path.name == "datapackage.json" or path.suffix == ".json":
        if table is not None:
            raise CannotStart("--table goes with a single CSV or Parquet file, not a datapackage")
        return validate_release(path)
    if path.suffix.lower() in (".csv", ".parquet"):
        if table is None:
            stem = path.stem
            if stem not in tables():
                raise CannotStart(f"say which table {path.name} holds with --table (one of: {', '.join(tables())})")
            table = stem
        if engine == "spark":
            return validate_table_spark(path, table, spark_master, max_per_rule=max_per_rule, verbose=verbose)
        return validate_table_file(path, table, max_per_rule=max_per_rule, progress=progress)
    raise CannotStart(f"{path} is not a directory, datapackage.json, .csv or .parquet file")


def _validate_directory(path: Path, coverage: bool) -> Report:
    if is_curated_dir(path):
        return validate_curated(path, check_coverage=coverage).report
    if path.name == "curated" and is_curated_dir(path.parent):
        return validate_curated(path.parent, check_coverage=coverage).report
    if (path / "datapackage.json").is_file():
        return validate_release(path / "datapackage.json")
    raise CannotStart(f"{path} is neither a curated dataset (curated/ and sources/) nor a release (datapackage.json)")
