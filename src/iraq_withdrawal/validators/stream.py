"""Streaming validation of one large table (Parquet or CSV).

The file is read in record batches sized by bytes, not rows: the batches in flight
(the reader's prefetch queue, the batch being read, the one being checked and the
copies and per-core rule work made from it) stay within a memory budget,
``IRAQ_WITHDRAWAL_MEMORY_BUDGET`` (default 64 MiB; see :func:`memory_budget`), however
wide the rows are. Each batch is checked against the Arrow schema
and the table rules (``rules.py``, evaluated by ``arrow.py``) with vectorised pyarrow compute. Across
batches only what the uniqueness rule needs is kept: 8 bytes of hash per row (for Parquet
hashed in a pass over the key columns after the rules, so the hashes and the batches in
flight are not held together), and the keys of the few rows whose hashes collide are read
again (from a CSV's keys kept compressed while streaming, when they fit in half the budget)
and compared, so no duplicate is invented. Findings are listed up to ``max_per_rule`` per
rule and column, and counted in full.
"""

from __future__ import annotations

import bisect
import os
import queue
import re
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import Finding, Report
from ..io.cells import cell_hint, parse_column
from ..io.limits import parquet_problem
from ..io.tables import MAX_BAD_ROWS, MAX_CSV_LINE, column_findings, conform, present_schema
from ..io.text import encoding_problem, invalid_byte
from ..schema import CURRENT_VERSION
from ..schema.derive import columns
from .arrow import ArrowChecker, RuleHit, rule_pool
from .rules import table_rules

DEFAULT_BATCH_ROWS = 131_072  # for tables in memory (curated rows, a small CSV)
DEFAULT_MEMORY_BUDGET = 64 << 20
#: Batches' worth of decoded bytes alive at once, as measured (benchmarks/README.md): the prefetch queue (2), the
#: batch being checked, the one being read with the reader's buffers (about 3), and copies and the rules' work on
#: every core (about 2). Each thread that allocates keeps freed memory of its own (mimalloc), so Parquet is decoded
#: on the reading thread alone and every thread that makes batches hands freed memory back (:class:`_Release`).
BATCHES_IN_FLIGHT = 8
MIN_BATCH_ROWS, MAX_BATCH_ROWS = 1024, 1 << 20
#: Blocks pyarrow's CSV reader reads ahead of the parser in a background thread (its queue holds up to 32).
CSV_READAHEAD_BLOCKS = 32
#: CSV blocks joined into one batch: a batch costs a few dozen pyarrow calls to parse and check whatever its
#: length, so the blocks are kept small (32 are read ahead) and the batches longer.
CSV_BLOCKS_PER_BATCH = 4
#: Batches' worth of bytes a streamed CSV's key columns may take, compressed, to be searched for duplicates
#: without reading the file again (half the budget: the keys of about 2M rows of events).
KEY_STORE_BATCHES = BATCHES_IN_FLIGHT // 2
PREFETCH_DEPTH = 2


def memory_budget(environ=os.environ) -> int:
    """The bytes that batches in flight may hold: ``IRAQ_WITHDRAWAL_MEMORY_BUDGET`` (bytes, or with a K, M or G
    suffix: ``512M``, ``1G``), else :data:`DEFAULT_MEMORY_BUDGET`. The key hashes (8 bytes a row, and about a
    quarter of that more while duplicates are looked for at the end; for Parquet only after the batches), a
    CSV's compressed keys (up to half the budget) and the interpreter and libraries (about 170 MB with
    their shared code) come on top."""
    value = environ.get("IRAQ_WITHDRAWAL_MEMORY_BUDGET", "").strip()
    match = re.fullmatch(r"(\d+)\s*([kKmMgG]?)i?[bB]?", value)
    if not match:
        return DEFAULT_MEMORY_BUDGET
    scale = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[match.group(2).lower()]
    return max(8 << 20, int(match.group(1)) * scale)


