"""What the readers refuse to decode: the bounds on Parquet that its compressed size does not show.

A Parquet file is small on disk but may decode to gigabytes (a page of one repeated
byte compresses a thousandfold). Its footer says how large each column chunk and row
group is once decoded, so a file is refused before a page is read when a row group, the
whole file (for readers that hold it) or the average cell of a column is larger than any
table of this dataset could need. The other limits live with their readers and are listed
in ``docs/security.md``.
"""

from __future__ import annotations

from typing import Any

from ..findings import Finding

MAX_ROW_GROUP_BYTES = 256 * 1024 * 1024  # decoded; pyarrow writes row groups of ~1 M rows, a few hundred MB at most
MAX_DECODED_TABLE_BYTES = 512 * 1024 * 1024  # decoded, for a table read whole (a release's tables are kilobytes)
MAX_CELL_BYTES = 1024 * 1024  # the average cell of a column: the longest text of a record is a paragraph


def parquet_problem(metadata: Any, display: str, whole: bool) -> Finding | None:
    """IW111 when the footer says the file decodes to more than the limits allow, else None.

    ``whole``: the caller reads the whole table at once (not batch by batch).
    """
    total = 0
    for index in range(metadata.num_row_groups):
        group = metadata.row_group(index)
        size = sum(max(group.column(c).total_uncompressed_size, 0) for c in range(group.num_columns))
        total += size
        if size > MAX_ROW_GROUP_BYTES:
            return Finding("IW111", f"row group {index} decodes to {size:,} bytes; the limit is {MAX_ROW_GROUP_BYTES:,}", file=display)
        for c in range(group.num_columns):
            chunk = group.column(c)
            if chunk.num_values and chunk.total_uncompressed_size / chunk.num_values > MAX_CELL_BYTES:
                return Finding("IW111", f"column '{chunk.path_in_schema}' holds cells of {chunk.total_uncompressed_size // chunk.num_values:,} "
                               f"bytes on average once decoded; the limit is {MAX_CELL_BYTES:,}", file=display, field=chunk.path_in_schema)
    if whole and total > MAX_DECODED_TABLE_BYTES:
        return Finding("IW111", f"the table decodes to {total:,} bytes; the limit for a table read whole is {MAX_DECODED_TABLE_BYTES:,}", file=display)
    return None
