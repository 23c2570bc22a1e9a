"""The table rules, written once, and their vectorised evaluation on Arrow data.

:func:`table_rules` derives every within-table rule from the schema models: required
values, allowed values, patterns, lengths and ranges, date order and date precision,
cells a spreadsheet would execute, and the unique primary key. Engines evaluate the
same list: :class:`ArrowChecker` on record batches with pyarrow compute (streaming,
memory bounded by the batch plus 8 bytes per row for the key hashes), and the Spark
engine (``validators/spark.py``) through pandera's PySpark backend.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from ..schema import CURRENT_VERSION
from ..schema.derive import columns

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMULA_PATTERN = "^[=+\\-@\\t\\r]"
CONTROL_PATTERN = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]"
DATE_FIELDS = ("date_start", "date_end", "date_precision", "date_basis")


@dataclass(frozen=True)
class TableRule:
    """One check on one table: ``kind`` says what, ``columns`` where, ``params`` with what."""

    code: str
    kind: str  # required | enum | pattern | min_length | range | control | formula | date_order | date_incomplete | note_missing | precision | unique
    columns: tuple[str, ...]
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def column(self) -> str:
        return self.columns[0]

    def param(self, name: str, default: Any = None) -> Any:
        return dict(self.params).get(name, default)

    def describe(self) -> str:
        p = dict(self.params)
        return {
            "required": "must not be empty",
            "enum": f"must be one of {', '.join(p.get('values', ()))}",
            "pattern": f"must match {p.get('pattern')}",
            "min_length": f"must have at least {p.get('min')} character(s)",
            "range": f"must be within [{p.get('min')}, {p.get('max')}]",
            "formula": "starts with a character a spreadsheet executes",
            "control": "must not contain control characters (other than tab, line feed and carriage return)",
            "date_order": "date_end must not be before date_start",
            "date_incomplete": "date_start, date_precision and date_basis go together",
            "precision": f"a '{p.get('precision')}' date must fit its precision",
            "unique": "must be unique",
            "note_missing": "is empty although date_basis says the date was resolved or inferred",
        }[self.kind]


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
    if set(DATE_FIELDS) <= names:
        rules.append(TableRule("IW504", "date_incomplete", DATE_FIELDS))
        rules.append(TableRule("IW501", "date_order", ("date_start", "date_end")))
        rules.append(TableRule("IW505", "note_missing", ("date_note", "date_basis")))
        for precision in ("week", "month", "season", "year", "years"):
            rules.append(TableRule("IW503", "precision", ("date_start", "date_end", "date_precision"), (("precision", precision),)))
    keys = tuple(c.name for c in cols if c.primary_key)
    rules.append(TableRule("IW301", "unique", keys))
    return rules


# --- Arrow evaluation ---------------------------------------------------------


def _days(array):
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.cast(pc.cast(array, pa.date32()), pa.int32())


def _failing(rule: TableRule, batch) -> Any:
    """Boolean array: True where the row breaks the rule (nulls count as not failing)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    col = batch.column(rule.column)
    if rule.kind == "required":
        return pc.is_null(col)
    if rule.kind == "enum":
        return pc.and_(pc.is_valid(col), pc.invert(pc.is_in(col, value_set=pa.array(rule.param("values"), pa.string()))))
    if rule.kind == "pattern":
        return pc.invert(pc.match_substring_regex(col, rule.param("pattern")))
    if rule.kind == "min_length":
        return pc.less(pc.utf8_length(col), rule.param("min"))
    if rule.kind == "control":
        return pc.match_substring_regex(col, CONTROL_PATTERN) if _may_hold_control_bytes(col) else None
    if rule.kind == "range":
        low, high = rule.param("min"), rule.param("max")
        out = pc.less(col, low) if low is not None else None
        if high is not None:
            above = pc.greater(col, high)
            out = above if out is None else pc.or_(out, above)
        return out
    if rule.kind == "formula":
        return pc.match_substring_regex(col, FORMULA_PATTERN)
    if rule.kind == "date_incomplete":
        given = [pc.is_valid(batch.column(n)) for n in ("date_start", "date_precision", "date_basis")]
        any_given = pc.or_(pc.or_(given[0], given[1]), given[2])
        all_given = pc.and_(pc.and_(given[0], given[1]), given[2])
        end_without_start = pc.and_(pc.is_valid(batch.column("date_end")), pc.invert(given[0]))
        return pc.or_(pc.and_(any_given, pc.invert(all_given)), end_without_start)
    if rule.kind == "date_order":
        return pc.less(batch.column("date_end"), batch.column("date_start"))
    if rule.kind == "note_missing":
        resolved = pc.is_in(batch.column("date_basis"), value_set=pa.array(["relative_to_publication", "inferred"]))
        return pc.and_(resolved, pc.is_null(batch.column("date_note")))
    if rule.kind == "precision":
        return _precision_failing(rule.param("precision"), batch)
    raise ValueError(rule.kind)


_ALLOWED_LOW_BYTES = (9, 10, 13)


def _may_hold_control_bytes(array) -> bool:
    """A fast screen over a string column's bytes (control characters are single bytes in UTF-8);
    when it finds one, the exact regex decides which rows."""
    import numpy as np

    buffers = array.buffers()
    if len(buffers) < 3 or buffers[2] is None:  # no text at all
        return False
    data = np.frombuffer(buffers[2], dtype=np.uint8)
    low = data[data < 32]
    return bool((data == 127).any() or (len(low) and not np.isin(low, _ALLOWED_LOW_BYTES).all()))


