"""The one grammar of a CSV cell, for the row reader and the streaming reader alike.

A cell is text; an empty cell is null. Integers are ASCII digits with an optional
minus sign, within the column's Arrow type; numbers are plain decimals with an
optional exponent, finite; dates are ISO 8601 calendar dates ``YYYY-MM-DD``;
booleans are ``true`` or ``false``; lists are JSON arrays of strings.

:func:`parse_cell` parses one cell (the row reader); :func:`parse_column` parses a
whole Arrow string column at once (the streaming reader) and names the bad cells,
whose messages come from :func:`parse_cell`, so both readers say the same thing.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import math
import re
from typing import Any

from ..schema.columns import Column

INTEGER = r"-?[0-9]+"
NUMBER = r"-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?"
ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
BOOLEAN = r"true|false"
_PATTERNS = {"integer": INTEGER, "number": NUMBER, "date": ISO_DATE, "boolean": BOOLEAN}
_COMPILED = {kind: re.compile(pattern) for kind, pattern in _PATTERNS.items()}


def parse_cell(text: str, column: Column, arrow_type: Any = None) -> Any:
    """The value of one cell; ``ValueError`` with the message a finding shows when it is not of the column's type."""
    if text == "":
        return None
    kind = column.kind
    if kind == "string":
        return text
    if kind == "list":
        return _parse_list(text)
    if not _COMPILED[kind].fullmatch(text):  # ASCII only: int() and float() would also take '٦', '1_0' and ' 1'
        raise ValueError(_not_a(text, kind))
    if kind == "integer":
        value = int(text)
        bits = getattr(arrow_type, "bit_width", 64)
        if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
            raise ValueError(f"'{text}' is out of range for the column's type ({arrow_type or 'int64'})")
        return value
    if kind == "number":
        value = float(text)
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"'{text}' is not a finite number")
        return value
    if kind == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"'{text}' is not a valid date ({exc})") from None
    return text == "true"


def _not_a(text: str, kind: str) -> str:
    return {
        "integer": f"'{text}' is not an integer",
        "number": f"'{text}' is not a number",
        "date": f"'{text}' is not an ISO 8601 date (YYYY-MM-DD)",
        "boolean": f"'{text}' is not true or false",
    }[kind]


#: The hint of a list cell that is not a JSON array, in the terms of the tools that write one.
LIST_HINT = ("Write list cells as JSON arrays of strings, e.g. [\"a\", \"b\"]: iraq_withdrawal.write_table(df, path, table=...) "
             "does it for pandas and polars frames; by hand, pandas "
             "`df[c] = df[c].map(lambda v: json.dumps(list(v), ensure_ascii=False))` before to_csv, DuckDB `to_json(c)` in the COPY query.")

_ITEM = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""  # a quoted string as repr() writes it
_NUMPY_ITEM = re.compile(_ITEM)
_NUMPY_ARRAY = re.compile(rf"\[\s*(?:(?:{_ITEM})\s*)*\]")


def cell_hint(column: Column) -> str | None:
    """A hint for a bad cell of ``column`` more specific than the rule's, or None."""
    return LIST_HINT if column.kind == "list" else None


def _rendered_list(text: str) -> tuple[str, list[str]] | None:
    """(which tool wrote it, the items) when ``text`` is a list as pandas or DuckDB renders one."""
    if not (text.startswith("[") and text.endswith("]")):
        return None
    if _NUMPY_ARRAY.fullmatch(text):
        items = [_literal(m.group(0)) for m in _NUMPY_ITEM.finditer(text)]
        if len(items) > 1 and all(isinstance(item, str) for item in items):
            # items separated by spaces, not commas (Python would join them into one string)
            return "a NumPy array as pandas writes it (a list column read from Parquet)", items
    value = _literal(text)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "a Python list as pandas writes it", value
    inner = text[1:-1].strip()
    if "'" not in inner and '"' not in inner:
        return "a list as DuckDB writes it", [item.strip() for item in inner.split(",")] if inner else []
    return None


def _literal(text: str) -> Any:
    """A Python literal, or None when ``text`` is none (e.g. a quoted item holding a line break, which repr() never writes)."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None


def _parse_list(text: str) -> list[str]:
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        value = None
        rendered = _rendered_list(text)
        if rendered:
            tool, items = rendered
            raise ValueError(f"'{text}' is {tool}, not a JSON array of strings: write it as {json.dumps(items, ensure_ascii=False)}") from None
        raise ValueError(f"'{text}' is not a JSON array of strings") from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"'{text}' is not a JSON array of strings")
    return value


#: JSON whitespace (not RE2's \s, which also takes a form feed that JSON does not).
_JSON_SPACE = "[ \\t\\n\\r]*"
#: A JSON string without escapes or control characters: its text is its value.
_PLAIN_ITEM = '"[^"\\\\\\x00-\\x1f]*"'
#: A JSON array of such strings, with nothing around it: the cells the vectorised list parser takes;
#: every other cell is parsed by :func:`_parse_list` (json.loads), so both accept and reject the same cells.
PLAIN_LIST = f"^\\[{_JSON_SPACE}(?:{_PLAIN_ITEM}(?:{_JSON_SPACE},{_JSON_SPACE}{_PLAIN_ITEM})*)?{_JSON_SPACE}\\]$"


def _parse_list_column(raw: Any, target: Any) -> tuple[Any, list[tuple[int, str]]]:
    """A string column of JSON arrays of strings as ``target`` lists: the plain arrays (:data:`PLAIN_LIST`) split
    at their quotes, vectorised; any other cell (escapes, spaces around the array, a bad cell) by :func:`_parse_list`."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    plain = pc.fill_null(pc.match_substring_regex(raw, PLAIN_LIST), False)
    # a plain array's items hold no quote: split at the quotes, '[', item, ', ', item, ..., ']', the items are
    # the pieces at odd places (an empty array is one piece)
    pieces = pc.split_pattern(pc.if_else(plain, raw, pa.scalar(None, raw.type)), '"')
    offsets = np.asarray(pieces.offsets, dtype=np.int64)
    items = np.maximum(np.diff(offsets) - 1, 0) // 2
    starts = np.zeros(len(items) + 1, dtype=np.int64)
    np.cumsum(items, out=starts[1:])
    total = int(starts[-1])
    odd = np.repeat(offsets[:-1] + 1, items) + 2 * (np.arange(total) - np.repeat(starts[:-1], items))
    typed = pa.ListArray.from_arrays(pa.array(starts.astype(np.int32)), pieces.values.take(pa.array(odd)),
                                     mask=pc.invert(plain)).cast(target)
    others = pc.indices_nonzero(pc.and_(pc.is_valid(raw), pc.invert(plain))).to_pylist()
    if not others:
        return typed, []
    values, bad = typed.to_pylist(), []
    for i in others:
        try:
            values[i] = _parse_list(raw[i].as_py())
        except ValueError as exc:
            bad.append((i, str(exc)))
    return pa.array(values, target), bad


