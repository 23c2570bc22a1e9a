"""Validate a built release directory, or a single table a user derived.

A release directory holds ``datapackage.json``, ``SHA256SUMS``, one Parquet and one
CSV file per table and the source texts. Validation reads only files inside the
directory (no ``..``, absolute paths, URLs or links that leave it) and makes no
network request.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..findings import Finding, Report
from ..io.hashing import sha256_file
from ..io.paths import safe_member
from ..io.tables import TableRead, read_csv, read_table_file
from ..io.text import MAX_TEXT_BYTES, decode_source_text
from ..schema import VERSIONS
from ..schema.registry import id_tables
from ..schema.registry import tables as schema_tables
from ..schema.versions import is_version
from .dates import publication_findings
from .derived import derived_findings
from .provenance import check_offsets
from .stable_ids import check_stable_ids
from .stream import FindingSink, stream_csv, stream_parquet, terminal_progress
from .tables import check_table, foreign_key_findings

MAX_MANIFEST_BYTES = 16 * 1024 * 1024  # datapackage.json and SHA256SUMS: a build writes a few kilobytes
MAX_RELEASE_FILES = 10_000  # a build writes about 25


def _manifest_text(root: Path, name: str, display: str, report: Report) -> str | None:
    """The text of a small file the release names itself by (datapackage.json, SHA256SUMS), read only if it is inside."""
    path, problem = safe_member(root, name, display)
    if problem:
        report.add(Finding(problem.code, problem.message.replace("resource path", "file"), file=display))
        return None
    size = path.stat().st_size
    if size > MAX_MANIFEST_BYTES:
        report.add(Finding("IW111", f"file is {size:,} bytes; the limit is {MAX_MANIFEST_BYTES:,}", file=display))
        return None
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        report.add(Finding("IW101", f"{name} is not valid UTF-8 (byte at offset {exc.start})", file=display))
        return None


_SUMS_LINE = re.compile(r"[0-9a-f]{64}  .+")


def check_sha256sums(root: Path, report: Report, display_root: str) -> dict[str, str]:
    """Check every file SHA256SUMS lists; return ``{name: digest}`` of its lines.

    Each distinct file is hashed once, however often it is listed (a name listed twice is a finding).
    """
    display = f"{display_root}/SHA256SUMS"
    text = _manifest_text(root, "SHA256SUMS", display, report)
    listed: dict[str, str] = {}
    if text is None:
        return listed
    hashed: dict[Path, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if not _SUMS_LINE.fullmatch(line):
            report.add(Finding("IW704", "line is not '<SHA-256 in hex>  <file>' as sha256sum writes it", file=display, line=number))
            continue
        digest, _, name = line.partition("  ")
        if name in listed:
            report.add(Finding("IW704", f"{name} is listed more than once", file=display, line=number))
            continue
        listed[name] = digest
        path, problem = safe_member(root, name, display)
        if problem:
            report.add(Finding(problem.code, problem.message, file=display, line=number))
            continue
        key = path.resolve()
        if key not in hashed:
            hashed[key] = sha256_file(path)
        if hashed[key] != digest:
            report.add(Finding("IW701", f"{name}: SHA-256 differs from SHA256SUMS", file=display, line=number))
    return listed


def _directory_files(root: Path) -> tuple[list[str], bool]:
    """Relative names of the files under ``root`` (links not followed), and whether there were too many to list."""
    names: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames) + [d for d in dirnames if (Path(dirpath) / d).is_symlink()]:
            names.append((Path(dirpath) / name).relative_to(root).as_posix())
            if len(names) > MAX_RELEASE_FILES:
                return names, True
    return names, False


def check_integrity(root: Path, descriptor: dict, listed: dict[str, str], report: Report, display_root: str) -> None:
    """Every file of the release is covered by a hash, and SHA256SUMS and datapackage.json agree.

    Every file in the directory is listed in SHA256SUMS (which cannot list itself);
    datapackage.json is listed; every resource is listed, and its ``hash`` agrees with SHA256SUMS
    (which :func:`check_sha256sums` checks against the file).
    """
    sums = f"{display_root}/SHA256SUMS"
    display = f"{display_root}/datapackage.json"
    if not listed:
        return  # SHA256SUMS is missing, unreadable or empty: already reported
    names, too_many = _directory_files(root)
    if too_many:
        report.add(Finding("IW111", f"the release holds more than {MAX_RELEASE_FILES:,} files; not all were checked", file=sums))
    for name in names:
        if name != "SHA256SUMS" and name not in listed:
            report.add(Finding("IW701", f"{name} is in the release but not in SHA256SUMS, so nothing vouches for it", file=f"{display_root}/{name}"))
    if "datapackage.json" not in listed:
        report.add(Finding("IW701", "datapackage.json is not listed in SHA256SUMS", file=sums))
    for resource in descriptor["resources"]:
        if not isinstance(resource, dict) or not isinstance(resource.get("path"), str):
            continue
        name = resource["path"]
        if safe_member(root, name, display)[1] is not None:
            continue  # a path that leaves the release or names nothing: reported with the resource
        label = f"resource '{resource.get('name')}' ({name})"
        if name not in listed:
            report.add(Finding("IW701", f"{label} is not listed in SHA256SUMS", file=display, field="path"))
        declared = resource.get("hash")
        if not isinstance(declared, str) or not declared.removeprefix("sha256:").isalnum():
            report.add(Finding("IW704", f"{label} has no 'hash' (sha256:<hex>)", file=display, field="hash"))
        elif name in listed and declared.removeprefix("sha256:") != listed[name]:
            report.add(Finding("IW701", f"{label}: the hash in datapackage.json differs from SHA256SUMS", file=display, field="hash"))


def _load_descriptor(path: Path, report: Report, display: str) -> dict | None:
    text = _manifest_text(path.parent, path.name, display, report)
    if text is None:
        return None
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as exc:
        report.add(Finding("IW704", f"datapackage.json is not valid JSON: {exc.msg}", file=display, line=exc.lineno))
        return None
    except RecursionError:
        report.add(Finding("IW111", "datapackage.json is nested too deeply to read", file=display))
        return None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        report.add(Finding("IW704", f"datapackage.json is not valid JSON: {str(exc).splitlines()[0]}", file=display))
        return None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        report.add(Finding("IW704", "datapackage.json must be an object with a 'resources' list", file=display))
        return None
    return descriptor


def read_release_table(root: Path, table: str, version: str) -> TableRead:
    """One table of a release, through its datapackage resource and every guard validation uses.

    For commands that read a release without validating it (``diff``): the path is resolved
    with :func:`safe_member`, the file's size is bounded, and problems are findings.
    """
    display_root = root.name or str(root)
    display = f"{display_root}/datapackage.json"
    report = Report(target=str(root), kind="release")
    descriptor = _load_descriptor(root / "datapackage.json", report, display)
    if descriptor is None:
        return TableRead(None, report.findings)
    resources = {r.get("name"): r for r in descriptor["resources"] if isinstance(r, dict)}
    resource = resources.get(f"{table}-parquet") or resources.get(table)
    if resource is None:
        return TableRead(None, [])
    path, problem = safe_member(root, resource.get("path"), display)
    if problem:
        return TableRead(None, [problem])
    return read_table_file(path, table, f"{display_root}/{resource['path']}", version)


def read_descriptor(root: Path) -> tuple[dict | None, list[Finding]]:
    """A release's datapackage.json, read with the size limit and checks of validation."""
    display = f"{root.name or root}/datapackage.json"
    report = Report(target=str(root), kind="release")
    return _load_descriptor(root / "datapackage.json", report, display), report.findings


