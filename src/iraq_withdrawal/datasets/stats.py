"""Counts per table and per source, with coverage."""

from __future__ import annotations

from pathlib import Path

from ..schema.registry import record_tables
from ..validators.curated import validate_curated


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
