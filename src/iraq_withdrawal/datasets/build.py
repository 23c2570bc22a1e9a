"""Build release files from curated records: deterministic and atomic.

``build(root, out)`` validates the curated data first and refuses to build when
there are errors. It then writes, into a temporary directory next to ``out``:
one Parquet and one CSV file per table, the source texts under ``sources/``,
``datapackage.json`` and ``SHA256SUMS``; and only then moves the directory into
place, after the files are validated as a release and read back as the tables
written (a build never writes what its own validator rejects, nor what a writer
got wrong). Rows are sorted by primary key, columns are in schema order, and nothing
depends on the time or the machine, so two builds of the same input are
byte-identical.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..errors import BuildError, BuildRefused
from ..io.collector import paused_collection
from ..io.files import holds_a_build, replace_directory
from ..io.hashing import sha256_file
from ..io.tables import to_arrow, write_csv, write_parquet
from ..schema import CURRENT_VERSION
from ..schema.registry import tables
from ..validators.curated import CuratedResult, validate_curated
from ..validators.release import validate_release
from .datapackage import DATASET_NAME, datapackage
from .sqlite import write_browse_files


def write_release(result: CuratedResult, directory: Path, dataset_version: str, version: str = CURRENT_VERSION) -> dict[str, Any]:
    """Write every release file into an existing, empty directory; return the tables written, ``{table: pyarrow.Table}``.

    Every file is hashed once, for datapackage.json and SHA256SUMS.
    """
    rows = result.rows.rows
    stamp = {b"dataset_version": dataset_version.encode()}
    files: dict[str, Path] = {}
    digests: dict[str, str] = {}

    def keep(path: Path) -> None:
        name = path.relative_to(directory).as_posix()
        files[name], digests[name] = path, sha256_file(path)

    arrow_tables = {}
    for table in tables(version):
        arrow_tables[table] = to_arrow(table, rows[table], version)
        stamped = arrow_tables[table].replace_schema_metadata({**arrow_tables[table].schema.metadata, **stamp})
        write_parquet(stamped, directory / f"{table}.parquet")
        keep(directory / f"{table}.parquet")
        write_csv(stamped, directory / f"{table}.csv")
        keep(directory / f"{table}.csv")
    for path in write_browse_files(directory, arrow_tables, version=version, dataset_version=dataset_version):
        keep(path)
    (directory / "sources").mkdir()
    source_ids = sorted(result.data.texts)
    for source_id in source_ids:
        path = directory / "sources" / f"{source_id}.txt"
        path.write_bytes(result.data.texts[source_id].encode("utf-8"))
        keep(path)
    descriptor = datapackage(files, rows, source_ids, dataset_version, version, digests)
    (directory / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    keep(directory / "datapackage.json")
    lines = [f"{digests[name]}  {name}\n" for name in sorted(files)]
    (directory / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")
    return arrow_tables


class ReadBack:
    """Compares each table file the validator reads with the table written to it (a writer's bug shows here).

    Called by :func:`~iraq_withdrawal.validators.release.validate_release` with each file as it is
    read, so no table read is held for it; a table written is let go once both its files have been
    compared, before the validator's checks across tables (a CSV too large to hold is streamed and not compared).
    """

    def __init__(self, written: dict[str, Any]):
        self.written = dict(written)
        self.compared: dict[str, int] = {}
        self.unlike: list[str] = []

    def __call__(self, name: str, arrow_table: Any) -> None:
        table = name.rsplit(".", 1)[0]
        expected = self.written.get(table)
        if expected is None:
            return
        if not arrow_table.equals(expected):
            self.unlike.append(name)
        self.compared[table] = self.compared.get(table, 0) + 1
        if self.compared[table] == 2:  # its Parquet and its CSV file
            del self.written[table]


def check_target(root: Path, out: Path) -> Path:
    """The absolute path a build may write to, or :class:`BuildError` saying why not.

    Refused: a symbolic link (it is never followed, to write or to delete), something that
    is not a directory, the current directory or one of its parents, the dataset or a
    directory that holds it, and a non-empty directory that does not hold an earlier build.
    """
    target = Path(os.path.abspath(out))
    if target.is_symlink():
        raise BuildError(f"{out} is a symbolic link; refusing to write through it (give the real directory)")
    if target.exists() and not target.is_dir():
        raise BuildError(f"{out} exists and is not a directory")
    cwd, dataset = Path.cwd().resolve(), root.resolve()
    resolved = target.resolve()
    if resolved == cwd or resolved in cwd.parents:
        raise BuildError(f"{out} is the current directory or holds it; build into a new directory instead")
    if resolved == dataset or resolved in dataset.parents:
        raise BuildError(f"{out} is the dataset or holds it; build into a new directory instead")
    if target.is_dir() and any(target.iterdir()) and not holds_a_build(target, DATASET_NAME):
        raise BuildError(f"{out} is not empty and holds files an earlier build did not write; refusing to replace it")
    return target


def build(root: Path, out: Path, dataset_version: str = "dev", version: str = CURRENT_VERSION) -> CuratedResult:
    """Validate the curated data and build a release directory at ``out``, atomically.

    The files are written to a temporary sibling of ``out``, validated as a release (a
    build never writes what its own validator rejects), and only then renamed into place;
    on any failure nothing is left behind and ``out`` is as it was.
    """
    with paused_collection():
        return _build(root, out, dataset_version, version)


def _build(root: Path, out: Path, dataset_version: str, version: str) -> CuratedResult:
    result = validate_curated(root)
    if result.report.errors:
        raise BuildRefused(result.report)
    unreviewed = result.report.counts_by_code().get("IW604", 0)
    if unreviewed:
        raise BuildRefused(result.report, f"{unreviewed} unreviewed candidate record(s) (IW604); review them before a build; nothing was written")
    target = check_target(root, out)
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"cannot create {parent}: {exc.strerror or exc}") from None
    staged = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=parent))
    try:
        read_back = ReadBack(write_release(result, staged, dataset_version, version))
        verified = validate_release(staged / "datapackage.json", on_table=read_back)
        if verified.errors:
            raise BuildRefused(verified, "the files built fail validation as a release; nothing was written")
        if read_back.unlike:
            raise BuildError(f"{', '.join(read_back.unlike)} do not read back as the rows built; nothing was written")
        os.chmod(staged, 0o755)
        replace_directory(staged, target)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return result
