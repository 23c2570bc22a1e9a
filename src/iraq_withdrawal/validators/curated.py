"""Validate a curated dataset directory through every layer.

reading (IW1xx) and record schema (IW2xx) happen while loading; then table rules
(IW3xx: unique ids, references), provenance (IW4xx), consistency (IW5xx) and
coverage (IW6xx). Each layer reports all of its findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel

from ..datasets.curated import CuratedDataset, Entry, load_curated
from .consistency import check_dates, is_forward_looking, latest_publication
from .coverage import SourceCoverage, coverage, coverage_findings
from .findings import Finding, Report
from .provenance import Located, locate_evidence

_PREFIX_TABLE = {"src": "sources", "act": "actors", "plc": "places", "evt": "events", "stm": "statements", "fig": "figures"}


@dataclass
class CuratedResult:
    data: CuratedDataset
    located: Located
    coverage: list[SourceCoverage]
    report: Report


def _references(model: BaseModel, path: tuple = ()) -> Iterator[tuple[tuple, str, str]]:
    """Yield (location, referenced table, id) for every foreign key in a model, nested ones too."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        fk = extra.get("foreign_key")
        if fk and value is not None:
            yield (*path, name), fk.split(".")[0], value
        if isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _references(item, (*path, name, i))


def check_ids(data: CuratedDataset) -> list[Finding]:
    """IW301: ids unique across every file and table."""
    findings = []
    first: dict[str, Entry] = {}
    for table, entries in data.entries.items():
        if table == "exclusions":
            continue
        for entry in entries:
            rid = entry.id
            if rid is None:
                continue
            if rid in first:
                other = first[rid]
                findings.append(
                    Finding("IW301", f"id '{rid}' is already used at {other.file}:{other.line}", file=entry.file, line=entry.line_of(("id",)), record=rid, field="id")
                )
            else:
                first[rid] = entry
    return findings


def check_references(data: CuratedDataset) -> list[Finding]:
    """IW302: every reference points at a record that exists (and validated)."""
    known = {table: {e.id for e in data.entries.get(table, []) if e.id} for table in _PREFIX_TABLE.values()}
    findings = []
    for table, entries in data.entries.items():
        for entry in entries:
            if entry.model is None:
                continue
            for loc, ref_table, ref_id in _references(entry.model):
                if ref_id not in known.get(ref_table, set()):
                    findings.append(
                        Finding(
                            "IW302",
                            f"{'.'.join(map(str, loc))} refers to '{ref_id}', which is not in {ref_table}",
                            file=entry.file, line=entry.line_of(loc), record=entry.id, field=".".join(map(str, loc)),
                        )
                    )
    return findings


def check_curated_dates(data: CuratedDataset) -> list[Finding]:
    """IW5xx on events and statements (figures may refer to later periods)."""
    published = {s.id: latest_publication(s.published_date, s.published_date_precision) for s in data.models("sources")}
    published_day = {s.id: s.published_date for s in data.models("sources") if s.published_date_precision.value == "day"}
    findings = []
    for table in ("events", "statements", "figures"):
        for entry in data.valid(table):
            model: Any = entry.model
            if table == "events":
                dates = [published.get(q.source) for q in model.evidence]
                pub = max((d for d in dates if d), default=None)
                forward = is_forward_looking(model.status)
                day = published_day.get(model.evidence[0].source)
            else:
                pub = published.get(model.source)
                forward = table == "figures"
                day = published_day.get(model.source)
            findings.extend(
                check_dates(model, record_id=model.id, published=pub, forward_ok=forward, published_day=day,
                            where=lambda f, e=entry: {"file": e.file, "line": e.line_of((f,))})
            )
    return findings


def _stable_ids(data: CuratedDataset) -> list[Finding]:
    from .stable_ids import check_stable_ids

    current = {e.id: t for t, es in data.entries.items() if t not in ("exclusions", "retired_ids") for e in es if e.id}
    retired = {e.id: "retired" for e in data.entries.get("retired_ids", []) if e.id}
    findings = check_stable_ids(current, retired, data.root / "releases")
    for finding in findings:
        if finding.code == "IW705":
            entry = next(e for e in data.entries["retired_ids"] if e.id == finding.record)
            findings[findings.index(finding)] = Finding("IW705", finding.message, file=entry.file, line=entry.line, record=finding.record, field="id")
    return findings


def validate_curated(root: Path, *, check_coverage: bool = True) -> CuratedResult:
    """Run every layer on a curated dataset directory."""
    data = load_curated(root)
    report = Report(target=str(root), kind="curated")
    report.extend(data.findings)
    report.extend(check_ids(data))
    report.extend(check_references(data))
    located, problems = locate_evidence(data)
    report.extend(problems)
    report.extend(check_curated_dates(data))
    report.extend(_stable_ids(data))
    cov = coverage(data.texts, located.spans_by_source())
    if check_coverage:
        report.extend(coverage_findings(cov, data.texts, data.text_files))
    report.checked = {"files": data.files_read + len(data.texts)} | {
        table: len(entries) for table, entries in sorted(data.entries.items())
    } | {"evidence": sum(len(getattr(e.model, "evidence", [])) for es in data.entries.values() for e in es if e.model is not None)}
    return CuratedResult(data, located, cov, report)