def _row_counts(descriptor: dict, read: dict[str, TableRead], display: str) -> list[Finding]:
    """IW704 when datapackage.json's ``row_counts`` does not say how many rows the tables have."""
    declared = descriptor.get("row_counts")
    if declared is None:
        return []
    if not isinstance(declared, dict):
        return [Finding("IW704", "row_counts must be an object of table names and row counts", file=display, field="row_counts")]
    return [Finding("IW704", f"row_counts gives {table} {declared.get(table)!r} rows; the table has {result.table.num_rows}",
                    file=display, field="row_counts")
            for table, result in read.items() if declared.get(table) != result.table.num_rows]


def validate_release(descriptor_path: Path, previous_releases: Path | None = None,
                     on_table: Callable[[str, Any], None] | None = None) -> Report:
    """Validate a release directory through its datapackage.json.

    ``previous_releases``: a folder of earlier releases (``<VERSION>/`` each) whose ids must
    still be present or retired (IW703). Nothing outside the release is read without it.
    ``on_table(path in the release, pyarrow.Table)`` is called with every table file read (the build
    compares them with what it wrote; a CSV too large to hold is streamed, and not passed).
    """
    root = descriptor_path.parent
    display_root = root.name or str(root)
    display = f"{display_root}/datapackage.json"
    report = Report(target=str(root), kind="release")
    descriptor = _load_descriptor(descriptor_path, report, display)
    if descriptor is None:
        return report
    version = descriptor.get("schema_version")
    if not isinstance(version, str) or version not in VERSIONS:
        report.add(Finding("IW702", f"schema_version {version!r} is {'missing' if version is None else 'not known to this package'}"
                           f" (known: {', '.join(sorted(VERSIONS))})", file=display, field="schema_version"))
        return report
    check_integrity(root, descriptor, check_sha256sums(root, report, display_root), report, display_root)
    resources = {r.get("name"): r for r in descriptor["resources"] if isinstance(r, dict) and isinstance(r.get("name"), str)}
    for number, resource in enumerate(descriptor["resources"], start=1):
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            report.add(Finding("IW704", f"resource {number} is not an object with a 'name' string", file=display, field="resources"))
            continue
        problem = safe_member(root, resource.get("path"), display)[1]
        if problem:
            report.add(Finding(problem.code, f"resource '{resource.get('name')}': {problem.message}", file=display, field="path"))
    read, files = _read_release_tables(root, resources, version, report, on_table)
    arrow_tables = {t: r.table for t, r in read.items()}
    report.extend(foreign_key_findings(arrow_tables, files, {t: r.locate for t, r in read.items()}, version))
    texts = _release_texts(root, arrow_tables.get("sources"), report, display_root)
    rows = {t: arrow_tables[t].to_pylist() for t in arrow_tables}  # once, for the row-wise checks that follow
    if "evidence" in rows:
        report.extend(check_offsets(enumerate(rows["evidence"], start=1), texts, files["evidence"]))
    report.extend(_table_dates(rows, read, files))
    if report.errors:  # computed from broken tables, derived columns would only repeat those errors
        report.notes.append("derived columns and flat tables were not compared with the normalised tables: fix the errors first")
    else:
        report.extend(_derived(rows, read, files, version))
    if previous_releases is not None:
        report.extend(_release_stable_ids(descriptor.get("version"), root, arrow_tables, display, previous_releases))
    report.extend(_row_counts(descriptor, read, display))
    report.checked = {"tables": len(read)} | {t: r.table.num_rows for t, r in read.items()}
    return report


