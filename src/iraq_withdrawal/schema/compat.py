"""Classify the changes between two schema versions and the version bump they need.

Every change is judged from two sides:

- **backward**: a reader of the new schema can still read data written under the old
  one (old data validates against the new schema);
- **forward**: a reader built for the old schema can still read data written under the
  new one.

A change that breaks backward compatibility needs a major version; one that keeps it
but breaks forward compatibility, or adds something, needs a minor version; a change
of documentation only needs a patch.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError

_WIDER = {("integer", "number"), ("integer", "string"), ("number", "string"), ("date", "string"), ("boolean", "string")}
BUMPS = ("none", "patch", "minor", "major")


@dataclass(frozen=True)
class Change:
    table: str
    field: str | None
    kind: str
    detail: str
    backward: bool
    forward: bool
    documentation: bool = False

    @property
    def compatibility(self) -> str:
        if self.backward and self.forward:
            return "compatible both ways"
        if self.backward:
            return "compatible for readers of old data"
        if self.forward:
            return "compatible for old readers of new data"
        return "breaking"

    @property
    def bump(self) -> str:
        if not self.backward:
            return "major"
        if self.documentation:
            return "patch"
        return "minor"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"compatibility": self.compatibility, "bump": self.bump}


MAX_SCHEMA_BYTES = 1 << 20  # a published Table Schema is a few kilobytes
MAX_SCHEMA_FILES = 1000


def load_table_schemas(directory: Path) -> dict[str, dict]:
    """``{table: Table Schema}`` from a published schema version directory.

    Raises :class:`~iraq_withdrawal.errors.InputError` for a file that is a link out of
    ``tables/``, too large, not JSON, or not shaped like a Table Schema.
    """
    tables_dir = directory / "tables"
    if tables_dir.is_symlink():  # its documents would be read from wherever the link points
        raise InputError(f"{tables_dir} is a link; schema documents are read only from the directory named")
    root = tables_dir.resolve()
    schemas = {}
    for path in sorted(tables_dir.glob("*.schema.json"))[: MAX_SCHEMA_FILES + 1]:
        if len(schemas) >= MAX_SCHEMA_FILES:
            raise InputError(f"{tables_dir} holds more than {MAX_SCHEMA_FILES} schema documents")
        try:
            if root not in path.resolve().parents or not path.is_file():
                raise InputError(f"{path}: not a file inside {tables_dir} (a link that leaves it?); not read")
            if path.stat().st_size > MAX_SCHEMA_BYTES:
                raise InputError(f"{path}: {path.stat().st_size:,} bytes; a schema document may hold at most {MAX_SCHEMA_BYTES:,}")
            document = json.loads(path.read_bytes().decode("utf-8"))
        except (OSError, RuntimeError) as exc:
            raise InputError(f"{path}: cannot be read: {exc}") from None
        except (UnicodeDecodeError, RecursionError, ValueError) as exc:
            raise InputError(f"{path}: not valid JSON: {str(exc).splitlines()[0][:200]}") from None
        problem = table_schema_problem(document)
        if problem:
            raise InputError(f"{path}: not a Table Schema: {problem}")
        schemas[path.name.removesuffix(".schema.json")] = document
    return schemas


_NUMBER_KEYS = ("minLength", "maxLength", "minimum", "maximum")


def table_schema_problem(document: Any) -> str | None:
    """What makes ``document`` unusable as a Table Schema for :func:`compare`, or None."""
    if not isinstance(document, dict) or not isinstance(document.get("fields", []), list):
        return "must be an object with a 'fields' list"
    for number, item in enumerate(document.get("fields", []), start=1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            return f"field {number} must be an object with a 'name' string"
        constraints = item.get("constraints", {})
        if not isinstance(constraints, dict):
            return f"field '{item['name']}': 'constraints' must be an object"
        enum = constraints.get("enum")
        if enum is not None and (not isinstance(enum, list) or not all(isinstance(v, str) for v in enum)):
            return f"field '{item['name']}': 'enum' must be a list of strings"
        for key in _NUMBER_KEYS:
            if key in constraints and (isinstance(constraints[key], bool) or not isinstance(constraints[key], (int, float))):
                return f"field '{item['name']}': '{key}' must be a number"
    keys = document.get("foreignKeys", [])
    if not isinstance(keys, list) or not all(isinstance(k, dict) and isinstance(k.get("fields"), (str, list)) for k in keys):
        return "'foreignKeys' must be a list of objects with 'fields'"
    return None


def _constraint_changes(table: str, name: str, old: dict, new: dict) -> list[Change]:
    out = []
    a, b = old.get("constraints", {}), new.get("constraints", {})
    if a.get("required") != b.get("required"):
        if b.get("required"):
            out.append(Change(table, name, "constraint tightened", "now required", backward=False, forward=True))
        else:
            out.append(Change(table, name, "constraint relaxed", "no longer required", backward=True, forward=False))
    if "enum" in a or "enum" in b:
        old_values, new_values = set(a.get("enum") or []), set(b.get("enum") or [])
        if "enum" not in b:
            out.append(Change(table, name, "constraint relaxed", "enum removed", backward=True, forward=False))
        elif "enum" not in a:
            out.append(Change(table, name, "constraint tightened", "enum added", backward=False, forward=True))
        else:
            if new_values - old_values:
                out.append(Change(table, name, "enum value added", ", ".join(sorted(new_values - old_values)), backward=True, forward=False))
            if old_values - new_values:
                out.append(Change(table, name, "enum value removed", ", ".join(sorted(old_values - new_values)), backward=False, forward=True))
    for key, kind in (("pattern", "pattern"), ("minLength", "min"), ("minimum", "min"), ("maxLength", "max"), ("maximum", "max")):
        if a.get(key) == b.get(key):
            continue
        if key not in b:
            out.append(Change(table, name, "constraint relaxed", f"{key} removed", backward=True, forward=False))
        elif key not in a:
            out.append(Change(table, name, "constraint tightened", f"{key} {b[key]!r} added", backward=False, forward=True))
        elif kind == "min" and b[key] < a[key] or kind == "max" and b[key] > a[key]:
            out.append(Change(table, name, "constraint relaxed", f"{key} {a[key]!r} -> {b[key]!r}", backward=True, forward=False))
        else:
            out.append(Change(table, name, "constraint tightened", f"{key} {a[key]!r} -> {b[key]!r}", backward=False, forward=True))
    return out


def _renamed(old_fields: dict, new_fields: dict, removed: list[str], added: list[str]) -> dict[str, str]:
    """Removed columns that reappear under another name with the same type and description."""
    renamed: dict[str, str] = {}
    for r in removed:
        for a in added:
            if a not in renamed.values() and old_fields[r].get("type") == new_fields[a].get("type") \
                    and old_fields[r].get("description") == new_fields[a].get("description"):
                renamed[r] = a
                break
    return renamed


def _field_changes(table: str, name: str, a: dict, b: dict) -> list[Change]:
    """Changes of one column present in both versions: type, constraints, description."""
    out: list[Change] = []
    if a.get("type") != b.get("type"):
        pair = (a.get("type"), b.get("type"))
        if pair in _WIDER:
            out.append(Change(table, name, "type widened", f"{pair[0]} -> {pair[1]}", backward=True, forward=False))
        elif pair[::-1] in _WIDER:
            out.append(Change(table, name, "type narrowed", f"{pair[0]} -> {pair[1]}", backward=False, forward=True))
        else:
            out.append(Change(table, name, "type changed", f"{pair[0]} -> {pair[1]}", backward=False, forward=False))
    out.extend(_constraint_changes(table, name, a, b))
    if a.get("description") != b.get("description") and a.get("constraints", {}).get("enum") == b.get("constraints", {}).get("enum"):
        out.append(Change(table, name, "description changed", "", backward=True, forward=True, documentation=True))
    return out


def _table_changes(table: str, old: dict, new: dict) -> list[Change]:
    out: list[Change] = []
    old_fields = {f["name"]: f for f in old.get("fields", [])}
    new_fields = {f["name"]: f for f in new.get("fields", [])}
    removed = [n for n in old_fields if n not in new_fields]
    added = [n for n in new_fields if n not in old_fields]
    renamed = _renamed(old_fields, new_fields, removed, added)
    for r, a in renamed.items():
        out.append(Change(table, r, "column renamed", f"{r} -> {a}", backward=False, forward=False))
    for r in removed:
        if r not in renamed:
            out.append(Change(table, r, "column removed", r, backward=False, forward=False))
    for a in added:
        if a in renamed.values():
            continue
        if new_fields[a].get("constraints", {}).get("required"):
            out.append(Change(table, a, "required column added", a, backward=False, forward=True))
        else:
            out.append(Change(table, a, "optional column added", a, backward=True, forward=True))
    for name in [n for n in old_fields if n in new_fields]:
        out.extend(_field_changes(table, name, old_fields[name], new_fields[name]))
    if old.get("primaryKey") != new.get("primaryKey"):
        out.append(Change(table, None, "primary key changed", f"{old.get('primaryKey')} -> {new.get('primaryKey')}", backward=False, forward=False))
    old_fk = {json.dumps(fk, sort_keys=True) for fk in old.get("foreignKeys", [])}
    new_fk = {json.dumps(fk, sort_keys=True) for fk in new.get("foreignKeys", [])}
    for fk in sorted(new_fk - old_fk):
        fields = json.loads(fk)["fields"]
        if isinstance(fields, str) and fields in added and fields not in renamed.values():
            # a reference on a column the old schema did not have: old data has no values it could reject
            out.append(Change(table, fields, "foreign key on added column", f"foreign key {fk} added", backward=True, forward=True))
            continue
        out.append(Change(table, fields, "constraint tightened", f"foreign key {fk} added", backward=False, forward=True))
    for fk in sorted(old_fk - new_fk):
        out.append(Change(table, json.loads(fk)["fields"], "constraint relaxed", f"foreign key {fk} removed", backward=True, forward=False))
    return out


def compare(old: dict[str, dict], new: dict[str, dict]) -> list[Change]:
    """Every change between two sets of Table Schemas."""
    changes: list[Change] = []
    for table in old:
        if table not in new:
            changes.append(Change(table, None, "table removed", table, backward=False, forward=False))
    for table in new:
        if table not in old:
            changes.append(Change(table, None, "table added", table, backward=True, forward=True))
        else:
            changes.extend(_table_changes(table, old[table], new[table]))
    return changes


def required_bump(changes: list[Change]) -> str:
    return max((c.bump for c in changes), key=BUMPS.index, default="none")


def actual_bump(old_version: str, new_version: str) -> str:
    a = [int(x) for x in old_version.split(".")]
    b = [int(x) for x in new_version.split(".")]
    if b[0] != a[0]:
        return "major"
    if b[1] != a[1]:
        return "minor"
    if b[2] != a[2]:
        return "patch"
    return "none"