def _parse_date_column(raw: Any, column: Column, target: Any) -> tuple[Any, list[tuple[int, str]]]:
    """ISO dates, as :func:`parse_cell` parses them (the messages too).

    pyarrow's cast takes exactly ``YYYY-MM-DD`` of a day of the calendar, as ``dt.date.fromisoformat``
    does after :data:`ISO_DATE`, and year 0 too, which Python has not: a column it takes whole is parsed.
    Otherwise a cell is a date when it is written as the date it parses to (so not 31 February, which
    ``strptime`` would turn into 3 March), and every other cell is parsed by :func:`parse_cell`.
    """
    import datetime as dt

    import pyarrow as pa
    import pyarrow.compute as pc

    first = pa.scalar(dt.date(1, 1, 1), pa.date32())
    try:
        typed = pc.cast(raw, pa.date32())
    except pa.ArrowInvalid:
        typed = None
    if typed is not None and not pc.any(pc.less(typed, first)).as_py():
        return typed.cast(target), []
    cleaned = pc.if_else(pc.fill_null(pc.match_substring_regex(raw, f"^(?:{ISO_DATE})$"), False), raw, None)
    parsed = pc.cast(pc.strptime(cleaned, format="%Y-%m-%d", unit="s", error_is_null=True), pa.date32())
    good = pc.fill_null(pc.and_(pc.equal(pc.cast(parsed, pa.string()), raw), pc.greater_equal(parsed, first)), False)
    typed = pc.if_else(good, parsed, pa.scalar(None, pa.date32())).cast(target)
    others = pc.indices_nonzero(pc.and_(pc.is_valid(raw), pc.invert(good))).to_pylist()
    values, bad = None, []
    for i in others:
        try:
            value = parse_cell(raw[i].as_py(), column, target)
        except ValueError as exc:
            bad.append((i, str(exc).split("\n")[0]))
            continue
        values = typed.to_pylist() if values is None else values  # a date the check above did not take
        values[i] = value
    return (typed if values is None else pa.array(values, target)), bad


def parse_column(raw: Any, column: Column, target: Any) -> tuple[Any, list[tuple[int, str]]]:
    """Parse an Arrow string column into ``target``: (typed array with bad cells null, [(index, message)])."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if column.kind == "string":
        return raw, []
    if column.kind == "list":
        return _parse_list_column(raw, target)
    if column.kind == "date":
        return _parse_date_column(raw, column, target)
    ok = pc.fill_null(pc.match_substring_regex(raw, f"^(?:{_PATTERNS[column.kind]})$"), True)
    cleaned = pc.if_else(ok, raw, None)
    if column.kind == "boolean":
        typed = pc.equal(cleaned, "true")
    elif column.kind == "number":
        typed = pc.cast(cleaned, target, safe=False)
        ok = pc.and_(ok, pc.fill_null(pc.is_finite(typed), True))
    else:  # 18 digits always fit in int64; a longer cell is out of range for every integer column here
        ok = pc.and_(ok, pc.fill_null(pc.less_equal(pc.utf8_length(raw), 19), True))
        cleaned = pc.if_else(ok, raw, None)
        wide = pc.cast(cleaned, pa.int64(), safe=False)
        bits = target.bit_width
        in_range = pc.and_(pc.greater_equal(wide, -(2 ** (bits - 1))), pc.less(wide, 2 ** (bits - 1)))
        ok = pc.and_(ok, pc.fill_null(in_range, True))
        typed = pc.cast(pc.if_else(in_range, wide, None), target)
    bad_indices = pc.indices_nonzero(pc.invert(ok)).to_pylist()
    bad = []
    for i in bad_indices:
        text = raw[i].as_py()
        try:
            parse_cell(text, column, target)
            message = f"'{text}' is not a valid {column.kind}"  # e.g. an integer of more digits than int64 holds
        except ValueError as exc:
            message = str(exc).split("\n")[0]
        bad.append((i, message))
    if bad:
        typed = pc.if_else(ok, typed, pa.scalar(None, target))
    return typed, bad
