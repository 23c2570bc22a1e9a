"""Validate a curated dataset directory through every layer.

Reading (IW1xx) and record schema (IW2xx) happen while loading (``records.py``);
then ids unique across every file and references (IW3xx), provenance (IW4xx), the
table rules on the rows the build will write (``schema/rows.py`` derives them; the
Arrow engine of ``arrow.py`` checks them, exactly as it checks a release table, and
each finding is mapped back to its YAML file and line), dates against publication
(IW5xx), stable ids (IW7xx) and coverage (IW6xx). Each layer reports all of its
findings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from ..findings import Finding, Report
from ..io.collector import paused_collection
from ..io.paths import display_path, is_inside
from ..io.tables import to_arrow
from ..schema.derive import columns
from ..schema.registry import flat_tables, id_tables, record_tables
from ..schema.rows import NESTED_TABLES, DerivedRows, derive_rows
from .candidates import candidate_findings
from .coverage import SourceCoverage, coverage, coverage_findings
from .dates import publication_findings
from .provenance import Located, locate_evidence
from .records import CuratedDataset, Entry, load_curated
from .stable_ids import check_stable_ids
from .tables import check_table


@dataclass
class CuratedResult:
    """Everything a validation of curated data found and made: the build writes ``rows``."""

    data: CuratedDataset
    located: Located
    coverage: list[SourceCoverage]
    report: Report
    rows: DerivedRows


_REFERENCE_PLANS: dict[type, tuple[tuple[str, str | None], ...]] = {}


def _reference_plan(model_class: type) -> tuple[tuple[str, str | None], ...]:
    """(field, referenced table or None) for every field of a model class, worked out once per class."""
    plan = _REFERENCE_PLANS.get(model_class)
    if plan is None:
        fields = []
        for name, info in model_class.model_fields.items():
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            fk = extra.get("foreign_key")
            fields.append((name, fk.split(".")[0] if fk else None))
        plan = _REFERENCE_PLANS[model_class] = tuple(fields)
    return plan


def _references(model: BaseModel, path: tuple = ()) -> Iterator[tuple[tuple, str, str]]:
    """Yield (location, referenced table, id) for every foreign key in a model, nested ones too."""
    values = model.__dict__  # pydantic keeps field values here
    for name, fk in _reference_plan(type(model)):
        value = values[name]
        if type(value) is list:
            if fk:  # a list of ids: each item refers
                yield from (((*path, name, i), fk, item) for i, item in enumerate(value))
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _references(item, (*path, name, i))
        elif fk and value is not None:
            yield (*path, name), fk, value


def check_ids(data: CuratedDataset) -> list[Finding]:
    """IW301: ids unique across every file and record table."""
    findings = []
    first: dict[str, Entry] = {}
    for table, entries in data.entries.items():
        if table in ("exclusions", "retired_ids"):  # a retired id used again is IW705, not a duplicate
            continue
        for entry in entries:
            rid = entry.id
            if rid is None:
                continue
            if rid in first:
                other = first[rid]
                findings.append(
                    Finding("IW301", f"id '{rid}' is already used at {other.file}:{other.line}", file=entry.file,
                            line=entry.line_of(("id",)), record=rid, field="id")
                )
            else:
                first[rid] = entry
    return findings


def check_references(data: CuratedDataset) -> list[Finding]:
    """IW302: every reference points at a record that exists (and validated)."""
    known = {table: {e.id for e in data.entries.get(table, []) if e.id} for table in id_tables(data.schema_version)}
    findings = []
    for entries in data.entries.values():
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


class _RowPlaces:
    """Where each derived row came from: its record's file, and the line of a field inside the record."""

    def __init__(self, data: CuratedDataset, derived: DerivedRows):
        self.origins = derived.origins
        self.entries: dict[str, Entry] = {}
        for table in record_tables(data.schema_version):
            for entry in data.valid(table):
                self.entries.setdefault(entry.id, entry)

    def where(self, table: str, index: int, field: str | None) -> dict:
        record, path = self.origins[table][index]
        entry = self.entries[record]
        return {"file": entry.file, "line": entry.line_of((*path, field) if field else path), "row": None}


_INTEGER_BITS = {"int8": 8, "int16": 16, "int32": 32, "int64": 64}


def _beyond_arrow_range(table: str, rows: list[dict], version: str) -> list[Finding]:
    """IW303 for integers the table's Arrow column cannot hold (an int16 occurrence above 32,767)."""
    findings = []
    for column in columns(table, version):
        bits = _INTEGER_BITS.get(column.arrow or "int64") if column.kind == "integer" else None
        if bits is None:
            continue
        low, high = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
        name = column.name
        values = [v for v in [row.get(name) for row in rows] if type(v) is int]
        if not values or low <= min(values) and max(values) <= high:
            continue  # the common case, judged in C; else find the rows
        for index, row in enumerate(rows):
            value = row.get(column.name)
            if isinstance(value, int) and not low <= value <= high:
                findings.append(Finding("IW303", f"'{column.name}' must be within [{low}, {high}], what its {column.arrow or 'int64'} "
                                        f"column holds (got {value})", file=table, row=index + 1, field=column.name))
    return findings


