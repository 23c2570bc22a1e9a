"""Counts per table and per source, with coverage."""

from __future__ import annotations

from pathlib import Path

from ..validators.curated import validate_curated

_TABLES = ("sources", "actors", "places", "events", "statements", "figures", "exclusions")


def dataset_stats(root: Path) -> dict:
    """Records per table, records per source (a record counts for every source its evidence quotes), coverage."""
    result = validate_curated(root)
    data = result.data
    tables = {t: len(data.entries.get(t, [])) for t in _TABLES}
    per_source: dict[str, dict] = {}
    coverage = {c.source: c for c in result.coverage}
    for source in sorted(data.texts):
        counts = {}
        for table in _TABLES:
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
