"""Differences between two releases: records added, retired, vanished and changed, per table.

A record is identified by its table's primary key. A record missing from the new
release is *retired* when the new release lists it in ``retired_ids``, and
*vanished* otherwise (which ``validate`` reports as IW703). A row of a table without stable ids (a link,
a quote of the evidence table, a flat row) that the new release no longer has is *removed*.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..findings import printable
from ..schema import VERSIONS
from ..schema.derive import columns
from ..schema.registry import flat_tables, id_tables, tables
from ..validators.release import read_descriptor, read_release_table


@dataclass
class TableDiff:
    table: str
    added: list[str] = field(default_factory=list)
    retired: list[dict[str, Any]] = field(default_factory=list)
    vanished: list[str] = field(default_factory=list)
    #: rows of a table without stable ids (links, evidence, flat tables) that the new release no longer has
    removed: list[str] = field(default_factory=list)
    #: computed from other tables (a flat table): its rows are summarised, not listed
    derived: bool = False
    changed: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.retired or self.vanished or self.removed or self.changed or self.columns_added
                    or self.columns_removed)


@dataclass
class ReleaseDiff:
    old: str
    new: str
    old_schema: str | None
    new_schema: str | None
    tables: list[TableDiff]

    def as_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "schema": {"old": self.old_schema, "new": self.new_schema},
            "tables": {
                t.table: {
                    "added": t.added,
                    "retired": t.retired,
                    "vanished": t.vanished,
                    "removed": t.removed,
                    "changed": {rid: {f: {"old": _jsonable(a), "new": _jsonable(b)} for f, (a, b) in fields.items()}
                                for rid, fields in t.changed.items()},
                    "columns_added": t.columns_added,
                    "columns_removed": t.columns_removed,
                }
                for t in self.tables
            },
        }


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _refuse(directory: Path, findings: list) -> InputError:
    first = findings[0]
    return InputError(f"cannot compare {directory}: {first.file}: {printable(first.message)}"
                      + (f" (and {len(findings) - 1} more problem(s); run `iraq-withdrawal validate {directory}`)" if len(findings) > 1 else ""))


def _descriptor(directory: Path) -> dict:
    descriptor, findings = read_descriptor(directory)
    if descriptor is None:
        raise _refuse(directory, findings)
    version = descriptor.get("schema_version")
    if not isinstance(version, str) or version not in VERSIONS:
        raise InputError(f"cannot compare {directory}: datapackage.json declares schema_version {printable(repr(version))}, "
                         f"not one this package knows ({', '.join(sorted(VERSIONS))})")
    return descriptor


def _rows(directory: Path, table: str, version: str) -> tuple[list[str], list[dict]] | None:
    """The rows of one schema table, read through the release's resources with validation's guards."""
    result = read_release_table(directory, table, version)
    if result.findings:
        raise _refuse(directory, result.findings)
    if result.table is None:
        return None
    return result.table.column_names, result.table.to_pylist()


def _key(row: dict, keys: list[str]) -> str:
    return "/".join(str(row[k]) for k in keys)


def diff_releases(old: Path, new: Path) -> ReleaseDiff:
    """Compare two release directories table by table."""
    old_pkg, new_pkg = _descriptor(old), _descriptor(new)
    schema_version, old_version = new_pkg["schema_version"], old_pkg["schema_version"]
    retired_rows = _rows(new, "retired_ids", schema_version) if "retired_ids" in tables(schema_version) else None
    retired = {r["id"]: r for r in (retired_rows[1] if retired_rows else [])}
    names = [*tables(schema_version), *(t for t in tables(old_version) if t not in tables(schema_version))]
    result = []
    for table in names:  # the schema's tables only: a name in datapackage.json is never a path
        before = _rows(old, table, old_version) if table in tables(old_version) else None
        after = _rows(new, table, schema_version) if table in tables(schema_version) else None
        diff = TableDiff(table, derived=table in flat_tables(schema_version))
        stable = table in id_tables(schema_version) or table in id_tables(old_version)
        try:
            keys = [c.name for c in columns(table, schema_version) if c.primary_key]
        except KeyError:
            keys = []
        old_cols, old_list = before if before else ([], [])
        new_cols, new_list = after if after else ([], [])
        keys = keys or [(new_cols or old_cols or ["id"])[0]]
        diff.columns_added = [c for c in new_cols if c not in old_cols]
        diff.columns_removed = [c for c in old_cols if c not in new_cols]
        old_by = {_key(r, keys): r for r in old_list}
        new_by = {_key(r, keys): r for r in new_list}
        diff.added = sorted(set(new_by) - set(old_by))
        for rid in sorted(set(old_by) - set(new_by)):
            if rid in retired:
                diff.retired.append({"id": rid, "reason": retired[rid]["reason"], "replaced_by": retired[rid].get("replaced_by")})
            elif stable:  # a released id may not disappear without a retired_ids entry (IW703)
                diff.vanished.append(rid)
            else:
                diff.removed.append(rid)
        for rid in sorted(set(old_by) & set(new_by)):
            a, b = old_by[rid], new_by[rid]
            fields = {c: (a.get(c), b.get(c)) for c in dict.fromkeys([*old_cols, *new_cols])
                      if c in a and c in b and a.get(c) != b.get(c)}
            if fields:
                diff.changed[rid] = fields
        result.append(diff)
    return ReleaseDiff(printable(str(old_pkg.get("version", old.name))), printable(str(new_pkg.get("version", new.name))),
                       old_pkg.get("schema_version"), new_pkg.get("schema_version"), result)


def _short(value: Any, limit: int = 70) -> str:
    text = json.dumps(_jsonable(value), ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_diff_text(diff: ReleaseDiff) -> str:
    lines = [f"{diff.old} -> {diff.new} (schema {diff.old_schema} -> {diff.new_schema})"]
    for t in diff.tables:
        summary = (f"{len(t.added)} added, {len(t.retired)} retired, {len(t.vanished)} vanished, {len(t.removed)} removed, "
                   f"{len(t.changed)} changed")
        lines.append(f"{t.table}: {summary}")
        for c in t.columns_added:
            lines.append(f"  + column {c}")
        for c in t.columns_removed:
            lines.append(f"  - column {c}")
        for rid in t.added:
            lines.append(f"  + {rid}")
        for r in t.retired:
            lines.append(f"  - {r['id']} (retired: {r['reason']}" + (f"; replaced by {r['replaced_by']})" if r["replaced_by"] else ")"))
        for rid in t.vanished:
            lines.append(f"  ! {rid} (vanished without a retired_ids entry)")
        for rid in t.removed:
            lines.append(f"  - {rid}")
        for rid, fields in t.changed.items():
            lines.append(f"  ~ {rid}")
            for name, (a, b) in fields.items():
                lines.append(f"      {name}: {_short(a)} -> {_short(b)}")
    return "\n".join(printable(line) for line in lines) + "\n"


def _md(value: Any, limit: int = 80) -> str:
    """A value as inline Markdown code (backticks in the value are replaced, so the span stays one span)."""
    return "`" + _short(value, limit).replace("`", "'") + "`"


def render_diff_markdown(diff: ReleaseDiff) -> str:
    """Release notes for CHANGELOG.md, to be edited by hand: every record added, retired or changed, with its fields."""
    lines = [f"### Data changes from {diff.old}", ""]
    if diff.old_schema != diff.new_schema:
        lines += [f"Schema {diff.old_schema} → {diff.new_schema}.", ""]
    for t in diff.tables:
        if t.empty:
            continue
        parts = [f"{len(t.added)} added" if t.added else "", f"{len(t.retired)} retired" if t.retired else "",
                 f"{len(t.changed)} changed" if t.changed else "", f"{len(t.vanished)} vanished" if t.vanished else "",
                 f"{len(t.removed)} removed" if t.removed else ""]
        summary = ", ".join(p for p in parts if p)
        lines.append(f"- `{t.table}`" + (f": {summary}" if summary else ""))
        if t.derived:  # every row follows from the tables above; listing them would repeat those changes
            lines.append("  - computed from the tables above; its rows follow their changes")
            continue
        for c in t.columns_added:
            lines.append(f"  - new column `{c}`")
        for c in t.columns_removed:
            lines.append(f"  - column `{c}` removed")
        for rid in t.added:
            lines.append(f"  - added `{rid}`")
        for r in t.retired:
            lines.append(f"  - retired `{r['id']}`: {r['reason']}" + (f" (replaced by `{r['replaced_by']}`)" if r["replaced_by"] else ""))
        for rid in t.vanished:
            lines.append(f"  - **vanished** `{rid}` (no retired_ids entry)")
        for rid in t.removed:
            lines.append(f"  - removed `{rid}`")
        for rid, fields in t.changed.items():  # columns only one release has are not compared (listed above)
            lines.append(f"  - changed `{rid}`")
            for name, (a, b) in fields.items():
                lines.append(f"    - `{name}`: {_md(a)} → {_md(b)}")
    if len(lines) == 2:
        lines.append("- no changes")
    return "\n".join(printable(line) for line in lines) + "\n"
