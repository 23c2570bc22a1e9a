"""The Arrow engine: the table rules (``rules.py``) evaluated on record batches with pyarrow compute.

Each rule becomes a boolean mask per batch (vectorised, on every core: pyarrow
compute releases the GIL); only the failing rows are turned into Python values, to
be explained by the rule. Across batches only what uniqueness needs is kept: 8 bytes
of key hash per row. Curated rows, release tables and derived CSV and Parquet files
all go through :class:`ArrowChecker`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..io.tables import text_buffers
from ..schema import CURRENT_VERSION
from .rules import (
    CONTROL_PATTERN,
    FORMULA_PATTERN,
    NEEDS_COMPLETE_DATES,
    NEEDS_ORDERED_DATES,
    RESOLVED_BASES,
    TableRule,
    table_rules,
)


def _days(array):
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.cast(pc.cast(array, pa.date32()), pa.int32())


class _Shared:
    """What several rules compute from the same batch (the date masks, day counts), computed once per batch.

    The rules of a batch run on several threads: two may compute the same value at once; both results are equal.
    """

    def __init__(self, batch) -> None:
        self.batch = batch
        self._values: dict = {}

    def get(self, key, compute: Callable[[], Any]) -> Any:
        value = self._values.get(key)
        if value is None:
            value = self._values.setdefault(key, compute())
        return value


def _failing(rule: TableRule, batch, shared: _Shared | None = None) -> Any:  # noqa: C901 - one branch per kind of rule
    """Boolean array: True where the row breaks the rule (nulls count as not failing)."""
    import pyarrow.compute as pc

    shared = shared or _Shared(batch)
    col = batch.column(rule.column)
    if rule.kind == "required":
        return pc.is_null(col)
    if rule.kind == "enum":
        return pc.and_(pc.is_valid(col), pc.invert(pc.is_in(col, value_set=_value_set(tuple(rule.param("values"))))))
    if rule.kind == "pattern":
        return pc.invert(pc.match_substring_regex(col, rule.param("pattern")))
    if rule.kind == "min_length":
        buffers = text_buffers(col) if rule.param("min") == 1 else None
        if buffers is not None:  # no character: no byte
            offsets, _ = buffers
            return _where_valid(col, offsets[1:] == offsets[:-1])
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
        return _formula(col)
    if rule.kind == "finite":
        return pc.invert(pc.is_finite(col))
    if rule.kind == "items":
        return _bad_items(col)
    if rule.kind == "date_incomplete":
        given = [pc.is_valid(batch.column(n)) for n in ("date_start", "date_precision", "date_basis")]
        any_given = pc.or_(pc.or_(given[0], given[1]), given[2])
        all_given = pc.and_(pc.and_(given[0], given[1]), given[2])
        end_without_start = pc.and_(pc.is_valid(batch.column("date_end")), pc.invert(given[0]))
        return pc.or_(pc.and_(any_given, pc.invert(all_given)), end_without_start)
    if rule.kind == "date_order":
        return pc.less(batch.column("date_end"), batch.column("date_start"))
    if rule.kind == "note_missing":
        resolved = pc.is_in(batch.column("date_basis"), value_set=_value_set(tuple(RESOLVED_BASES)))
        return pc.and_(resolved, pc.is_null(batch.column("date_note")))
    if rule.kind == "precision":
        return _precision_failing(rule.param("precision"), batch, rule.param("calendar_week", False), shared)
    raise ValueError(rule.kind)


@lru_cache(maxsize=256)
def _value_set(values: tuple[str, ...]):
    import pyarrow as pa

    return pa.array(list(values), pa.string())


def _where_valid(array, mask):
    """A numpy mask as an Arrow one, False where ``array`` is null (a null slot may hold any bytes)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out = pa.array(mask, pa.bool_())
    return pc.and_(out, pc.is_valid(array)) if array.null_count else out


#: The first characters :data:`FORMULA_PATTERN` (one character class at the start) matches: ASCII, so first bytes.
_FORMULA_FIRST = (bytes(b for b in range(128) if re.match(FORMULA_PATTERN, chr(b)))
                  if re.fullmatch(r"\^\[[^\]]*\]", FORMULA_PATTERN) else None)


def _formula(col):
    """True where a text starts as a spreadsheet formula (:data:`FORMULA_PATTERN`), read from the first byte of each value."""
    import numpy as np
    import pyarrow.compute as pc

    buffers = text_buffers(col)
    if buffers is None or _FORMULA_FIRST is None:
        return pc.match_substring_regex(col, FORMULA_PATTERN)
    offsets, data = buffers
    starts = offsets[:-1].astype(np.int64)
    given = offsets[1:] > offsets[:-1]
    first = np.zeros(len(col), dtype=np.uint8)
    first[given] = data[starts[given]]
    return _where_valid(col, np.isin(first, np.frombuffer(_FORMULA_FIRST, dtype=np.uint8)) & given)