def check_rows(data: CuratedDataset, derived: DerivedRows) -> list[Finding]:
    """The table rules and the publication rules on the rows the build would write, located in the YAML."""
    places = _RowPlaces(data, derived)
    version = data.schema_version
    findings = []
    flat = flat_tables(version)
    for table, rows in derived.rows.items():
        if not rows or table in flat:  # computed from the rows checked here
            continue
        # ids are unique across every table (check_ids); keys of nested rows are checked here
        unique = table in NESTED_TABLES
        too_large = _beyond_arrow_range(table, rows, version)
        # the column cannot hold these: report them where the YAML has them, and check the other rows
        findings += [dataclasses.replace(f, **places.where(table, f.row - 1, f.field)) for f in too_large]
        bad = {f.row - 1 for f in too_large}
        kept = [i for i in range(len(rows)) if i not in bad]
        if not kept:
            continue

        def yaml_line(position: int, field: str | None, table: str = table, kept: list[int] = kept) -> tuple[int | None, int | None]:
            return position, places.where(table, kept[position - 1], field)["line"]

        arrow_table = to_arrow(table, [rows[i] for i in kept] if bad else rows, version)
        for f in check_table(arrow_table, table, table, yaml_line, version=version, check_unique=unique):
            findings.append(dataclasses.replace(f, **places.where(table, kept[f.row - 1], f.field)))
    findings += publication_findings(derived.rows, places.where)
    return findings


def _stable_ids(data: CuratedDataset, previous_releases: Path | None) -> list[Finding]:
    """Ids of earlier releases: those in ``previous_releases``, else in the dataset's own ``releases/`` folder."""
    releases = previous_releases if previous_releases is not None else data.root / "releases"
    if previous_releases is None and releases.exists() and not is_inside(releases, data.root):
        return [Finding("IW107", "releases/ is a link that leaves the dataset directory; earlier releases not read "
                        "(name the folder with --previous-releases)", file=display_path(releases, data.root))]
    current = {e.id: t for t, es in data.entries.items() if t not in ("exclusions", "retired_ids") for e in es if e.id}
    retired = {e.id: "retired" for e in data.entries.get("retired_ids", []) if e.id}
    findings = check_stable_ids(current, retired, releases)
    for finding in findings:
        if finding.code == "IW705":
            entry = next(e for e in data.entries["retired_ids"] if e.id == finding.record)
            findings[findings.index(finding)] = Finding("IW705", finding.message, file=entry.file, line=entry.line, record=finding.record, field="id")
    return findings


def validate_curated(root: Path, *, check_coverage: bool = True, previous_releases: Path | None = None) -> CuratedResult:
    """Run every layer on a curated dataset directory.

    Ids of earlier releases are compared with ``previous_releases``, or by default with the
    dataset's own ``releases/`` folder (as in this repository's ``datasets/``).
    """
    with paused_collection():
        return _validate_curated(root, check_coverage, previous_releases)


def _validate_curated(root: Path, check_coverage: bool, previous_releases: Path | None) -> CuratedResult:
    data = load_curated(root)
    report = Report(target=str(root), kind="curated")
    report.extend(data.findings)
    report.extend(check_ids(data))
    report.extend(check_references(data))
    located, problems = locate_evidence(data)
    report.extend(problems)
    models = {table: data.models(table) for table in record_tables(data.schema_version)}
    derived = derive_rows(models, data.texts, located.evidence, data.schema_version)
    report.extend(check_rows(data, derived))
    report.extend(_stable_ids(data, previous_releases))
    candidates, per_source = candidate_findings(root)
    report.extend(candidates)
    if per_source:
        report.notes.append("unreviewed candidates per source: " + ", ".join(f"{s} {n}" for s, n in per_source.items())
                            + " (build and release refuse until they are reviewed)")
    cov = coverage(data.texts, located.spans_by_source())
    if check_coverage:
        report.extend(coverage_findings(cov, data.texts, data.text_files))
    report.checked = {"files": data.files_read + len(data.texts)} | {
        table: len(entries) for table, entries in sorted(data.entries.items())
    } | {"evidence": sum(len(getattr(e.model, "evidence", [])) for es in data.entries.values() for e in es if e.model is not None)}
    return CuratedResult(data, located, cov, report, derived)
