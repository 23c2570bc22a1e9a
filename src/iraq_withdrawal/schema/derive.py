"""Derive every published schema document from the pydantic models.

- :func:`table_schema`: a Frictionless Table Schema per table (types, constraints,
  enums, primary and foreign keys);
- :func:`arrow_schema`: the pyarrow schema of each Parquet file, published as an empty
  Arrow IPC file (``pyarrow.ipc.open_file(path).schema``, ``polars.read_ipc_schema``);
- :func:`pandera_schema`: the pandera schema (pandas backend), published in pandera's own
  serialization (``pandera.io.pandas_io.from_json`` / ``from_yaml``) for users who
  validate with pandera themselves; the validator's own table rules live in
  ``validators/rules.py``;
- :func:`record_json_schema`: the JSON Schema of each curated record type;
- :func:`schema_documents`: all of them as files for ``schema/<version>/``.
"""

from __future__ import annotations

import json
from functools import cache
from types import ModuleType
from typing import Any

from . import CURRENT_VERSION, load_schema
from .columns import Column, model_columns

_FRICTIONLESS_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean", "date": "date", "list": "array"}


def columns(table: str, version: str = CURRENT_VERSION) -> list[Column]:
    """The columns of a release table."""
    return _columns(table, version)


@cache
def _columns(table: str, version: str) -> list[Column]:
    models = load_schema(version)
    try:
        return model_columns(models.ROW_MODELS[table])
    except KeyError:
        raise KeyError(f"unknown table '{table}' (tables: {', '.join(models.ROW_MODELS)})") from None


def tables(version: str = CURRENT_VERSION) -> list[str]:
    return list(load_schema(version).ROW_MODELS)


def _field_description(column: Column) -> str:
    text = column.description
    if column.enum:
        text += " Values: " + "; ".join(f"{k}: {v}" for k, v in column.enum.definitions().items())
    return text


def table_schema(table: str, version: str = CURRENT_VERSION) -> dict[str, Any]:
    """Frictionless Table Schema of a table."""
    fields = []
    for column in columns(table, version):
        field: dict[str, Any] = {
            "name": column.name,
            "type": _FRICTIONLESS_TYPES[column.kind],
            "description": _field_description(column),
        }
        if column.kind == "date":
            field["format"] = "default"
        constraints: dict[str, Any] = {}
        if column.required:
            constraints["required"] = True
        if column.enum:
            constraints["enum"] = column.values
        if column.pattern:
            constraints["pattern"] = column.pattern.removeprefix("^").removesuffix("$")
        if column.min_length is not None and column.kind == "string":
            constraints["minLength"] = column.min_length
        if column.minimum is not None:
            constraints["minimum"] = column.minimum
        if column.maximum is not None:
            constraints["maximum"] = column.maximum
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    keys = [c.name for c in columns(table, version) if c.primary_key]
    schema["primaryKey"] = keys
    foreign = []
    for column in columns(table, version):
        if column.foreign_key and column.kind != "list":  # Frictionless keys take single values; list items are checked by validate
            ref_table, ref_field = column.foreign_key.split(".")
            foreign.append(
                {"fields": column.name, "reference": {"resource": "" if ref_table == table else ref_table, "fields": ref_field}}
            )
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


def arrow_type(column: Column):
    import pyarrow as pa

    if column.arrow:
        return getattr(pa, column.arrow)()
    return {
        "string": pa.string(),
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
        "list": pa.list_(pa.string()),
    }[column.kind]


def arrow_schema(table: str, version: str = CURRENT_VERSION):
    """pyarrow schema of a table's Parquet file, with descriptions as field metadata."""
    import pyarrow as pa

    fields = [
        pa.field(c.name, arrow_type(c), nullable=not c.required, metadata={"description": c.description})
        for c in columns(table, version)
    ]
    return pa.schema(fields, metadata={"table": table, "schema_version": version})


def _pandera_dtype(column: Column) -> tuple[str, bool]:
    """(pandera dtype, coerce) for a column as ``iraq_withdrawal.load(table)`` returns it in pandas."""
    if column.kind == "integer":
        return {"int8": "Int8", "int16": "Int16", "int32": "Int32"}.get(column.arrow or "", "Int64"), False
    if column.kind == "boolean":
        return "boolean", True  # pandas reads a nullable boolean column as object: coerce it to the nullable dtype
    return {"string": "str", "number": "float64", "date": "date", "list": "object"}[column.kind], False


def pandera_schema(table: str, version: str = CURRENT_VERSION):
    """pandera schema (pandas backend) for the checks within one table.

    Published for users who validate a DataFrame with pandera: column dtypes as
    ``iraq_withdrawal.load(table)`` returns them, required values, uniqueness of the
    primary key, enums, patterns, lengths and ranges. The column policy is the
    validator's: required columns must be present, optional ones may be left out, and
    other columns are allowed.
    """
    import pandera.pandas as pa

    cols = {}
    for column in columns(table, version):
        checks = []
        if column.enum:
            checks.append(pa.Check.isin(column.values))
        if column.pattern:
            checks.append(pa.Check.str_matches(column.pattern))
        if column.min_length is not None and column.kind == "string":
            checks.append(pa.Check.str_length(min_value=column.min_length))
        if column.minimum is not None or column.maximum is not None:
            checks.append(pa.Check.in_range(column.minimum, column.maximum) if column.minimum is not None and column.maximum is not None
                          else pa.Check.ge(column.minimum) if column.minimum is not None else pa.Check.le(column.maximum))
        dtype, coerce = _pandera_dtype(column)
        cols[column.name] = pa.Column(
            dtype,
            checks=checks,
            nullable=not column.required,
            required=column.required,
            coerce=coerce,
            description=column.description,
        )
    keys = [c.name for c in columns(table, version) if c.primary_key]
    return pa.DataFrameSchema(cols, unique=keys, strict=False, name=table, report_duplicates="exclude_first",
                              description=f"iraq-withdrawal {table} table, schema {version}")


def arrow_ipc_schema(table: str, version: str = CURRENT_VERSION) -> bytes:
    """The table's Arrow schema as an empty Arrow IPC file (field descriptions in the field metadata)."""
    import pyarrow as pa

    schema = arrow_schema(table, version)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, schema) as writer:
        writer.write_table(schema.empty_table())
    return sink.getvalue().to_pybytes()


def record_json_schema(record_type: str, version: str = CURRENT_VERSION) -> dict[str, Any]:
    """JSON Schema of a curated record type (what a YAML list item holds)."""
    models = load_schema(version)
    schema = models.RECORD_MODELS[record_type].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"iraq-withdrawal/schema/{version}/records/{record_type}.schema.json"
    return schema


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def schema_documents(version: str = CURRENT_VERSION) -> dict[str, str | bytes]:
    """Every published schema document of a version, as ``{relative path: text (or bytes, for Arrow IPC)}``."""
    import pandera.io.pandas_io as pandera_io

    models: ModuleType = load_schema(version)
    docs: dict[str, str | bytes] = {}
    for record_type in models.RECORD_MODELS:
        docs[f"records/{record_type}.schema.json"] = _json(record_json_schema(record_type, version))
    for table in models.ROW_MODELS:
        docs[f"tables/{table}.schema.json"] = _json(table_schema(table, version))
        docs[f"arrow/{table}.arrow"] = arrow_ipc_schema(table, version)
        pandera = pandera_schema(table, version)
        docs[f"pandera/{table}.json"] = pandera_io.to_json(pandera, indent=2, ensure_ascii=False) + "\n"
        docs[f"pandera/{table}.yaml"] = pandera_io.to_yaml(pandera)
    return dict(sorted(docs.items()))

