"""The table registry: every list of tables, read from the models of a schema version.

Nothing else in the package types a list of table names. Adding a table means adding
its model to ``ROW_MODELS`` (and ``RECORD_MODELS`` when curators write it); every
reader, rule, build step and document picks it up from here:

- :func:`tables`: the release tables, in release order;
- :func:`record_tables`: what a curated YAML file may hold, by top-level key;
- :func:`id_tables`: tables whose records have a stable id (``id`` primary key with a
  kind prefix) — the ids that may never vanish from a later release;
- :func:`evidenced_tables`: record tables whose records carry evidence quotes;
- :func:`dated_tables`: release tables with the date interval fields;
- :func:`flat_tables`: tables the build computes from other tables (one row per event,
  statement, figure, with names joined in);
- :func:`table_of_id`: which table an id belongs to, by its prefix.
"""

from __future__ import annotations

import re
from functools import cache

from . import CURRENT_VERSION, load_schema

DATE_FIELDS = ("date_start", "date_end", "date_precision", "date_basis")
_PREFIX = re.compile(r"^\^(\w+)-")


def tables(version: str = CURRENT_VERSION) -> list[str]:
    """The release tables of a schema version, in the order a release lists them."""
    return list(load_schema(version).ROW_MODELS)


def record_tables(version: str = CURRENT_VERSION) -> list[str]:
    """The tables a curated YAML file may hold."""
    return list(load_schema(version).RECORD_MODELS)


@cache
def _id_prefixes(version: str) -> dict[str, str]:
    """``{table: id prefix}`` for release tables whose primary key is one prefixed ``id``."""
    out = {}
    for table, model in load_schema(version).ROW_MODELS.items():
        field = model.model_fields.get("id")
        extra = field.json_schema_extra if field is not None and isinstance(field.json_schema_extra, dict) else {}
        if not extra.get("primary_key"):
            continue
        pattern = next((getattr(m, "pattern", None) for m in field.metadata if getattr(m, "pattern", None)), None)
        match = _PREFIX.match(pattern or "")
        if match and "|" not in match.group(1):
            out[table] = match.group(1)
    return out


def flat_tables(version: str = CURRENT_VERSION) -> dict[str, str]:
    """``{flat table: the table each of its rows stands for}``: tables the build computes from other tables."""
    return dict(getattr(load_schema(version), "FLAT_TABLES", {}))


def id_tables(version: str = CURRENT_VERSION) -> list[str]:
    """Tables whose records carry a stable, prefixed id (flat tables repeat those ids and are not counted)."""
    return [t for t in _id_prefixes(version) if t not in flat_tables(version)]


def id_prefix(table: str, version: str = CURRENT_VERSION) -> str:
    return _id_prefixes(version)[table]


def table_of_id(record_id: str, version: str = CURRENT_VERSION) -> str | None:
    """The table an id belongs to, from its kind prefix (``act-…`` → ``actors``)."""
    prefix = record_id.split("-", 1)[0]
    return next((t for t in id_tables(version) if _id_prefixes(version)[t] == prefix), None)


def evidenced_tables(version: str = CURRENT_VERSION) -> list[str]:
    """Record tables whose records carry verbatim evidence."""
    return [t for t, model in load_schema(version).RECORD_MODELS.items() if "evidence" in model.model_fields]


def dated_tables(version: str = CURRENT_VERSION) -> list[str]:
    """Curated tables whose records carry the date interval fields (and so their release tables)."""
    models = load_schema(version)
    return [t for t, model in models.ROW_MODELS.items() if t in models.RECORD_MODELS and set(DATE_FIELDS) <= set(model.model_fields)]


def table_description(table: str, version: str = CURRENT_VERSION) -> str:
    return load_schema(version).TABLE_DESCRIPTIONS[table]
