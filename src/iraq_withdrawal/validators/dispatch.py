"""Decide what a path is and validate it with the right layers."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import CannotStart
from ..findings import Report
from ..io.data_paths import DefaultDataset
from ..io.data_paths import default_dataset as _default_dataset
from ..io.paths import stat_kind, too_long
from ..schema.registry import tables
from .curated import validate_curated
from .folder import is_table_folder, validate_table_folder
from .records import is_curated_dir
from .release import validate_release, validate_table_file
from .spark import validate_table_spark


def default_dataset() -> Path:
    """The curated dataset a command uses when none is named: the working tree's inside a checkout, else the shipped one."""
    return _default_dataset().path


def validate_path(path: Path | None = None, table: str | None = None, coverage: bool = True, *, max_per_rule: int = 100,
                  engine: str = "arrow", spark_master: str = "local[2]", progress: bool = False,
                  previous_releases: Path | None = None, verbose: bool = False) -> Report:
    """Validate a curated directory, a release directory or its datapackage.json, a folder of tables, or one table file.

    ``engine="spark"`` runs a single Parquet table's rules on Spark (``spark_master``; Spark's own log with ``verbose``).
    ``previous_releases``: a folder of earlier releases whose ids must not vanish (IW703).
    The report's ``origin`` is the directory its findings' paths are relative to.
    """
    if previous_releases is not None and stat_kind(previous_releases) != "dir":
        raise CannotStart(f"--previous-releases {previous_releases} is not a directory")
    default: DefaultDataset | None = None
    if path is None:
        if table is not None:
            raise CannotStart("--table goes with a single CSV or Parquet file; name the file")
        default = _default_dataset()
        path = default.path
    report = _validate(path, table, coverage, max_per_rule, engine, spark_master, progress, previous_releases, verbose)
    if report.origin is None:
        report.origin = os.path.abspath(path.parent)
    if default is not None:
        report.target = os.path.relpath(path) if default.checkout is not None else "shipped dataset"
        report.notes.insert(0, f"checked {default.description}")
    return report


def _validate(path: Path, table: str | None, coverage: bool, max_per_rule: int, engine: str, spark_master: str,  # noqa: C901 - one branch per kind of path
              progress: bool, previous_releases: Path | None, verbose: bool) -> Report:
    kind = stat_kind(path)
    if kind == "missing":
        raise CannotStart(f"{path} does not exist" + (f" ({too_long(path)})" if too_long(path) else ""))
    if table is not None and table not in tables():
        raise CannotStart(f"unknown table '{table}' (tables: {', '.join(tables())})")
    if engine == "spark" and (kind == "dir" or path.suffix.lower() != ".parquet"):
        raise CannotStart("--engine spark validates a single Parquet table")
    if kind == "dir":
        if table is not None:
            raise CannotStart("--table goes with a single CSV or Parquet file, not a directory")
        return _validate_directory(path, coverage, max_per_rule, previous_releases)
    if kind != "file":  # a named pipe or a device: opening it could block for ever
        raise CannotStart(f"{path} is not a regular file")
    if path.name == "datapackage.json" or path.suffix == ".json":
        if table is not None:
            raise CannotStart("--table goes with a single CSV or Parquet file, not a datapackage")
        return validate_release(path, previous_releases)
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


def _validate_directory(path: Path, coverage: bool, max_per_rule: int, previous: Path | None) -> Report:
    if is_curated_dir(path):
        return validate_curated(path, check_coverage=coverage, previous_releases=previous).report
    if path.name == "curated" and is_curated_dir(path.parent):
        return validate_curated(path.parent, check_coverage=coverage, previous_releases=previous).report
    if (path / "datapackage.json").is_file():
        return validate_release(path / "datapackage.json", previous)
    if is_table_folder(path):
        return validate_table_folder(path, max_per_rule=max_per_rule)
    raise CannotStart(f"{path} is neither a curated dataset (curated/ and sources/), a release (datapackage.json), "
                      f"nor a folder of tables (files named <table>.csv or <table>.parquet, e.g. events.csv)")
