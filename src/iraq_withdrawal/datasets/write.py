"""Write a table a user derived so that ``iraq-withdrawal validate`` reads it as written.

:func:`write_table` takes a pandas or polars DataFrame (or a pyarrow Table), casts the
columns the table's schema knows to their schema types (dates as dates, whole numbers
as integers, lists as lists of strings) and writes Parquet or CSV by the file's suffix:
CSV as the releases write it (UTF-8, ISO dates, lists as JSON arrays, empty cells for
null). Columns the schema does not know are kept after the schema's columns; optional
columns the frame does not have are not added.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..io.tables import conform, write_csv, write_parquet
from ..schema import CURRENT_VERSION
from ..schema.registry import tables


def _as_arrow(frame: Any):
    import pyarrow as pa

    if isinstance(frame, pa.Table):
        return frame
    if hasattr(frame, "to_arrow") and type(frame).__module__.startswith("polars"):
        return frame.to_arrow()
    if hasattr(frame, "to_pandas") and hasattr(frame, "schema") and type(frame).__module__.startswith("pyarrow"):
        return pa.Table.from_batches([frame]) if isinstance(frame, pa.RecordBatch) else frame
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        pd = None
    if pd is not None and isinstance(frame, pd.DataFrame):
        if isinstance(frame.index, pd.MultiIndex) or frame.index.name is not None:
            frame = frame.reset_index()
        return pa.Table.from_pandas(frame, preserve_index=False)
    raise UsageError(f"write_table takes a pandas or polars DataFrame or a pyarrow Table, not {type(frame).__name__}")


def write_table(frame: Any, path: str | os.PathLike, table: str | None = None, version: str = CURRENT_VERSION) -> Path:
    """Write ``frame`` as ``path`` (``.csv`` or ``.parquet``) in the form the validator accepts; return the path.

    ``table`` defaults to the file's name (``events.csv`` holds events). Raises
    :class:`~iraq_withdrawal.errors.UsageError` naming the column when a required column
    is missing or a column's values cannot be stored as its schema type; the file is
    written to a temporary name and moved into place, so an existing file is replaced
    only by a complete one.
    """
    path = Path(path)
    table = table or path.stem
    if table not in tables(version):
        raise UsageError(f"unknown table '{table}' (tables: {', '.join(tables(version))})")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise UsageError(f"{path.name}: write_table writes .csv or .parquet files")
    source = _as_arrow(frame)
    typed, findings = conform(source, table, path.name, version)
    problems = [f for f in findings if f.severity.value == "error" and "were checked as" not in f.message]
    lossy = [f for f in findings if "left unchecked" in f.message]
    if typed is None or problems or lossy:
        first = (problems or lossy or findings)[0]
        raise UsageError(f"{path.name}: {first.message}" + (f" (and {len(problems + lossy) - 1} more)" if len(problems + lossy) > 1 else ""))
    extra = [name for name in source.column_names if name not in typed.column_names]
    for name in extra:
        typed = typed.append_column(name, source.column(name))
    typed = typed.replace_schema_metadata({**(typed.schema.metadata or {}), b"table": table.encode(), b"schema_version": version.encode()})
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        if suffix == ".parquet":
            write_parquet(typed, Path(temporary))
        else:
            write_csv(typed, Path(temporary))
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path

