"""The Frictionless descriptor (``datapackage.json``) of a release directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..schema.derive import table_schema
from ..schema.registry import tables

DATASET_NAME = "iraq-withdrawal"
#: The licence of the curated records and the tables built from them (the code is MIT; see the dataset card).
LICENSES = [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
             "title": "Creative Commons Attribution 4.0 International"}]
TEXT_RIGHTS = ("The article texts (sources/*.txt) are not covered by the licence of this package: they remain the "
               "property of their publishers and authors, and are included verbatim only so that every quote and "
               "offset can be checked. Do not republish them beyond quotation.")
#: Other files a release holds, by name: (resource name, format, media type, description).
OTHER_FILES = {
    "iraq-withdrawal.db": ("sqlite", "sqlite", "application/vnd.sqlite3",
                           "Every table as a SQLite database, with keys, full-text search and canned queries, for Datasette."),
    "datasette-metadata.json": ("datasette-metadata", "json", "application/json",
                                "Datasette metadata for iraq-withdrawal.db: descriptions, labels, facets, queries, licence."),
}


def datapackage(files: dict[str, Path], rows: dict[str, list], source_ids: list[str], dataset_version: str, version: str,
                digests: dict[str, str]) -> dict[str, Any]:
    """The Frictionless descriptor of a release directory (``digests``: the SHA-256 of every file, by name, as the build hashed them).

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
                "hash": "sha256:" + digests[f"{table}.csv"],
                "bytes": csv_path.stat().st_size,
                "schema": table_schema(table, version),
            }
        )
    for table in tables(version):
        resources.append(_file_resource(f"{table}-parquet", f"{table}.parquet", files, "parquet", "application/vnd.apache.parquet",
                                        f"The {table} table as Parquet (zstd), same rows as {table}.csv, typed by the Arrow schema.",
                                        digests))
    for source_id in source_ids:
        resources.append(_file_resource(f"text-{source_id}", f"sources/{source_id}.txt", files, "txt", "text/plain",
                                        f"Full text of source {source_id}; evidence offsets index into it. {TEXT_RIGHTS}",
                                        digests, encoding="utf-8"))
    for name, (resource, fmt, mediatype, description) in OTHER_FILES.items():
        if name in files:
            resources.append(_file_resource(resource, name, files, fmt, mediatype, description, digests))
    return {
        "name": DATASET_NAME,
        "title": "Arabic news reporting on the US-led coalition's withdrawal from Iraq",
        "version": dataset_version,
        "schema_version": version,
        "description": "Hand-curated sources, actors, places, events, statements and figures from five Arabic articles "
        "(2021-2024), each row carrying the verbatim Arabic words it rests on.",
        "licenses": LICENSES,
        "rights": TEXT_RIGHTS,
        "row_counts": {t: len(rows[t]) for t in tables(version)},
        "resources": resources,
    }


def _file_resource(name: str, relative: str, files: dict[str, Path], fmt: str, mediatype: str, description: str,
                   digests: dict[str, str], **extra: str) -> dict[str, Any]:
    """A file resource (not a table Frictionless reads): its hash and size, which Frictionless checks."""
    path = files[relative]
    return {"name": name, "type": "file", "path": relative, "scheme": "file", "format": fmt, "mediatype": mediatype, **extra,
            "hash": "sha256:" + digests[relative], "bytes": path.stat().st_size, "description": description}