def _precision_failing(precision: str, batch):
    import pyarrow as pa
    import pyarrow.compute as pc

    start, end = batch.column("date_start"), batch.column("date_end")
    applies = pc.equal(batch.column("date_precision"), precision)
    end_known = pc.is_valid(end)
    start_days, end_days = _days(start), _days(end)
    span = pc.subtract(end_days, start_days)
    if precision == "week":
        bad = pc.and_(end_known, pc.greater(span, 7))
    elif precision == "season":
        bad = pc.and_(end_known, pc.greater(span, 184))
    elif precision == "years":
        bad = pc.and_(end_known, pc.less(span, 365))
    elif precision == "month":
        next_day = pc.cast(pc.cast(pc.add(end_days, 1), pa.int32()), pa.date32())
        bad_end = pc.and_(end_known, pc.not_equal(pc.day(next_day), 1))
        bad = pc.or_(pc.not_equal(pc.day(start), 1), bad_end)
    else:  # year
        bad_start = pc.or_(pc.not_equal(pc.month(start), 1), pc.not_equal(pc.day(start), 1))
        bad_end = pc.or_(pc.or_(pc.not_equal(pc.month(end), 12), pc.not_equal(pc.day(end), 31)),
                         pc.not_equal(pc.year(end), pc.year(start)))
        bad = pc.or_(bad_start, pc.and_(end_known, bad_end))
    return pc.and_(applies, bad)


@dataclass
class RuleHit:
    rule: TableRule
    row: int  # 1-based
    value: Any
    record: str | None


@dataclass
class ArrowChecker:
    """Evaluates a table's rules batch by batch; call :meth:`check_batch` then :meth:`finish`."""

    table: str
    version: str = CURRENT_VERSION
    rules: list[TableRule] = field(default_factory=list)
    _hashes: Any = None  # numpy uint64, grown geometrically; the first `rows` entries are used
    rows: int = 0
    _executor: Any = None

    def __post_init__(self) -> None:
        self.rules = self.rules or table_rules(self.table, self.version)
        self._unique = next(r for r in self.rules if r.kind == "unique")
        self._id_column = self._unique.columns[0]

    def check_batch(self, batch) -> Iterator[RuleHit]:
        """Every rule except uniqueness, on one batch; yields the failing rows."""
        import pyarrow.compute as pc

        offset = self.rows
        self.rows += batch.num_rows
        ids = batch.column(self._id_column)
        rules = [r for r in self.rules if r.kind != "unique"]
        hashes = self._pool().submit(self._hash_keys, batch)
        # pyarrow compute releases the GIL: the rules run on every core
        masks = self._pool().map(lambda rule: _failing(rule, batch), rules)
        for rule, mask in zip(rules, masks):
            if mask is None:
                continue
            if not pc.any(mask).as_py():  # nulls in the mask count as passing, here and below
                continue
            indices = pc.indices_nonzero(mask)
            values = pc.take(batch.column(rule.column), indices).to_pylist()
            records = pc.take(ids, indices).to_pylist()
            for index, value, record in zip(indices.to_pylist(), values, records):
                yield RuleHit(rule, offset + index + 1, value, None if record is None else str(record))
        self._append_hashes(hashes.result(), offset)

    def _pool(self):
        if self._executor is None:
            import os
            from concurrent.futures import ThreadPoolExecutor

            self._executor = ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2), thread_name_prefix="iraq-withdrawal-rules")
        return self._executor

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None

    @property
    def key_columns(self) -> tuple[str, ...]:
        """The primary-key columns the uniqueness rule hashes."""
        return self._unique.columns

    def _append_hashes(self, hashes, offset: int) -> None:
        import numpy as np

        needed = offset + len(hashes)
        if self._hashes is None or len(self._hashes) < needed:
            grown = np.empty(max(needed, 2 * (0 if self._hashes is None else len(self._hashes)), 1 << 16), dtype=np.uint64)
            if self._hashes is not None:
                grown[:offset] = self._hashes[:offset]
            self._hashes = grown
        self._hashes[offset:needed] = hashes

    def _hash_keys(self, batch):
        """64-bit hashes of the key of every row (pandas' SipHash, no factorising)."""
        import numpy as np
        import pandas as pd
        import pyarrow.compute as pc

        combined = None
        for name in self._unique.columns:
            column = batch.column(name)
            if column.null_count:
                column = pc.fill_null(pc.cast(column, "string"), "\x00null")
            values = column.to_numpy(zero_copy_only=False)
            hashed = pd.util.hash_array(values, categorize=False).astype(np.uint64, copy=False)
            combined = hashed if combined is None else (combined * np.uint64(0x9E3779B97F4A7C15)) ^ hashed
        return combined

    @staticmethod
    def confirm_duplicates(key_values: dict[int, tuple]) -> list[int]:
        """Of candidate rows (0-based) with their real keys, those whose key equals an earlier row's."""
        seen: set[tuple] = set()
        duplicates = []
        for row in sorted(key_values):
            key = key_values[row]
            if key in seen:
                duplicates.append(row)
            seen.add(key)
        return duplicates

    def hash_groups(self) -> list[int]:
        """0-based rows whose key hash occurs more than once (every member of each group).

        Needs one sorted copy of the hashes (8 bytes a row) besides the hashes themselves.
        """
        import numpy as np

        if self._hashes is None or self.rows == 0:
            return []
        hashes = self._hashes[: self.rows]
        ordered = np.sort(hashes)
        repeated = ordered[1:][ordered[1:] == ordered[:-1]]
        del ordered
        if len(repeated) == 0:
            return []
        return np.nonzero(np.isin(hashes, np.unique(repeated)))[0].tolist()