def _bad_items(col):
    """True for lists that hold a null, empty, blank or control-character item."""
    import numpy as np
    import pyarrow.compute as pc

    items = pc.list_flatten(col)
    blank = pc.less(pc.utf8_length(pc.utf8_trim_whitespace(items)), 1)
    bad = pc.or_(blank, pc.match_substring_regex(items, CONTROL_PATTERN)) if _may_hold_control_bytes(items) else blank
    bad = pc.fill_null(bad, True)
    out = np.zeros(len(col), dtype=bool)
    out[np.asarray(pc.filter(pc.list_parent_indices(col), bad), dtype=np.int64)] = True
    return _where_valid(col, out)


def _dates_judged(batch, ordered: bool):
    """Rows whose dates the order, precision and note rules judge (see ``rules.py``)."""
    import pyarrow.compute as pc

    complete = pc.and_(pc.and_(pc.is_valid(batch.column("date_start")), pc.is_valid(batch.column("date_precision"))),
                       pc.is_valid(batch.column("date_basis")))
    if not ordered:
        return complete
    reversed_ = pc.fill_null(pc.less(batch.column("date_end"), batch.column("date_start")), False)
    return pc.and_(complete, pc.invert(reversed_))


def failing_rows(rule: TableRule, batch, shared: _Shared | None = None) -> Any:
    """Boolean array (or None when nothing can fail): True where the row breaks the rule where it applies.
    ``shared``: what the other rules of the same batch computed already."""
    import pyarrow.compute as pc

    shared = shared or _Shared(batch)
    mask = _failing(rule, batch, shared)
    if mask is not None and rule.kind in NEEDS_COMPLETE_DATES:
        ordered = rule.kind in NEEDS_ORDERED_DATES
        mask = pc.and_(mask, shared.get(("judged", ordered), lambda: _dates_judged(batch, ordered)))
    return mask


_ALLOWED_LOW_BYTES = (9, 10, 13)


def _may_hold_control_bytes(array) -> bool:
    """A fast screen over a string column's bytes (control characters are single bytes in UTF-8);
    when it finds one, the exact regex decides which rows."""
    import numpy as np

    buffers = text_buffers(array)
    if buffers is None:  # no text at all
        return False
    offsets, data = buffers
    data = data[int(offsets[0]):int(offsets[-1])] if len(offsets) else data[:0]  # this (sliced) array's bytes only
    low = data[data < 32]
    return bool((data == 127).any() or (len(low) and not np.isin(low, _ALLOWED_LOW_BYTES).all()))


def _week_index(days):
    """Sunday-to-Saturday week number of a day count since 1970-01-01 (a Thursday), kept positive for floor division."""
    import pyarrow.compute as pc

    return pc.divide(pc.add(pc.cast(days, "int64"), 4 + 7 * 110_000), 7)


def _precision_failing(precision: str, batch, calendar_week: bool = False, shared: _Shared | None = None):
    import pyarrow as pa
    import pyarrow.compute as pc

    shared = shared or _Shared(batch)
    start, end = batch.column("date_start"), batch.column("date_end")
    applies = pc.equal(batch.column("date_precision"), precision)
    end_known = shared.get("end_known", lambda: pc.is_valid(end))
    start_days = shared.get("start_days", lambda: _days(start))
    end_days = shared.get("end_days", lambda: _days(end))
    span = shared.get("span", lambda: pc.subtract(end_days, start_days))
    if precision == "window":
        bad = pc.invert(end_known)
    elif precision == "week" and calendar_week:
        bad = pc.and_(end_known, pc.not_equal(_week_index(start_days), _week_index(end_days)))
    elif precision == "week":
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


