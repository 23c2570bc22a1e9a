"""Counts per table and per source, with coverage."""

from __future__ import annotations

from pathlib import Path

from ..schema.registry import record_tables
from ..validators.curated import validate_curated
from ..validators.release import validate_release


def dataset_stats(root: Path) -> dict:
    """Records per table, records per source (a record counts for every source its evidence quotes), coverage."""
    result = validate_curated(root)
    data = result.data
    counted = [t for t in record_tables(data.schema_version) if t != "retired_ids"]
    tables = {t: len(data.entries.get(t, [])) for t in counted}
    per_source: dict[str, dict] = {}
    coverage = {c.source: c for c in result.coverage}
    for source in sorted(data.texts):
        counts = {}
        for table in counted:
            n = 0
            for model in data.models(table):
                if table == "exclusions":
                    n += model.source == source
                else:
                    n += any(q.source == source for q in model.evidence)
            counts[table] = n
        cov = coverage.get(source)
        per_source[source] = {"records": counts, "items": cov.total if cov else 0, "covered": cov.covered if cov else 0}
    return {
        "tables": tables,
        "sources": per_source,
        "valid": result.report.errors == 0,
        "errors": result.report.errors,
        "warnings": result.report.warnings,
    }


def release_stats(directory: Path) -> dict:
    """The same counts for a release directory (or a folder laid out like one): rows per table, records per
    source from the evidence table, and the release's validity. Coverage needs the curated exclusions, so
    it is not given (``items`` and ``covered`` are None)."""
    import pyarrow.parquet as pq

    report = validate_release(directory / "datapackage.json")
    counted = [t for t in record_tables() if t not in ("exclusions", "retired_ids")]
    tables = {}
    for table in counted:
        path = directory / f"{table}.parquet"
        tables[table] = pq.ParquetFile(path).metadata.num_rows if path.is_file() and report.checked.get(table) is not None else 0
    per_source: dict[str, dict] = {}
    evidence = directory / "evidence.parquet"
    if evidence.is_file() and "evidence" in report.checked:
        seen: dict[str, dict[str, set]] = {}
        for row in pq.read_table(evidence, columns=["record", "record_table", "source"]).to_pylist():
            seen.setdefault(row["source"], {}).setdefault(row["record_table"], set()).add(row["record"])
        for source in sorted(seen):
            per_source[source] = {"records": {t: len(seen[source].get(t, ())) for t in counted}, "items": None, "covered": None}
    return {"tables": tables, "sources": per_source, "valid": report.errors == 0, "errors": report.errors, "warnings": report.warnings}