def _read_release_tables(root: Path, resources: dict[str, dict], version: str, report: Report,
                         on_table: Callable[[str, Any], None] | None) -> tuple[dict[str, TableRead], dict[str, str]]:
    """Read and check both forms of every table; ({table: the first form read}, {table: its file as findings name it})."""
    display_root = root.name or str(root)
    display = f"{display_root}/datapackage.json"
    read: dict[str, TableRead] = {}
    files: dict[str, str] = {}
    passed: dict[str, Any] = {}  # table -> the first form read, when the table rules found nothing in it
    for table in schema_tables(version):
        parquet, csv = resources.get(f"{table}-parquet"), resources.get(table)
        if parquet is None and csv is None:
            report.add(Finding("IW112", f"no resource for table '{table}'", file=display))
            continue
        report.extend(_form_findings(table, parquet, csv, display))
        for resource in (parquet, csv):  # both forms of every table, under the same rules; cross-table rules on the first
            if resource is None:
                continue
            path, problem = safe_member(root, resource.get("path"), display)
            if problem:
                continue
            where = f"{display_root}/{resource['path']}"
            result, clean = _read_release_table(path, table, where, version, report, passed.get(table))
            if clean:
                passed.setdefault(table, result.table)
            if result is not None and on_table is not None:
                on_table(resource["path"], result.table)
            if result is not None and table not in read:
                files[table] = where
                read[table] = result
    return read, files


def _form_findings(table: str, parquet: dict | None, csv: dict | None, display: str) -> list[Finding]:
    """A release holds both forms of a table: one left out of (or renamed in) datapackage.json, or pointing at
    the other form's file, would leave its file unchecked while SHA256SUMS vouches for it."""
    findings = []
    for name, resource, suffix in ((f"{table}-parquet", parquet, ".parquet"), (table, csv, ".csv")):
        if resource is None:
            findings.append(Finding("IW112", f"no resource '{name}': the {suffix[1:]} form of table '{table}' is not described", file=display))
        elif isinstance(resource.get("path"), str) and not resource["path"].lower().endswith(suffix):
            findings.append(Finding("IW704", f"resource '{name}' must be a {suffix} file (got '{resource['path']}')", file=display, field="path"))
    return findings


