"""Build release files from curated records: deterministic and atomic.

``build(root, out)`` validates the curated data first and refuses to build when
there are errors. It then writes, into a temporary directory next to ``out``:
one Parquet and one CSV file per table, the source texts under ``sources/``,
``datapackage.json`` and ``SHA256SUMS``; and only then moves the directory into
place. Rows are sorted by primary key, columns are in schema order, and nothing
depends on the time or the machine, so two builds of the same input are
byte-identical.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from ..errors import BuildError, BuildRefused
from ..io.hashing import sha256_file
from ..io.tables import to_arrow, write_csv, write_parquet
from ..schema import CURRENT_VERSION
from ..schema.registry import tables
from ..validators.curated import CuratedResult, validate_curated
from .datapackage import datapackage
from .sqlite import write_browse_files


def write_release(result: CuratedResult, directory: Path, dataset_version: str, version: str = CURRENT_VERSION) -> None:
    """Write every release file into an existing, empty directory."""
    rows = result.rows.rows
    files: dict[str, Path] = {}
    metadata = {"dataset_version": dataset_version}
    arrow_tables = {}
    for table in tables(version):
        arrow_table = to_arrow(table, rows[table], version)
        arrow_tables[table] = arrow_table
        arrow_table = arrow_table.replace_schema_metadata({**arrow_table.schema.metadata, **{k.encode(): v.encode() for k, v in metadata.items()}})
        files[f"{table}.parquet"] = directory / f"{table}.parquet"
        write_parquet(arrow_table, files[f"{table}.parquet"])
        files[f"{table}.csv"] = directory / f"{table}.csv"
        write_csv(arrow_table, files[f"{table}.csv"])
    db, metadata_file = write_browse_files(directory, arrow_tables, version=version, dataset_version=dataset_version)
    files[db.name], files[metadata_file.name] = db, metadata_file
    (directory / "sources").mkdir()
    source_ids = sorted(result.data.texts)
    for source_id in source_ids:
        path = directory / "sources" / f"{source_id}.txt"
        path.write_bytes(result.data.texts[source_id].encode("utf-8"))
        files[f"sources/{source_id}.txt"] = path
    descriptor = datapackage(files, rows, source_ids, dataset_version, version)
    (directory / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    files["datapackage.json"] = directory / "datapackage.json"
    lines = [f"{sha256_file(path)}  {name}\n" for name, path in sorted(files.items())]
    (directory / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")


def replace_directory(staged: Path, out: Path) -> None:
    """Move a finished directory into place; the old one is removed only after the new one is in.

    If anything interrupts the swap (an error, Ctrl-C), the previous directory is put back.
    """
    if not out.exists():
        os.replace(staged, out)
        return
    backup = out.with_name(f".{out.name}.old-{os.getpid()}")
    moved = False
    try:
        os.replace(out, backup)
        moved = True
        os.replace(staged, out)
    except BaseException:
        if moved and not out.exists():
            os.replace(backup, out)
        raise
    shutil.rmtree(backup)


def build(root: Path, out: Path, dataset_version: str = "dev", version: str = CURRENT_VERSION) -> CuratedResult:
    """Validate the curated data and build a release directory at ``out``, atomically."""
    result = validate_curated(root)
    if result.report.errors:
        raise BuildRefused(result.report)
    unreviewed = result.report.counts_by_code().get("IW604", 0)
    if unreviewed:
        raise BuildRefused(result.report, f"{unreviewed} unreviewed candidate record(s) (IW604); review them before a build; nothing was written")
    if out.exists() and not out.is_dir():
        raise BuildError(f"{out} exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not (out / "datapackage.json").is_file():
        raise BuildError(f"{out} is not empty and does not hold an earlier build; refusing to replace it")
    parent = out.parent
    parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=parent))
    try:
        write_release(result, staged, dataset_version, version)
        os.chmod(staged, 0o755)
        replace_directory(staged, out)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return result
