"""Validate a folder of tables a user derived: ``events.csv``, ``event_actors.parquet`` … without a datapackage.json.

Each file named after a table is checked as a single table is (the same column policy,
the same rules), and then the foreign keys between the tables that are present: an
``event_actors.csv`` whose ``event`` is not in the folder's ``events.csv`` fails, naming
both files. A reference to a table the folder does not hold is not checked, and the
report says so in a note rather than calling it an error.
"""

from __future__ import annotations

from pathlib import Path

from ..findings import Report
from ..io.tables import TableRead, read_table_file
from ..schema import CURRENT_VERSION
from ..schema.derive import columns
from ..schema.registry import tables as schema_tables
from .tables import check_table, foreign_key_findings

SUFFIXES = (".parquet", ".csv")


def table_files(path: Path, version: str = CURRENT_VERSION) -> dict[str, list[Path]]:
    """The files of a folder named after a table (``<table>.csv``, ``<table>.parquet``), by table; regular files only."""
    found: dict[str, list[Path]] = {}
    for table in schema_tables(version):
        for suffix in SUFFIXES:
            candidate = path / f"{table}{suffix}"
            if candidate.is_file() and not candidate.is_symlink():
                found.setdefault(table, []).append(candidate)
    return found


def is_table_folder(path: Path) -> bool:
    """A directory holding at least one file named after a table, and no datapackage.json."""
    return path.is_dir() and not (path / "datapackage.json").exists() and bool(table_files(path))


def validate_table_folder(path: Path, version: str = CURRENT_VERSION, max_per_rule: int = 100) -> Report:
    """Check every table file of a folder, then the foreign keys between the tables present."""
    display_root = path.name or str(path)
    report = Report(target=str(path), kind="folder of tables")
    files = table_files(path, version)
    read: dict[str, TableRead] = {}
    shown: dict[str, str] = {}
    for table, paths in files.items():
        for file in paths:
            display = f"{display_root}/{file.name}"
            result = read_table_file(file, table, display, version)
            report.extend(result.findings)
            if result.table is None:
                continue
            check_table(result.table, table, display, result.locate, version, report=report, max_per_rule=max_per_rule)
            if table not in read:  # Parquet first: its types are exact; the CSV twin is checked on its own
                read[table], shown[table] = result, display
    arrow_tables = {t: r.table for t, r in read.items()}
    report.extend(foreign_key_findings(arrow_tables, shown, {t: r.locate for t, r in read.items()}, version))
    report.notes.extend(_unchecked_references(arrow_tables, version))
    others = sorted(p.name for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.stem not in files)
    if others:
        report.notes.append(f"not checked (not named after a table): {', '.join(others)}")
    report.notes.append("publication dates and evidence offsets need the sources and their texts: they are checked on a release, not here")
    report.checked = {"tables": len(read)} | {t: r.table.num_rows for t, r in read.items()}
    return report


def _unchecked_references(tables: dict, version: str) -> list[str]:
    """A note for every foreign key whose referenced table is not in the folder."""
    notes = []
    for table, arrow_table in tables.items():
        for column in columns(table, version):
            if not column.foreign_key or column.name not in arrow_table.column_names:
                continue
            ref_table = column.foreign_key.split(".")[0]
            if ref_table not in tables:
                notes.append(f"{table}.{column.name} refers to {ref_table}, which is not in the folder: not checked")
    return notes

