"""Derive the rows of every release table from curated records.

The build writes these rows, and the validator checks the very same rows with the
table rules (``validators/rules.py``) before anything is written, so a curated file
and a release table can never be judged by different code. Each row keeps an
*origin*: the id of the record it came from and the path inside that record (for a
row made from a nested list item, such as an event's actor), so that a finding on a
row can name the YAML line it came from.

The derived columns (``derived=True`` in the models) are computed here:
``sources.text_*``, ``events.plover_category`` and ``events.date_prec``, the link
tables made from nested lists, and the ``evidence`` table from located quotes; the
reporting intervals, the sources of events and the flat tables come from
``schema/flat.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from operator import itemgetter
from typing import Any, Protocol

from . import CURRENT_VERSION, load_schema
from .dates import ucdp_date_prec
from .derive import columns
from .enums import PLOVER_BY_SUBTYPE
from .flat import add_reporting, flat_rows
from .registry import evidenced_tables, tables

#: Release tables made from a nested list of a curated record: table -> (record table, list field, key column).
NESTED_TABLES = {
    "event_actors": ("events", "actors", "event"),
    "event_places": ("events", "places", "event"),
}


class LocatedSpan(Protocol):
    source: str
    start: int
    end: int
    occurrence: int


@dataclass
class DerivedRows:
    """The rows of every table, sorted by primary key, and where each row came from."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: per table, per row: (record id, path of the row inside that record)
    origins: dict[str, list[tuple[str, tuple]]] = field(default_factory=dict)


_AS_IS = (str, int, float, bool, type(None))


def plain(value: Any) -> Any:
    """A model value as a plain Python value (enum members to their strings)."""
    kind = type(value)
    if kind in _AS_IS:  # exact types: an enum member is a str subclass and goes on
        return value
    if kind is list:
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return value._value_  # the member's value, without the property lookup of .value
    return value


_FIELDS: dict[tuple[type, frozenset], tuple[str, ...]] = {}


def _copy(model: Any, names: frozenset[str]) -> dict[str, Any]:
    """The model's fields that are columns, in the model's field order, as plain values."""
    kind = type(model)
    fields = _FIELDS.get((kind, names))
    if fields is None:
        fields = _FIELDS[(kind, names)] = tuple(name for name in kind.model_fields if name in names)
    values = model.__dict__  # pydantic keeps field values here; getattr per field costs more
    as_is = _AS_IS
    return {name: value if type(value) in as_is else plain(value) for name, value in zip(fields, map(values.__getitem__, fields))}


def _sha256(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _derive_columns(table: str, model: Any, row: dict[str, Any], texts: dict[str, str]) -> None:
    if table == "sources":
        text = texts.get(model.id, "")
        row["text_path"] = f"sources/{model.id}.txt"
        row["text_sha256"] = _sha256(text)
        row["text_length"] = len(text)
    elif table == "events":
        row["plover_category"] = PLOVER_BY_SUBTYPE.get(model.event_subtype)
        row["date_prec"] = ucdp_date_prec(model.date_start, model.date_end)


def derive_rows(models: dict[str, list[Any]], texts: dict[str, str], spans: dict[tuple[str, int], LocatedSpan],
                version: str = CURRENT_VERSION) -> DerivedRows:
    """The rows of every release table from valid curated models.

    ``models``: table -> valid record models; ``texts``: source id -> text; ``spans``:
    (record id, evidence position) -> the located quote (quotes not located are left
    out: the validator reports them and the build refuses such data).
    """
    record_models = load_schema(version).RECORD_MODELS
    out = DerivedRows()
    for table in tables(version):
        names = frozenset(c.name for c in columns(table, version))
        rows: list[dict[str, Any]] = []
        origins: list[tuple[str, tuple]] = []
        if table in record_models:
            for model in models.get(table, []):
                row = _copy(model, names)
                _derive_columns(table, model, row, texts)
                rows.append(row)
                origins.append((model.id, ()))
        elif table in NESTED_TABLES:
            parent, list_field, key = NESTED_TABLES[table]
            for model in models.get(parent, []):
                for i, item in enumerate(getattr(model, list_field)):
                    rows.append({key: model.id, **_copy(item, names)})
                    origins.append((model.id, (list_field, i)))
        elif table == "evidence":
            for record_table in evidenced_tables(version):
                for model in models.get(record_table, []):
                    for seq, quote in enumerate(model.evidence, start=1):
                        span = spans.get((model.id, seq))
                        if span is None:
                            continue
                        text = texts[quote.source]
                        rows.append({"record": model.id, "seq": seq, "record_table": record_table, "source": quote.source,
                                     "quote": text[span.start:span.end], "occurrence": span.occurrence,
                                     "char_start": span.start, "char_end": span.end})
                        origins.append((model.id, ("evidence", seq - 1)))
        keys = [c.name for c in columns(table, version) if c.primary_key]
        key_of = itemgetter(*keys)  # one key: its value; several: a tuple (the same order)
        order = sorted(range(len(rows)), key=lambda i: key_of(rows[i]))
        out.rows[table] = [rows[i] for i in order]
        out.origins[table] = [origins[i] for i in order]
    if "reported_start" in {c.name for c in columns("events", version)}:
        add_reporting(out.rows)
    for table, flat in flat_rows(out.rows, version).items():
        out.rows[table] = flat
        out.origins[table] = [(row["id"], ()) for row in flat]
    return out
