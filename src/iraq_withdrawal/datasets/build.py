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

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..schema import CURRENT_VERSION
from ..schema.derive import columns, table_schema, tables
from ..schema.enums import PLOVER_BY_SUBTYPE
from ..validators.consistency import ucdp_date_prec
from ..validators.curated import CuratedResult, validate_curated
from ..validators.findings import Report
from .tables import to_arrow, write_csv, write_parquet

DATASET_NAME = "iraq-withdrawal"


class BuildRefused(Exception):
    """The curated data has errors; nothing was written."""

    def __init__(self, report: Report):
        super().__init__(f"{report.errors} error(s) in the curated data; nothing was written")
        self.report = report


class BuildError(Exception):
    """The output directory cannot be written."""


def _plain(value: Any) -> Any:
    if hasattr(value, "value") and not isinstance(value, (str, int, float)):
        return value.value
    if isinstance(value, str) and hasattr(value, "value"):
        return value.value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _fields(model, table: str, version: str) -> dict[str, Any]:
    names = {c.name for c in columns(table, version)}
    return {name: _plain(getattr(model, name)) for name in type(model).model_fields if name in names}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def table_rows(result: CuratedResult, version: str = CURRENT_VERSION) -> dict[str, list[dict[str, Any]]]:
    """The rows of every release table, sorted by primary key."""
    data, located = result.data, result.located
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in tables(version)}
    for source in data.models("sources"):
        row = _fields(source, "sources", version)
        text = data.texts.get(source.id, "")
        row["text_path"] = f"sources/{source.id}.txt"
        row["text_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        row["text_length"] = len(text)
        rows["sources"].append(row)
    for table in ("actors", "places", "statements", "figures", "retired_ids"):
        rows[table] = [_fields(m, table, version) for m in data.models(table)]
    for event in data.models("events"):
        row = _fields(event, "events", version)
        row["plover_category"] = PLOVER_BY_SUBTYPE.get(event.event_subtype)
        row["date_prec"] = ucdp_date_prec(event.date_start, event.date_end)
        rows["events"].append(row)
        for link in event.actors:
            rows["event_actors"].append({"event": event.id, "actor": link.actor, "role": link.role.value})
        for link in event.places:
            rows["event_places"].append({"event": event.id, "place": link.place, "role": link.role.value})
    for table in ("sources", "actors", "places", "events", "statements", "figures"):
        for model in data.models(table):
            for seq, quote in enumerate(model.evidence, start=1):
                span = located.evidence.get((model.id, seq))
                if span is None:  # not located: the build refuses such data; docs tolerate it
                    continue
                text = data.texts[quote.source]
                rows["evidence"].append(
                    {
                        "record": model.id,
                        "seq": seq,
                        "record_table": table,
                        "source": quote.source,
                        "quote": text[span.start:span.end],
                        "occurrence": span.occurrence,
                        "char_start": span.start,
                        "char_end": span.end,
                    }
                )
    for table, table_rows_ in rows.items():
        keys = [c.name for c in columns(table, version) if c.primary_key]
        table_rows_.sort(key=lambda r: tuple(r[k] for k in keys))
    return rows


def datapackage(files: dict[str, Path], rows: dict[str, list], source_ids: list[str], dataset_version: str, version: str) -> dict[str, Any]:
    """The Frictionless descriptor of a release directory.

    The CSV files are the tabular resources, with their Table Schemas, primary and
    foreign keys, so ``frictionless validate`` checks every value. The Parquet
    files hold the same rows with Arrow types; they are listed as file resources
    whose hash and size Frictionless checks, and whose types ``iraq-withdrawal
    validate`` checks against the Arrow schema (Frictionless reads Parquet through
    pandas, which turns nullable integer columns into floats).
    """
    resources = []
    for table in tables(version):
        csv_path = files[f"{table}.csv"]
        resources.append(
            {
                "name": table,
                "type": "table",
                "path": f"{table}.csv",
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"csv": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True, "header": True}},
                "hash": "sha256:" + sha256_file(csv_path),
                "bytes": csv_path.stat().st_size,
                "schema": table_schema(table, version),
            }
        )
    for table in tables(version):
        path = files[f"{table}.parquet"]
        resources.append(
            {
                "name": f"{table}-parquet",
                "type": "file",
                "path": f"{table}.parquet",
                "scheme": "file",
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                "hash": "sha256:" + sha256_file(path),
                "bytes": path.stat().st_size,
                "description": f"The {table} table as Parquet (zstd), same rows as {table}.csv, typed by the Arrow schema.",
            }
        )
    for source_id in source_ids:
        path = files[f"sources/{source_id}.txt"]
        resources.append(
            {
                "name": f"text-{source_id}",
                "type": "file",
                "path": f"sources/{source_id}.txt",
                "scheme": "file",
                "format": "txt",
                "mediatype": "text/plain",
                "encoding": "utf-8",
                "hash": "sha256:" + sha256_file(path),
                "bytes": path.stat().st_size,
                "description": f"Full text of source {source_id}; evidence offsets index into it.",
            }
        )
    return {
        "name": DATASET_NAME,
        "title": "Arabic news reporting on the US-led coalition's withdrawal from Iraq",
        "version": dataset_version,
        "schema_version": version,
        "description": "Hand-curated sources, actors, places, events, statements and figures from five Arabic articles "
        "(2021-2024), each row carrying the verbatim Arabic words it rests on.",
        "row_counts": {t: len(rows[t]) for t in tables(version)},
        "resources": resources,
    }


def write_release(result: CuratedResult, directory: Path, dataset_version: str, version: str = CURRENT_VERSION) -> None:
    """Write every release file into an existing, empty directory."""
    rows = table_rows(result, version)
    files: dict[str, Path] = {}
    metadata = {"dataset_version": dataset_version}
    for table in tables(version):
        arrow_table = to_arrow(table, rows[table], version)
        arrow_table = arrow_table.replace_schema_metadata({**arrow_table.schema.metadata, **{k.encode(): v.encode() for k, v in metadata.items()}})
        files[f"{table}.parquet"] = directory / f"{table}.parquet"
        write_parquet(arrow_table, files[f"{table}.parquet"])
        files[f"{table}.csv"] = directory / f"{table}.csv"
        write_csv(arrow_table, files[f"{table}.csv"])
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
