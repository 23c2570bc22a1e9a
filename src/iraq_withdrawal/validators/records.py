"""Load a curated dataset directory: YAML records and the source texts they quote.

A curated dataset directory holds ``curated/`` (YAML files, any depth) and
``sources/`` (``sources.yaml`` and one ``<source id>.txt`` per source). Loading
never raises on bad data: every problem becomes a finding of the reading (IW1xx)
or record schema (IW2xx) layer, and records that do not validate are kept out of
the later layers.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..findings import Finding
from ..io.paths import display_path as _display
from ..io.paths import is_inside as _inside
from ..io.text import MAX_TEXT_BYTES, decode_source_text
from ..io.yaml_reader import LineDict, LineList, contains_rejected, read_yaml
from ..schema import CURRENT_VERSION, load_schema


@dataclass
class Entry:
    """One curated record: where it was written and, if valid, its model."""

    table: str
    file: str
    line: int
    raw: Any
    model: BaseModel | None = None

    @property
    def id(self) -> str | None:
        if self.model is not None:
            return getattr(self.model, "id", None)
        return self.raw.get("id") if isinstance(self.raw, dict) and isinstance(self.raw.get("id"), str) else None

    def line_of(self, loc: tuple) -> int:
        """Best line for a pydantic error location inside this record."""
        node, line = self.raw, self.line
        for part in loc:
            if isinstance(node, LineDict) and part in node:
                line = node.key_lines.get(part, line)
                node = node[part]
            elif isinstance(node, LineList) and isinstance(part, int) and part < len(node):
                line = node.item_lines[part]
                node = node[part]
            else:
                break
        return line


@dataclass
class CuratedDataset:
    root: Path
    entries: dict[str, list[Entry]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    text_files: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    files_read: int = 0
    schema_version: str = CURRENT_VERSION

    def valid(self, table: str) -> list[Entry]:
        return [e for e in self.entries.get(table, []) if e.model is not None]

    def models(self, table: str) -> list[Any]:
        return [e.model for e in self.valid(table)]


def is_curated_dir(path: Path) -> bool:
    return (path / "curated").is_dir() and (path / "sources").is_dir()


def _yaml_files(directory: Path, root: Path, findings: list[Finding]) -> list[Path]:
    files = []
    if directory.is_symlink() and not _inside(directory, root):  # os.walk would list the folder a link names
        findings.append(Finding("IW107", "directory is a symbolic link that points outside the dataset directory; not read", file=_display(directory, root)))
        return files
    for dirpath, dirnames, filenames in os.walk(directory, followlinks=False):
        dirnames.sort()
        for name in dirnames:  # not followed; say so when the link leads out
            path = Path(dirpath) / name
            if path.is_symlink() and not _inside(path, root):
                findings.append(Finding("IW107", "directory is a symbolic link that points outside the dataset directory; not read", file=_display(path, root)))
        for name in sorted(filenames):
            if not name.endswith((".yaml", ".yml")):
                continue
            path = Path(dirpath) / name
            if not path.is_file():  # a dangling link, a link loop, a fifo
                findings.append(Finding("IW112", "not a readable file (a link to nothing or to itself?); not read", file=_display(path, root)))
                continue
            if not _inside(path, root):
                findings.append(Finding("IW107", "symbolic link points outside the dataset directory; not read", file=_display(path, root)))
                continue
            files.append(path)
    return files


_SCHEMA_CODES = {"missing": "IW201", "extra_forbidden": "IW202"}


def _schema_findings(exc: ValidationError, entry: Entry) -> list[Finding]:
    findings = []
    for error in exc.errors(include_url=False):
        loc = tuple(error.get("loc", ()))
        code = _SCHEMA_CODES.get(error["type"], "IW203")
        if error["type"] == "value_error" and (not loc or loc[-1] not in entry.raw):
            code = "IW204"
        field_name = ".".join(str(p) for p in loc) or None
        message = error["msg"].removeprefix("Value error, ")
        if code == "IW203" and "input" in error and not isinstance(error["input"], (dict, list)):
            message += f" (got {error['input']!r})"
            if error["type"] == "string_type" and isinstance(error["input"], (bool, int, float, dt.date)):
                message += "; unquoted YAML reads it as a boolean, number or date: put it in quotes to keep it as text"
        if code == "IW202":
            message = f"field '{loc[-1]}' is not part of the {entry.table} schema"
        findings.append(Finding(code, message, file=entry.file, line=entry.line_of(loc), record=entry.id, field=field_name))
    return findings


def _load_records(path: Path, display: str, allowed: dict[str, type[BaseModel]], data: CuratedDataset) -> None:
    doc = read_yaml(path, display)
    data.files_read += 1
    data.findings.extend(doc.findings)
    if doc.value is None:
        if not doc.findings:
            data.findings.append(Finding("IW106", "the file is empty: it holds no table", file=display, line=1))
        return
    if not isinstance(doc.value, LineDict):
        data.findings.append(Finding("IW106", "the file must be a mapping of table names to lists of records", file=display, line=1))
        return
    for table, rows in doc.value.items():
        line = doc.value.key_lines[table]
        if table not in allowed:
            data.findings.append(
                Finding("IW106", f"unknown table '{table}' (expected one of: {', '.join(allowed)})", file=display, line=line, field=str(table))
            )
            continue
        if rows is None:
            continue
        if not isinstance(rows, LineList):
            data.findings.append(Finding("IW106", f"'{table}' must be a list of records", file=display, line=line, field=table))
            continue
        model = allowed[table]
        for raw, item_line in zip(rows, rows.item_lines):
            entry = Entry(table, display, item_line, raw)
            data.entries.setdefault(table, []).append(entry)
            if not isinstance(raw, LineDict):
                data.findings.append(Finding("IW106", f"each item of '{table}' must be a mapping of fields", file=display, line=item_line))
                continue
            if contains_rejected(raw):
                continue  # the reader already said what is wrong with it
            try:
                entry.model = model.model_validate(dict(raw))
            except ValidationError as exc:
                data.findings.extend(_schema_findings(exc, entry))
            except RecursionError:
                data.findings.append(Finding("IW111", "record is nested too deeply", file=display, line=item_line))


def load_curated(root: Path, schema_version: str = CURRENT_VERSION) -> CuratedDataset:
    """Read every YAML file under ``root/curated`` and ``root/sources/sources.yaml``, and the source texts."""
    models = load_schema(schema_version)
    data = CuratedDataset(root=root, schema_version=schema_version)
    record_tables = {k: v for k, v in models.RECORD_MODELS.items() if k != "sources"}

    source_files = _yaml_files(root / "sources", root, data.findings)
    for path in source_files:
        _load_records(path, _display(path, root), {"sources": models.RECORD_MODELS["sources"]}, data)
    if not source_files:
        data.findings.append(Finding("IW112", "no source metadata: sources/sources.yaml is missing", file=_display(root / "sources" / "sources.yaml", root)))

    for path in _yaml_files(root / "curated", root, data.findings):
        _load_records(path, _display(path, root), record_tables, data)

    for entry in data.valid("sources"):
        text_path = root / "sources" / f"{entry.model.id}.txt"
        display = _display(text_path, root)
        data.text_files[entry.model.id] = display
        if not text_path.is_file():
            data.findings.append(Finding("IW112", f"source text for '{entry.model.id}' is missing", file=display, record=entry.model.id))
            continue
        if not _inside(text_path, root):
            data.findings.append(Finding("IW107", "source text is a link to a file outside the dataset directory; not read",
                                         file=display, record=entry.model.id))
            continue
        try:
            size = text_path.stat().st_size
            if size > MAX_TEXT_BYTES:
                data.findings.append(Finding("IW111", f"source text is {size:,} bytes; the limit is {MAX_TEXT_BYTES:,}",
                                             file=display, record=entry.model.id))
                continue
            raw = text_path.read_bytes()
        except OSError as exc:
            data.findings.append(Finding("IW112", f"cannot read the source text: {exc.strerror or exc}", file=display, record=entry.model.id))
            continue
        text, problems = decode_source_text(raw, display)
        data.findings.extend(problems)
        if text is not None:
            data.texts[entry.model.id] = text
    return data