def rule_pool():
    """Worker threads for vectorised work on every core (pyarrow compute and numpy release the GIL)."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2), thread_name_prefix="iraq-withdrawal-rules")


@dataclass
class RuleHit:
    """One failing row: the rule, the 1-based row position, the values of the columns the rule reads, the record id."""

    rule: TableRule
    row: int
    values: dict[str, Any]
    record: str | None

    def explain(self) -> tuple[str, str]:
        return self.rule.explain(self.values)


@dataclass
class ArrowChecker:
    """Evaluates a table's rules batch by batch: :meth:`check_batch` for each, then :meth:`hash_groups`, then :meth:`close`."""

    table: str
    version: str = CURRENT_VERSION
    rules: list[TableRule] = field(default_factory=list)
    #: the key hashes, numpy uint64 arrays of ``hash_chunk`` rows each (row r in chunk r // hash_chunk): a table of
    #: unknown length grows a chunk at a time, never by copying all its hashes into an array twice as long
    _chunks: list = field(default_factory=list)
    hash_chunk: int = 1 << 20
    rows: int = 0
    _executor: Any = None
    _unique_skipped: bool = False
    #: False: :meth:`check_batch` hashes no key; the hashes come from :meth:`hash_key_batch`, in a pass over the
    #: key columns after every batch was checked, so they are not held while batches are in flight
    hash_in_batches: bool = True
    #: worker threads to run the rules on, shared with the caller's other work (by default the checker's own)
    executor: Any = None
    _hashed: int = 0  # rows hashed by hash_key_batch

    def __post_init__(self) -> None:
        self.rules = self.rules or table_rules(self.table, self.version)
        self._unique = next(r for r in self.rules if r.kind == "unique")
        self._id_column = self._unique.columns[0]

    def check_batch(self, batch) -> Iterator[RuleHit]:
        """Every rule except uniqueness, on one batch; yields the failing rows.

        A rule that reads a column the batch does not have (an optional column a derived
        table left out) is not run: an absent column is checked as absent, not invented.
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        offset = self.rows
        self.rows += batch.num_rows
        names = set(batch.schema.names)
        ids = batch.column(self._id_column) if self._id_column in names else pa.nulls(batch.num_rows, pa.string())
        rules = [r for r in self.rules if r.kind != "unique" and names.issuperset(r.reads)]
        has_keys = names.issuperset(self._unique.columns)
        hashes = self._pool().submit(self._hash_keys, batch) if has_keys and self.hash_in_batches else None
        # pyarrow compute releases the GIL: the rules run on every core
        shared = _Shared(batch)
        masks = self._pool().map(lambda rule: failing_rows(rule, batch, shared), rules)
        for rule, mask in zip(rules, masks):
            if mask is None:
                continue
            if not pc.any(mask).as_py():  # nulls in the mask count as passing, here and below
                continue
            indices = pc.indices_nonzero(mask)
            values = {name: pc.take(batch.column(name), indices).to_pylist() for name in rule.columns}
            records = pc.take(ids, indices).to_pylist()
            for k, (index, record) in enumerate(zip(indices.to_pylist(), records)):
                row_values = {name: column[k] for name, column in values.items()}
                yield RuleHit(rule, offset + index + 1, row_values, None if record is None else str(record))
        if not has_keys:
            self._unique_skipped = True
        elif hashes is not None:
            self._append_hashes(hashes.result(), offset)

    @property
    def needs_key_pass(self) -> bool:
        """Whether :meth:`hash_key_batch` is to be given the key columns of every row (see ``hash_in_batches``)."""
        return not self.hash_in_batches and not self._unique_skipped and self.rows > 0

    def hash_key_batch(self, batch) -> None:
        """Hash the keys of the next rows, in order: the key columns as read from the file (their values are
        what :meth:`confirm_duplicates` compares), after :meth:`check_batch` has seen every row. A long batch
        is hashed in slices on the worker threads."""
        import numpy as np

        pool = self._pool()
        step = max(1 << 14, -(-batch.num_rows // pool._max_workers))
        slices = [batch.slice(start, step) for start in range(0, batch.num_rows, step)]
        hashes = np.concatenate(list(pool.map(self._hash_keys, slices))) if len(slices) > 1 else self._hash_keys(batch)
        self._append_hashes(hashes, self._hashed)
        self._hashed += batch.num_rows

    def _pool(self):
        if self.executor is not None:
            return self.executor
        if self._executor is None:
            self._executor = rule_pool()
        return self._executor

    def close(self) -> None:
        """Stop the checker's own worker threads (a pool given as ``executor`` is its owner's to stop)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None

    @property
    def key_columns(self) -> tuple[str, ...]:
        """The primary-key columns the uniqueness rule hashes."""
        return self._unique.columns

    def _append_hashes(self, hashes, offset: int) -> None:
        import numpy as np

        done = 0
        while done < len(hashes):
            chunk, at = divmod(offset + done, self.hash_chunk)
            while len(self._chunks) <= chunk:
                self._chunks.append(np.empty(self.hash_chunk, dtype=np.uint64))
            n = min(len(hashes) - done, self.hash_chunk - at)
            self._chunks[chunk][at:at + n] = hashes[done:done + n]
            done += n

    def _hash_keys(self, batch):
        """64-bit hashes of the key of every row (:func:`hash_strings` of each key column, as text, combined)."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        combined = None
        for name in self._unique.columns:
            column = batch.column(name)
            if pa.types.is_dictionary(column.type):
                column = column.cast(column.type.value_type)
            if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
                column = pc.cast(column, pa.string())
            if column.null_count:
                column = pc.fill_null(column, "\x00null")
            hashed = hash_strings(column)
            combined = hashed if combined is None else (combined * np.uint64(_GOLDEN)) ^ hashed
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

    def hash_groups(self, partitions: int = 8) -> list[int]:
        """0-based rows whose key hash occurs more than once (every member of each group).

        The hashes are sorted one slice of the hash space at a time (by their top bits), each
        slice gathered one chunk of hashes at a time, so besides the hashes themselves (8 bytes
        a row) this needs about 16 / ``partitions`` bytes a row and a few MB, not a sorted (or
        shifted) copy of them all.
        """
        import numpy as np

        if not self._chunks or self.rows == 0 or self._unique_skipped:
            return []
        if not self.hash_in_batches and self._hashed != self.rows:
            raise RuntimeError(f"the key pass read {self._hashed:,} rows, the rules {self.rows:,}")
        spans = [(start, self._chunks[k][: min(self.hash_chunk, self.rows - start)])
                 for k, start in enumerate(range(0, self.rows, self.hash_chunk))]
        shift = np.uint64(64 - max(0, int(partitions - 1).bit_length()))
        repeated = []
        for part in range(partitions):
            if partitions > 1:
                ordered = np.concatenate([hashes[(hashes >> shift) == part] for _, hashes in spans])
            else:
                ordered = np.concatenate([hashes for _, hashes in spans])
            ordered.sort()
            repeated.append(np.unique(ordered[1:][ordered[1:] == ordered[:-1]]))
            del ordered
        repeated = np.sort(np.concatenate(repeated))
        if len(repeated) == 0:
            return []
        rows = []
        for start, hashes in spans:
            found = np.minimum(np.searchsorted(repeated, hashes), len(repeated) - 1)
            rows.append(np.nonzero(repeated[found] == hashes)[0] + start)
        return np.concatenate(rows).tolist()

_GOLDEN = 0x9E3779B97F4A7C15


def _mix(h):
    """splitmix64's finaliser, on a numpy uint64 array (in place; returned)."""
    import numpy as np

    h ^= h >> np.uint64(30)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    return h


