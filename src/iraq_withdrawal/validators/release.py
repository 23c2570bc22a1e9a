"""Validate a built release directory, or a single table a user derived.

A release directory holds ``datapackage.json``, ``SHA256SUMS``, one Parquet and one
CSV file per table and the source texts. Validation reads only files inside the
directory (no ``..``, absolute paths, URLs or links that leave it) and makes no
network request.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

from ..findings import Finding, Report
from ..io.hashing import sha256_file
from ..io.paths import safe_member
from ..io.tables import TableRead, read_csv, read_table_file
from ..io.text import decode_utf8
from ..schema import VERSIONS
from ..schema.registry import id_tables
from ..schema.registry import tables as schema_tables
from ..schema.versions import is_version
from .dates import publication_findings
from .provenance import check_offsets
from .stable_ids import check_stable_ids
from .stream import FindingSink, stream_csv, stream_parquet, terminal_progress
from .tables import check_table, foreign_key_findings

MAX_MANIFEST_BYTES = 16 * 1024 * 1024  # datapackage.json and SHA256SUMS: a build writes a few kilobytes


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


def check_sha256sums(root: Path, report: Report, display_root: str) -> None:
    display = f"{display_root}/SHA256SUMS"
    text = _manifest_text(root, "SHA256SUMS", display, report)
    if text is None:
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if not _SUMS_LINE.fullmatch(line):
            report.add(Finding("IW704", "line is not '<SHA-256 in hex>  <file>' as sha256sum writes it", file=display, line=number))
            continue
        digest, _, name = line.partition("  ")
        path, problem = safe_member(root, name, display)
        if problem:
            report.add(Finding(problem.code, problem.message, file=display, line=number))
            continue
        if sha256_file(path) != digest.strip():
            report.add(Finding("IW701", f"{name}: SHA-256 differs from SHA256SUMS", file=display, line=number))


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


def validate_release(descriptor_path: Path) -> Report:
    """Validate a release directory through its datapackage.json."""
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
    check_sha256sums(root, report, display_root)
    resources = {r.get("name"): r for r in descriptor["resources"] if isinstance(r, dict) and isinstance(r.get("name"), str)}
    read: dict[str, TableRead] = {}
    files: dict[str, str] = {}
    for number, resource in enumerate(descriptor["resources"], start=1):
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            report.add(Finding("IW704", f"resource {number} is not an object with a 'name' string", file=display, field="resources"))
            continue
        problem = safe_member(root, resource.get("path"), display)[1]
        if problem:
            report.add(Finding(problem.code, f"resource '{resource.get('name')}': {problem.message}", file=display, field="path"))
    for table in schema_tables(version):
        resource = resources.get(f"{table}-parquet") or resources.get(table)
        if resource is None:
            report.add(Finding("IW112", f"no resource for table '{table}'", file=display))
            continue
        path, problem = safe_member(root, resource.get("path"), display)
        if problem:
            continue
        files[table] = f"{display_root}/{resource['path']}"
        result = read_table_file(path, table, files[table], version, require_all=True)
        report.extend(result.findings)
        if result.table is not None:
            read[table] = result
            check_table(result.table, table, files[table], result.locate, version, report=report)
    arrow_tables = {t: r.table for t, r in read.items()}
    report.extend(foreign_key_findings(arrow_tables, files, {t: r.locate for t, r in read.items()}, version))
    texts = _release_texts(root, arrow_tables.get("sources"), report, display_root)
    if "evidence" in arrow_tables:
        rows = enumerate(arrow_tables["evidence"].to_pylist(), start=1)
        report.extend(check_offsets(rows, texts, files["evidence"]))
    report.extend(_table_dates(arrow_tables, read, files))
    report.extend(_release_stable_ids(root, arrow_tables, display))
    report.checked = {"tables": len(read)} | {t: r.table.num_rows for t, r in read.items()}
    return report


def _release_stable_ids(root: Path, tables: dict[str, Any], display: str) -> list[Finding]:
    """Compare with the releases next to this one (a releases directory), if any."""
    if not is_version(root.name):
        return []
    current = {rid: t for t in id_tables() if tables.get(t) is not None for rid in tables[t].column("id").to_pylist()}
    retired = {rid: "retired" for rid in tables["retired_ids"].column("id").to_pylist()} if tables.get("retired_ids") is not None else {}
    return check_stable_ids(current, retired, root.parent, before=root.name, file=display)


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
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != row["text_sha256"]:
            report.add(Finding("IW406", "source text's SHA-256 differs from sources.text_sha256", file=display, record=row["id"], field="text_sha256"))
            continue
        text, problems = decode_utf8(data, display)
        report.extend(problems)
        if text is not None:
            texts[row["id"]] = text
    return texts


def _table_dates(tables: dict[str, Any], read: dict[str, TableRead], files: dict[str, str]) -> list[Finding]:
    """Dates after publication (IW502) and relative phrases re-resolved (IW506), across tables."""
    rows = {t: tables[t].to_pylist() for t in tables}

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
