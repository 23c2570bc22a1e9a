"""The within-table rules, declared once.

:func:`table_rules` derives every rule of a table from the schema models: required
values, allowed values, patterns, lengths and ranges, control characters, cells a
spreadsheet would execute, the date rules (fields given together, order, precision,
a note for resolved dates) and the unique primary key. Every engine evaluates this
one list — :mod:`~iraq_withdrawal.validators.arrow` on record batches (curated rows,
release tables, derived CSV and Parquet files) and :mod:`~iraq_withdrawal.validators.spark`
on a Spark cluster — and every finding's field and message come from
:meth:`TableRule.explain`, so the same bad value reads the same on every path.

Where a rule applies: the date order, precision and note rules only judge rows whose
dates are complete (``date_start``, ``date_precision`` and ``date_basis`` given), and
precision and note only rows whose end is not before their start; a row that breaks
an earlier date rule gets that one finding, not a cascade.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from ..schema import CURRENT_VERSION
from ..schema.dates import precision_problem
from ..schema.derive import columns
from ..schema.registry import DATE_FIELDS

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMULA_PATTERN = "^[=+\\-@\\t\\r]"
CONTROL_PATTERN = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]"
RESOLVED_BASES = ("relative_to_publication", "inferred")
PRECISIONS_WITH_EXTENT = ("week", "month", "season", "year", "years")
#: Rule kinds that judge only rows with complete dates; the second set also needs end >= start.
NEEDS_COMPLETE_DATES = frozenset({"date_order", "precision", "note_missing"})
NEEDS_ORDERED_DATES = frozenset({"precision", "note_missing"})


def _shown(value: Any) -> str:
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    return repr(value)


def closest_value(value: Any, allowed: tuple[str, ...] | list[str]) -> str | None:
    """The allowed value a user most likely meant: the same apart from case, spaces and dashes, else the closest spelling."""
    if not isinstance(value, str) or not allowed:
        return None
    folded = value.strip().lower().replace("-", "_").replace(" ", "_")
    for candidate in allowed:
        if candidate.lower() == folded:
            return candidate
    matches = difflib.get_close_matches(folded, [a.lower() for a in allowed], n=1, cutoff=0.6)
    return next((a for a in allowed if a.lower() == matches[0]), None) if matches else None


@dataclass(frozen=True)
class TableRule:
    """One check on one table: ``kind`` says what, ``columns`` which columns it reads, ``params`` with what."""

    code: str
    # required | enum | pattern | min_length | range | control | formula | finite | items
    # | date_order | date_incomplete | note_missing | precision | unique
    kind: str
    columns: tuple[str, ...]
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def column(self) -> str:
        """The column the rule is about (the first it reads)."""
        return self.columns[0]

    @property
    def field(self) -> str:
        """The field a finding names when the message does not decide otherwise."""
        return {"date_order": "date_end", "precision": "date_precision", "note_missing": "date_note"}.get(self.kind, self.column)

    @property
    def reads(self) -> tuple[str, ...]:
        """Every column the rule reads: its own, and for the date rules those that say whether the dates are complete."""
        judged = ("date_start", "date_precision", "date_basis") if self.kind in NEEDS_COMPLETE_DATES else ()
        return tuple(dict.fromkeys((*self.columns, *judged)))

    def param(self, name: str, default: Any = None) -> Any:
        return dict(self.params).get(name, default)

    def describe(self) -> str:
        """What the rule demands, for a finding that counts rows rather than showing one."""
        p = dict(self.params)
        return {
            "required": f"'{self.column}' must not be empty",
            "enum": f"'{self.column}' must be one of {', '.join(p.get('values', ()))}",
            "pattern": f"'{self.column}' must match {p.get('pattern')}",
            "min_length": f"'{self.column}' must have at least {p.get('min')} character(s)",
            "range": f"'{self.column}' must be within [{p.get('min')}, {p.get('max')}]",
            "formula": f"'{self.column}' starts with a character a spreadsheet executes",
            "control": f"'{self.column}' must not contain control characters (other than tab, line feed and carriage return)",
            "date_order": "date_end must not be before date_start",
            "date_incomplete": "date_start, date_precision and date_basis go together",
            "precision": f"a '{p.get('precision')}' date must fit its precision",  # explain() says how
            "unique": f"({', '.join(self.columns)}) must be unique",
            "note_missing": "date_note must say how a resolved or inferred date was found",
            "finite": f"'{self.column}' must be a finite number (not NaN or infinite)",
            "items": f"every item of '{self.column}' must be non-empty text without control characters",
        }[self.kind]

    def explain(self, values: dict[str, Any]) -> tuple[str, str]:
        """(field, message) for one failing row, given the values of the columns the rule reads."""
        if self.kind == "date_incomplete":
            given = [n for n in DATE_FIELDS if values.get(n) is not None]
            missing = [n for n in DATE_FIELDS if n != "date_end" and values.get(n) is None]
            return missing[0], f"{', '.join(given)} given but {', '.join(missing)} missing"
        if self.kind == "date_order":
            return self.field, f"date_end {values['date_end']} is before date_start {values['date_start']}"
        if self.kind == "precision":
            problem = precision_problem(values["date_precision"], values["date_start"], values["date_end"],
                                        calendar_week=self.param("calendar_week", False))
            return self.field, problem or self.describe()
        if self.kind == "note_missing":
            return self.field, f"date_basis is '{values['date_basis']}' but date_note does not say how"
        message = self.describe()
        if self.kind != "required":
            message += f" (got {_shown(values.get(self.column))})"
        if self.kind == "enum":
            suggestion = closest_value(values.get(self.column), self.param("values", ()))
            if suggestion is not None:
                message += f"; did you mean '{suggestion}'?"
        return self.field, message


def table_rules(table: str, version: str = CURRENT_VERSION) -> list[TableRule]:
    """Every within-table rule of a table, derived from the models."""
    cols = columns(table, version)
    names = {c.name for c in cols}
    rules: list[TableRule] = []
    for c in cols:
        if c.required:
            rules.append(TableRule("IW304", "required", (c.name,)))
        if c.enum:
            rules.append(TableRule("IW303", "enum", (c.name,), (("values", tuple(c.values)),)))
        if c.pattern:
            rules.append(TableRule("IW303", "pattern", (c.name,), (("pattern", c.pattern),)))
        if c.kind == "string" and c.min_length:
            rules.append(TableRule("IW303", "min_length", (c.name,), (("min", c.min_length),)))
        if c.minimum is not None or c.maximum is not None:
            rules.append(TableRule("IW303", "range", (c.name,), (("min", c.minimum), ("max", c.maximum))))
        if c.kind == "string" and not c.enum and not c.pattern:
            rules.append(TableRule("IW303", "control", (c.name,)))
            rules.append(TableRule("IW305", "formula", (c.name,)))
        if c.kind == "number":
            rules.append(TableRule("IW303", "finite", (c.name,)))
        if c.kind == "list":
            rules.append(TableRule("IW303", "items", (c.name,)))
    if set(DATE_FIELDS) <= names:
        rules.append(TableRule("IW504", "date_incomplete", DATE_FIELDS))
        rules.append(TableRule("IW501", "date_order", ("date_start", "date_end")))
        if "date_note" in names:
            rules.append(TableRule("IW505", "note_missing", ("date_note", "date_basis")))
        vocabulary = next(c.enum for c in cols if c.name == "date_precision")
        calendar = "window" in (vocabulary.values() if vocabulary else [])  # schema 1.1.0 and later: calendar weeks, windows
        for precision in PRECISIONS_WITH_EXTENT + (("window",) if calendar else ()):
            rules.append(TableRule("IW503", "precision", ("date_start", "date_end", "date_precision"),
                                   (("precision", precision), ("calendar_week", calendar))))
    keys = tuple(c.name for c in cols if c.primary_key)
    rules.append(TableRule("IW301", "unique", keys))
    return rules