def hash_strings(array) -> Any:
    """64-bit hashes (numpy uint64) of the values of a string or binary array without nulls.

    Read from the array's buffers 8 bytes at a time, each word mixed into the hash of its
    value (with the value's length first), vectorised over the values still that long: no
    Python object per value, and numpy releases the GIL. Not a cryptographic hash: equal
    hashes are only candidates, confirmed by comparing the values.
    """
    import numpy as np
    import pyarrow as pa

    n = len(array)
    wide = pa.types.is_large_string(array.type) or pa.types.is_large_binary(array.type)
    width = 8 if wide else 4
    offsets_buffer, data_buffer = array.buffers()[1:3]
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64 if wide else np.int32, count=n + 1,
                            offset=array.offset * width).astype(np.int64)
    first, last = int(offsets[0]), int(offsets[-1])
    starts, lengths = offsets[:-1] - first, np.diff(offsets)
    padded = np.zeros(last - first + 8, dtype=np.uint8)  # so that a word read at any value's start stays inside
    if last > first:
        padded[: last - first] = np.frombuffer(data_buffer, dtype=np.uint8, count=last - first, offset=first)
    words = np.ndarray((last - first + 1,), dtype="<u8", buffer=padded, strides=(1,))  # the 8 bytes from each byte on
    hashes = _mix(lengths.astype(np.uint64) ^ np.uint64(_GOLDEN))
    rows = np.nonzero(lengths)[0]
    done = 0  # bytes of every row in `rows` already mixed in
    while len(rows):
        left = lengths[rows] - done
        word = words[starts[rows] + done]
        short = np.nonzero(left < 8)[0]
        if len(short):  # the last, partial word: only the value's own bytes
            word[short] &= (np.uint64(1) << (left[short].astype(np.uint64) * np.uint64(8))) - np.uint64(1)
        hashes[rows] = _mix(hashes[rows] ^ word)
        rows = rows[left > 8]
        done += 8
    return hashes