def _read_release_table(path: Path, table: str, where: str, version: str, report: Report,
                        passed: Any = None) -> tuple[TableRead | None, bool]:
    """Read and check one table file of a release: (what was read, whether the table rules found nothing in it).

    A CSV too large to hold is streamed (and not returned). ``passed``: the table's other form, in
    which the table rules found nothing; they look at the values only, so a file that holds the
    same values passes them too and is not checked again.
    """
    if path.suffix.lower() != ".parquet" and path.stat().st_size > STREAM_CSV_BYTES:
        stream_csv(path, table, where, FindingSink(report, 100), version)
        report.notes.append(f"{where} is large and was read in batches: its findings name rows, not lines")
        return None, False
    result = read_table_file(path, table, where, version, require_all=True)  # a release holds every column
    report.extend(result.findings)
    if result.table is None:
        return None, False
    if passed is not None and result.table.equals(passed):
        return result, True
    before = (len(report.findings), sum(report.suppressed.values()))
    check_table(result.table, table, where, result.locate, version, report=report)
    return result, (len(report.findings), sum(report.suppressed.values())) == before


def _release_stable_ids(version: Any, root: Path, tables: dict[str, Any], display: str, releases: Path) -> list[Finding]:
    """Compare with the releases in ``releases`` older than this one (all of them when this one has no version)."""
    before = version if isinstance(version, str) and is_version(version) else (root.name if is_version(root.name) else None)
    current = {rid: t for t in id_tables() if tables.get(t) is not None for rid in tables[t].column("id").to_pylist()}
    retired = {rid: "retired" for rid in tables["retired_ids"].column("id").to_pylist()} if tables.get("retired_ids") is not None else {}
    return check_stable_ids(current, retired, releases, before=before, file=display)


def _release_texts(root: Path, sources, report: Report, display_root: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    if sources is None:
        return texts
    for row in sources.to_pylist():
        display = f"{display_root}/{row['text_path']}"
        path, problem = safe_member(root, row["text_path"], display)
        if problem:
            report.add(Finding("IW406", problem.message, file=display, record=row["id"], field="text_path"))
            continue
        if path.stat().st_size > MAX_TEXT_BYTES:
            report.add(Finding("IW111", f"source text is {path.stat().st_size:,} bytes; the limit is {MAX_TEXT_BYTES:,}",
                               file=display, record=row["id"], field="text_path"))
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != row["text_sha256"]:
            report.add(Finding("IW406", "source text's SHA-256 differs from sources.text_sha256", file=display, record=row["id"], field="text_sha256"))
            continue
        text, problems = decode_source_text(data, display)
        report.extend(problems)
        if text is not None:
            texts[row["id"]] = text
    return texts


def _derived(rows: dict[str, list[dict]], read: dict[str, TableRead], files: dict[str, str], version: str) -> list[Finding]:
    """Derived columns and flat tables against the normalised tables (IW706)."""

    def where(table: str, index: int) -> dict:
        row, line = read[table].locate(index + 1, None)
        return {"file": files[table], "row": row, "line": line}

    return derived_findings(rows, version, where)


def _table_dates(rows: dict[str, list[dict]], read: dict[str, TableRead], files: dict[str, str]) -> list[Finding]:
    """Dates after publication (IW502) and relative phrases re-resolved (IW506), across tables."""

    def where(table: str, index: int, field: str) -> dict:
        row, line = read[table].locate(index + 1, field)
        return {"file": files[table], "row": row, "line": line}

    return publication_findings(rows, where)


#: CSV files larger than this are validated in streaming batches (rows are reported, not lines).
STREAM_CSV_BYTES = 64 * 1024 * 1024


def validate_table_file(path: Path, table: str, max_per_rule: int = 100, progress: bool = False) -> Report:
    """Validate one CSV or Parquet table that a user derived (no cross-table rules).

    Parquet is read in record batches; CSV too when it is large. Memory stays bounded by
    the batch plus 8 bytes per row for the primary-key hashes.
    """
    display = path.name
    report = Report(target=str(path), kind=f"table {table}")
    sink = FindingSink(report, max_per_rule)
    if path.suffix.lower() == ".parquet":
        total = _parquet_rows(path)
        rows = stream_parquet(path, table, display, sink, progress=terminal_progress(total, progress))
    elif path.stat().st_size > STREAM_CSV_BYTES:
        rows = stream_csv(path, table, display, sink, progress=terminal_progress(None, progress))
        report.notes.append("a large CSV file is read in batches: findings name rows, not lines")
    else:
        result = read_csv(path, table, display)
        for finding in result.findings:
            sink.add(finding)
        rows = None
        if result.table is not None:
            check_table(result.table, table, display, result.locate, report=report, max_per_rule=max_per_rule)
            rows = result.table.num_rows
    if progress and sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
    if rows is not None:
        report.checked = {"rows": rows}
    report.notes.append("a single table is checked on its own: references to other tables and publication dates are not checked")
    return report


def _parquet_rows(path: Path) -> int | None:
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path).metadata.num_rows
    except Exception:  # noqa: BLE001 - any failure to read the footer: the streaming reader reports it
        return None