def batch_bytes(budget: int | None = None) -> int:
    """Decoded bytes one batch may hold under the budget."""
    return max(1 << 20, (budget or memory_budget()) // BATCHES_IN_FLIGHT)


def rows_for(bytes_per_row: float, budget: int | None = None) -> int:
    """Rows per batch for rows of ``bytes_per_row`` decoded bytes."""
    return int(min(MAX_BATCH_ROWS, max(MIN_BATCH_ROWS, batch_bytes(budget) // max(1.0, bytes_per_row))))


@dataclass
class FindingSink:
    """Keeps the first ``max_per_rule`` findings of each (code, field) and counts the rest (thread-safe)."""

    report: Report
    max_per_rule: int = 100
    _listed: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, finding: Finding) -> None:
        key = (finding.code, finding.field)
        with self._lock:
            listed = self._listed.get(key, 0)
            if listed < self.max_per_rule:
                self._listed[key] = listed + 1
                self.report.add(finding)
            else:
                self.report.suppressed[finding.code] = self.report.suppressed.get(finding.code, 0) + 1


def prefetch(iterator: Iterator, depth: int = PREFETCH_DEPTH) -> Iterator:
    """Run ``iterator`` in a background thread, ``depth`` items ahead, so that reading and decoding
    the next batch overlaps with checking this one (pyarrow releases the GIL for both)."""
    items: queue.Queue = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in iterator:
                while not stop.is_set():
                    try:
                        items.put(("item", item), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            items.put(("done", done))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which re-raises it
            items.put(("error", exc))

    thread = threading.Thread(target=produce, name="iraq-withdrawal-reader", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = items.get()
            if kind == "item":
                yield value
            elif kind == "error":
                raise value
            else:
                return
    finally:
        stop.set()


#: ``locate(position, field)``: the (row, line) a finding names for a 1-based position in the batches.
Locate = Callable[[int, "str | None"], "tuple[int | None, int | None]"]


def by_position(position: int, field: str | None = None) -> tuple[int | None, int | None]:
    """The default :data:`Locate`: the position is the row; there are no lines."""
    return position, None


def hit_finding(hit: RuleHit, file: str, locate: Locate = by_position) -> Finding:
    """The finding for one failing row."""
    field_name, message = hit.explain()
    row, line = locate(hit.row, field_name)
    return Finding(hit.rule.code, message, file=file, row=row, line=line, record=hit.record, field=field_name)


def check_batches(batches: Iterator, table: str, file: str, sink: FindingSink, version: str = CURRENT_VERSION,
                  locate: Locate = by_position,
                  reread_keys: Callable[[list[str]], Iterator] | None = None,
                  progress: Callable[[int], None] | None = None, check_unique: bool = True, hash_apart: bool = False,
                  executor=None) -> int:
    """Run every table rule over conformed batches; return the number of rows.

    ``locate`` turns a 1-based position in the batches (and the field) into the (row, line) a finding names.
    ``hash_apart``: the keys are hashed after the
    rules, in a pass over ``reread_keys``, so that the hashes (8 bytes a row) and the batches in flight are
    not held at the same time (for a file whose key columns can be read alone cheaply: Parquet).
    ``executor``: the worker threads for the rules, when the caller shares its own.
    """
    checker = ArrowChecker(table, version, hash_in_batches=not hash_apart, executor=executor)
    release = _Release()
    try:
        for batch in prefetch(batches):
            for hit in checker.check_batch(batch):
                sink.add(hit_finding(hit, file, locate))
            release.after(batch)
            del batch
            if progress:
                progress(checker.rows)
        if check_unique and checker.needs_key_pass:  # read on a thread of its own, hashed on the workers
            for batch in prefetch(reread_keys(list(checker.key_columns))):
                checker.hash_key_batch(batch)
                release.after(batch)
                del batch
    finally:
        checker.close()
    if check_unique:
        _report_duplicates(checker, file, sink, locate, reread_keys, release)
    return checker.rows


class _Release:
    """Hands the memory that this thread's batches freed back to the system once half a batch's worth of
    bytes (:func:`batch_bytes`) has gone through: mimalloc, pyarrow's default allocator on several platforms,
    otherwise keeps it, per thread (about 70 MB more at peak; 100 MB over a bare read of a Parquet key column),
    and giving it back after every small batch costs system time (faults on memory used again)."""

    def __init__(self, budget: int | None = None) -> None:
        self.every = batch_bytes(budget) // 2
        self.held = 0

    def after(self, batch) -> None:
        self.held += batch.nbytes
        if self.held >= self.every:
            import pyarrow as pa

            pa.default_memory_pool().release_unused()
            self.held = 0


def _report_duplicates(checker: ArrowChecker, file: str, sink: FindingSink, locate, reread_keys, release: _Release | None = None) -> None:
    import pyarrow as pa

    candidates = checker.hash_groups()  # sorted row positions
    if not candidates:
        return
    release = release or _Release()
    keys = checker.key_columns
    values: dict[int, tuple] = {}
    row = 0
    for batch in reread_keys(list(keys)):
        if row > candidates[-1]:  # every candidate's key is known: the rest of the file is not read
            break
        n = batch.num_rows
        local = candidates[bisect.bisect_left(candidates, row):bisect.bisect_left(candidates, row + n)]
        if local:
            at = pa.array([r - row for r in local], pa.int64())
            cols = [batch.column(k).take(at).to_pylist() for k in keys]
            for i, r in enumerate(local):
                values[r] = tuple(c[i] for c in cols)
        row += n
        release.after(batch)
        del batch
    first: dict[tuple, int] = {}
    for r in sorted(values):
        first.setdefault(values[r], r)
    for r in checker.confirm_duplicates(values):
        row, line = locate(r + 1, keys[0])
        key = values[r]
        first_row, first_line = locate(first[key] + 1, keys[0])
        sink.add(duplicate_finding(keys, key, file, row, line, first=f"line {first_line}" if first_line else f"row {first_row}"))


def duplicate_finding(keys: tuple[str, ...], key: tuple, file: str, row: int | None, line: int | None = None,
                      first: str | None = None) -> Finding:
    """IW301 for a row whose primary key equals an earlier row's, naming where that earlier row is (``first``)."""
    shown = repr(key[0]) if len(key) == 1 else repr(key)
    return Finding("IW301", f"primary key ({', '.join(keys)}) value {shown} is not unique" + (f": it first appears at {first}" if first else ""),
                   file=file, row=row, line=line, record=str(key[0]), field=keys[0])


# --- Parquet ------------------------------------------------------------------


def _conform_batch(batch, table: str, file: str, version: str, header_checked: bool):
    import pyarrow as pa

    return conform(pa.Table.from_batches([batch]), table, file, version, header_checked=header_checked)


def stream_parquet(path: Path, table: str, file: str, sink: FindingSink, version: str = CURRENT_VERSION,
                   budget: int | None = None, progress=None) -> int | None:
    """Validate a Parquet file batch by batch, within the memory budget; None when it cannot be read at all."""
    import pyarrow.parquet as pq

    try:
        # without pre-buffering the reader keeps no row group's pages after use: memory stays flat
        parquet = pq.ParquetFile(path, page_checksum_verification=True, pre_buffer=False, buffer_size=1 << 20)
    except Exception as exc:  # noqa: BLE001 - any failure to open is a finding
        sink.add(Finding("IW108", f"cannot read Parquet: {_first_line(exc)}", file=file))
        return None
    too_large = parquet_problem(parquet.metadata, file, whole=False)
    if too_large:
        sink.add(too_large)
        return None
    names = parquet.schema_arrow.names
    header = column_findings(names, table, file, version)
    for problem in header:
        sink.add(problem)
    if len(set(names)) != len(names):  # which of two same-named columns holds the data cannot be told
        return None
    read_columns = [c.name for c in columns(table, version) if c.name in names]  # extra columns are not read

    def batches():
        reported = False
        release = _Release()  # what this thread freed (each thread keeps its own)
        for batch in _sized_batches(parquet, read_columns, budget):
            conformed, problems = _conform_batch(batch, table, file, version, header_checked=True)
            if not reported:  # a column's type is the same in every batch: report it once
                for problem in problems:
                    sink.add(problem)
                reported = True
            yield from conformed.to_batches()
            release.after(batch)

    def reread(keys):
        release = _Release()  # on the thread that reads
        for batch in pq.ParquetFile(path, pre_buffer=False, buffer_size=1 << 20).iter_batches(
                batch_size=DEFAULT_BATCH_ROWS, columns=keys, use_threads=False):
            yield batch
            release.after(batch)

    try:
        return check_batches(batches(), table, file, sink, version, reread_keys=reread, progress=progress,
                             hash_apart=True)
    except Exception as exc:  # noqa: BLE001 - a corrupt page or footer mid-file
        sink.add(Finding("IW108", f"cannot read Parquet: {_first_line(exc)}", file=file))
        return None


def _sized_batches(parquet, read_columns, budget: int | None) -> Iterator:
    """The file's record batches, each of about :func:`batch_bytes` decoded bytes.

    The width of a row is measured on the first rows and then on every batch read; the
    row groups are read in runs, each run with a batch size from the widest rows seen so
    far, so a file whose rows grow wider further on still keeps to the budget.
    """
    groups = parquet.metadata.num_row_groups
    if groups == 0:
        return
    sample = next(parquet.iter_batches(batch_size=MIN_BATCH_ROWS, columns=read_columns, use_threads=False), None)
    widest = sample.nbytes / max(1, sample.num_rows) if sample is not None and sample.num_rows else 1.0
    del sample
    group = 0
    while group < groups:
        size = rows_for(widest, budget)
        run, rows = [], 0
        while group < groups and (not run or rows < 8 * size):  # a run of row groups: a few batches' worth
            run.append(group)
            rows += parquet.metadata.row_group(group).num_rows
            group += 1
        # decoded in this (the prefetch) thread, not on pyarrow's pool: while the rules of one batch run on the
        # other cores the next is decoded here anyway, and each thread that allocates keeps memory of its own
        for batch in parquet.iter_batches(batch_size=size, row_groups=run, columns=read_columns, use_threads=False):
            if batch.num_rows:
                widest = max(widest, batch.nbytes / batch.num_rows)
            yield batch


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# --- CSV ----------------------------------------------------------------------

class _NotUtf8(Exception):
    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


def _decode_column(raw, name: str, file: str, offset: int):
    """A binary CSV column as UTF-8 text; :class:`_NotUtf8` naming the row and field of the first bad cell."""
    import pyarrow as pa

    try:
        return raw.cast(pa.string())
    except (pa.ArrowInvalid, UnicodeDecodeError):
        for i, cell in enumerate(raw.to_pylist()):
            if cell is None:
                continue
            try:
                cell.decode("utf-8")
            except UnicodeDecodeError as exc:
                finding = invalid_byte(cell, exc.start, file)
                raise _NotUtf8(Finding("IW101", f"{finding.message.split(' at offset')[0]} in this cell", file=file,
                                       row=offset + i + 1, field=name)) from None
        raise


def _parse_csv_batch(batch, table: str, file: str, sink: FindingSink, offset: int, version: str, executor=None):
    """Typed batch from an all-binary CSV batch; cells that do not parse become IW113 and null.

    The columns are decoded and parsed on ``executor``'s threads when one is given. Either way no finding
    of the batch is added before every column is known to be UTF-8 (:class:`_NotUtf8` names the first bad column).
    """
    import pyarrow as pa

    schema = present_schema(batch.schema.names, table, version)
    present = [c for c in columns(table, version) if c.name in schema.names]

    def parse(column):
        raw = _decode_column(batch.column(column.name), column.name, file, offset)
        return (raw, *parse_column(raw, column, schema.field(column.name).type))

    parsed = list(executor.map(parse, present) if executor is not None else map(parse, present))
    ids = parsed[0][0] if present and present[0].name == columns(table, version)[0].name else pa.nulls(batch.num_rows, pa.string())
    for column, (_, _, bad) in zip(present, parsed):
        for i, message in bad:
            sink.add(Finding("IW113", message, file=file, row=offset + i + 1, record=ids[i].as_py(), field=column.name, hint=cell_hint(column)))
    return pa.RecordBatch.from_arrays([typed for _, typed, _ in parsed], schema=schema)


def stream_csv(path: Path, table: str, file: str, sink: FindingSink, version: str = CURRENT_VERSION,
               budget: int | None = None, progress=None) -> int | None:
    """Validate a large CSV file batch by batch, within the memory budget (rows, not lines, are reported).

    A block of CSV text becomes about as many bytes of decoded cells; pyarrow's reader
    reads up to :data:`CSV_READAHEAD_BLOCKS` blocks ahead, and :data:`CSV_BLOCKS_PER_BATCH`
    blocks make a batch, so a block is the budget over those read ahead and the blocks of the
    batches in flight (a 64 MiB budget: 1 MiB blocks, 4 MiB batches). A row longer than such a block (rare: a line may be
    up to :data:`MAX_CSV_LINE` bytes) makes pyarrow stop; the file is then read again in
    blocks that hold the longest line allowed, and only that run's findings count.
    """
    with path.open("rb") as fh:
        problem = encoding_problem(fh.read(4), file)
    if problem:
        sink.add(problem)
        return None
    block = max(256 << 10, (budget or memory_budget()) // (CSV_READAHEAD_BLOCKS + CSV_BLOCKS_PER_BATCH * BATCHES_IN_FLIGHT))
    for size in (block, max(block, 2 * MAX_CSV_LINE)):
        attempt = FindingSink(Report(target=file, kind="attempt"), sink.max_per_rule)
        rows = _stream_csv_blocks(path, table, file, attempt, version, size, progress, CSV_BLOCKS_PER_BATCH * block)
        if rows is not _STRADDLES:
            break
    else:  # even a block of twice the longest line allowed does not hold a row
        attempt = FindingSink(Report(target=file, kind="attempt"), sink.max_per_rule)
        attempt.add(Finding("IW111", f"a line is longer than {MAX_CSV_LINE:,} bytes", file=file))
        rows = None
    for finding in attempt.report.findings:
        sink.add(finding)
    for code, n in attempt.report.suppressed.items():
        sink.report.suppressed[code] = sink.report.suppressed.get(code, 0) + n
    return rows


_STRADDLES = object()


def _stream_csv_blocks(path: Path, table: str, file: str, sink: FindingSink, version: str, block: int, progress,
                       batch: int = 0):
    """One streaming read of a CSV file in blocks of ``block`` bytes; :data:`_STRADDLES` when a row is longer than a block."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    expected = [c.name for c in columns(table, version)]
    bad_rows = [0]

    def wrong_fields(row) -> str:
        """A row with too many or too few fields: a finding (with its text), then on to the next row."""
        bad_rows[0] += 1
        sink.add(Finding("IW108", f"row has {row.actual_columns} fields, the header {row.expected_columns}: {(row.text or '')[:80]!r}",
                         file=file, line=row.number))
        return "skip" if bad_rows[0] < MAX_BAD_ROWS else "error"

    def open_reader(names=None):
        convert = pcsv.ConvertOptions(column_types={n: pa.binary() for n in expected}, strings_can_be_null=True,
                                      null_values=[""], include_columns=names)
        read = pcsv.ReadOptions(block_size=block, use_threads=True)
        parse = pcsv.ParseOptions(newlines_in_values=True, invalid_row_handler=wrong_fields if names is None else None)
        return pcsv.open_csv(path, read_options=read, parse_options=parse, convert_options=convert)

    try:
        reader = open_reader()
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a header it cannot parse
        if "straddl" in str(exc):
            return _STRADDLES
        sink.add(Finding("IW108", f"cannot read CSV: {_first_line(exc)}", file=file, line=1))
        return None
    header = reader.schema.names
    for problem in column_findings(header, table, file, version, line=1):
        sink.add(problem)
    if len(set(header)) != len(header):  # which of two same-named columns holds the data cannot be told
        return None
    present = [name for name in expected if name in header]  # extra columns are not parsed
    keys = [name for name in next(r for r in table_rules(table, version) if r.kind == "unique").columns if name in header]
    store = _KeyStore(batch * KEY_STORE_BATCHES)

    def batches():
        offset = 0
        release = _Release()  # what this thread (check_batches prefetches this generator) freed: each thread keeps its own
        for raw in _coalesced(reader, batch):
            typed = _parse_csv_batch(raw.select(present), table, file, sink, offset, version, pool)
            store.add(_as_text(raw, keys))
            offset += raw.num_rows
            yield typed
            release.after(raw)

    def reread(names):  # the keys kept while streaming, or else the file read again
        return store.batches() if store.complete and names == keys else (_as_text(raw, raw.schema.names) for raw in open_reader(names))

    pool = rule_pool()  # the rules and the parsing share the worker threads
    try:
        return check_batches(batches(), table, file, sink, version, reread_keys=reread, progress=progress, executor=pool)
    except _NotUtf8 as exc:
        sink.add(exc.finding)
        return None
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for malformed rows mid-file
        if "straddl" in str(exc):  # pyarrow's only sign that a row does not fit in a block: an ArrowInvalid with this text
            return _STRADDLES
        sink.add(Finding("IW108", f"cannot read CSV: {_first_line(exc)}", file=file))
        return None
    finally:
        pool.shutdown(wait=True)


def _as_text(raw, names: list[str]):
    """The columns ``names`` of a batch of CSV cells as text (not checked as UTF-8: the first pass did that)."""
    import pyarrow as pa

    return pa.RecordBatch.from_arrays([raw.column(name).cast(pa.string(), safe=False) for name in names], names=names)


class _KeyStore:
    """The key columns of a streamed CSV's rows as read (text), LZ4-compressed in memory while they take up to
    ``cap`` bytes (the keys of about 2M rows of events under the default budget), so that the search for
    duplicates need not read the whole file again for the keys of the rows whose hashes repeat. Past the cap
    nothing is kept, and the file is read again."""

    def __init__(self, cap: int) -> None:
        import pyarrow as pa

        self.cap, self.held, self.parts, self.complete = cap, 0, [], True
        self.options = pa.ipc.IpcWriteOptions(compression="lz4" if pa.Codec.is_available("lz4") else None)

    def add(self, batch) -> None:
        import pyarrow as pa

        if not self.complete:
            return
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, batch.schema, options=self.options) as writer:
            writer.write_batch(batch)
        part = pa.py_buffer(sink.getvalue().to_pybytes())  # its own size: the stream's buffer grows by doubling
        self.held += part.size
        if self.held > self.cap:
            self.parts, self.complete = [], False
        else:
            self.parts.append(part)

    def batches(self) -> Iterator:
        import pyarrow as pa

        for part in self.parts:
            yield from pa.ipc.open_stream(part)


def _coalesced(batches: Iterator, size: int) -> Iterator:
    """The batches joined into batches of at least ``size`` bytes (the last may be smaller): each batch is
    parsed and checked with a few dozen pyarrow calls whatever its length, so fewer, longer batches cost
    less, while the reader's blocks stay small (it reads many of them ahead)."""
    import pyarrow as pa

    group, held = [], 0
    for batch in batches:
        group.append(batch)
        held += batch.nbytes
        if held >= size:
            joined = _joined(group, pa)
            group, held = [], 0  # the blocks are let go before the joined batch is parsed
            yield joined
    if group:
        yield _joined(group, pa)


def _joined(group: list, pa):
    if len(group) == 1:
        return group[0]
    joined = pa.Table.from_batches(group).combine_chunks()
    return pa.RecordBatch.from_arrays([column.chunk(0) if column.num_chunks else pa.array([], column.type)
                                       for column in joined.columns], schema=joined.schema)


# --- progress -----------------------------------------------------------------


def terminal_progress(total: int | None, enabled: bool) -> Callable[[int], None] | None:
    """A one-line progress display on stderr, only on a terminal."""
    if not enabled or not sys.stderr.isatty():
        return None

    def show(rows: int) -> None:
        if total:
            sys.stderr.write(f"\rvalidating: {rows:,} / {total:,} rows ({100 * rows / total:.0f}%)")
        else:
            sys.stderr.write(f"\rvalidating: {rows:,} rows")
        sys.stderr.flush()

    return show
