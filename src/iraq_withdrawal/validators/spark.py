"""The Spark engine: the same table rules on a Spark cluster (``validate --engine spark``).

For tables larger than one machine should hold. The Parquet file is read directly
into Spark (on a cluster, from a path every executor can read). Every rule of
:func:`~iraq_withdrawal.validators.rules.table_rules` is compiled into a Spark
expression (:func:`rule_expression`); one aggregation counts the failing rows of each,
then, for each rule that fails, the first ``max_per_rule`` failing rows by position are
collected with the columns the rule reads and explained by the rule itself
(:meth:`TableRule.explain`), so each finding names its row, record and field and reads
as the Arrow engine's does. A row is the 1-based position of the row in the Parquet
file (Spark's ``_metadata.row_index``), as the Arrow engine counts them. Spark's own
logging (warnings, stage progress bars) is off unless ``verbose``. Needs the ``spark``
extra (``pip install "iraq-withdrawal[spark]"``) and Java.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import SparkUnavailable
from ..findings import Finding, Report
from ..io.tables import column_findings
from ..schema import CURRENT_VERSION
from ..schema.derive import arrow_schema
from .rules import CONTROL_PATTERN, FORMULA_PREFIXES, NEEDS_COMPLETE_DATES, NEEDS_ORDERED_DATES, RESOLVED_BASES, TableRule, table_rules
from .stream import FindingSink, duplicate_finding

ROW = "__iraq_withdrawal_row"
_QUIET_LOGGING = "spark-log4j2.properties"


def _session(master: str, verbose: bool = False):
    """A Spark session on ``master`` (an active session on another master is stopped first)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise SparkUnavailable('the Spark engine needs the spark extra: pip install "iraq-withdrawal[spark]"') from exc
    active = SparkSession.getActiveSession()
    if active is not None and active.sparkContext.master != master:
        active.stop()
    builder = (
        SparkSession.builder.master(master)
        .appName("iraq-withdrawal validate")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "true" if verbose else "false")
        .config("spark.sql.session.timeZone", "UTC")
    )
    if not verbose:  # read when the driver's JVM starts: Spark's start-up warnings are silenced too
        quiet = resources.files(__package__) / _QUIET_LOGGING
        builder = builder.config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={Path(str(quiet)).as_uri()}")
    if verbose:
        spark = builder.getOrCreate()
    else:
        with _stderr_to_devnull():  # the JVM started here inherits it: its start-up lines and banner go nowhere
            spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN" if verbose else "ERROR")
    return spark


@contextmanager
def _stderr_to_devnull():
    """Point file descriptor 2 at /dev/null for the duration (child processes started meanwhile keep it)."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def rule_expression(rule: TableRule) -> Any:
    """A Spark boolean Column that is true where a row breaks the rule where it applies (see ``rules.py``)."""
    from pyspark.sql import functions as F

    failing = _failing(rule)
    if rule.kind in NEEDS_COMPLETE_DATES:
        complete = F.col("date_start").isNotNull() & F.col("date_precision").isNotNull() & F.col("date_basis").isNotNull()
        failing = failing & complete
        if rule.kind in NEEDS_ORDERED_DATES:
            failing = failing & ~F.coalesce(F.col("date_end") < F.col("date_start"), F.lit(False))
    return failing


_VALUE_RULES = {
    "finite": lambda col, F: F.isnan(col) | col.isin(float("inf"), float("-inf")),
    "items": lambda col, F: F.exists(col, lambda x: x.isNull() | (F.length(F.trim(x)) < 1) | x.rlike(CONTROL_PATTERN)),
}


def _failing(rule: TableRule) -> Any:
    from pyspark.sql import functions as F

    col = F.col(rule.column)
    if rule.kind in _VALUE_RULES:
        return _VALUE_RULES[rule.kind](col, F)
    if rule.kind == "required":
        return col.isNull()
    if rule.kind == "enum":
        return col.isNotNull() & ~col.isin(list(rule.param("values")))
    if rule.kind == "pattern":
        return col.isNotNull() & ~col.rlike(rule.param("pattern"))
    if rule.kind == "min_length":
        return F.length(col) < rule.param("min")
    if rule.kind == "control":
        return col.rlike(CONTROL_PATTERN)
    if rule.kind == "range":
        low, high = rule.param("min"), rule.param("max")
        parts = ([col < low] if low is not None else []) + ([col > high] if high is not None else [])
        out = parts[0]
        for p in parts[1:]:
            out = out | p
        return out
    if rule.kind == "formula":
        out = col.startswith(FORMULA_PREFIXES[0])
        for prefix in FORMULA_PREFIXES[1:]:
            out = out | col.startswith(prefix)
        return out
    start, end = F.col("date_start"), F.col("date_end")
    if rule.kind == "date_incomplete":
        given = [F.col(n).isNotNull() for n in ("date_start", "date_precision", "date_basis")]
        return ((given[0] | given[1] | given[2]) & ~(given[0] & given[1] & given[2])) | (end.isNotNull() & start.isNull())
    if rule.kind == "date_order":
        return end < start
    if rule.kind == "note_missing":
        return F.col("date_basis").isin(*RESOLVED_BASES) & F.col("date_note").isNull()
    if rule.kind == "precision":
        precision = rule.param("precision")
        return (F.col("date_precision") == precision) & _precision_failing(precision, rule.param("calendar_week", False))
    raise ValueError(rule.kind)


def pandera_pyspark_schema(table: str, version: str = CURRENT_VERSION):
    """pandera's PySpark schema for the column rules of a table (derived from the same rule list)."""
    import pandera.pyspark as pa

    spark_types = _spark_types(table, version)
    checks: dict[str, list] = {name: [] for name in spark_types}
    nullable = {name: True for name in spark_types}
    for rule in table_rules(table, version):
        if rule.kind == "required":
            nullable[rule.column] = False
        elif rule.kind == "enum":
            checks[rule.column].append(pa.Check.isin(list(rule.param("values"))))
        elif rule.kind == "pattern":
            checks[rule.column].append(pa.Check.str_matches(rule.param("pattern")))
        elif rule.kind == "range" and rule.param("min") is not None and rule.param("max") is not None:
            checks[rule.column].append(pa.Check.in_range(rule.param("min"), rule.param("max")))
    return pa.DataFrameSchema(
        {name: pa.Column(spark_types[name], checks=checks[name], nullable=nullable[name]) for name in spark_types},
        strict=False,
    )


def _spark_types(table: str, version: str) -> dict[str, Any]:
    import pyarrow as pa
    import pyspark.sql.types as T

    mapping = {
        pa.string(): T.StringType(), pa.int8(): T.ByteType(), pa.int16(): T.ShortType(), pa.int32(): T.IntegerType(),
        pa.int64(): T.LongType(), pa.float64(): T.DoubleType(), pa.bool_(): T.BooleanType(), pa.date32(): T.DateType(),
        pa.list_(pa.string()): T.ArrayType(T.StringType()),
    }
    return {f.name: mapping[f.type] for f in arrow_schema(table, version)}


def validate_table_spark(path: Path, table: str, master: str = "local[2]", version: str = CURRENT_VERSION,
                         max_per_rule: int = 100, verbose: bool = False) -> Report:
    """Validate one Parquet table with Spark: for each rule, the first ``max_per_rule`` failing rows
    (row, record, field, message, as the Arrow engine gives them) and the count of all of them."""
    spark = _session(master, verbose)
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    display = path.name
    report = Report(target=str(path), kind=f"table {table} (spark {master})")
    sink = FindingSink(report, max_per_rule)
    try:
        frame = spark.read.parquet(str(path.resolve()))
    except Exception as exc:  # noqa: BLE001 - unreadable file
        report.add(Finding("IW108", f"Spark cannot read the Parquet file: {str(exc).splitlines()[0]}", file=display))
        return report
    expected = _spark_types(table, version)
    actual = {f.name: f.dataType for f in frame.schema.fields}
    report.extend(column_findings(list(actual), table, display, version))
    for name, dtype in expected.items():
        if name in actual and type(actual[name]) is not type(dtype) and not (_is_int(actual[name]) and _is_int(dtype)):
            report.add(Finding("IW109", f"column '{name}' is stored as {actual[name].simpleString()}, expected {dtype.simpleString()}",
                               file=display, field=name))
    if report.findings:
        return report

    frame = frame.select(*expected, (F.col("_metadata.row_index") + 1).alias(ROW))
    all_rules = table_rules(table, version)
    unique = next(r for r in all_rules if r.kind == "unique")
    rules = [r for r in all_rules if r.kind != "unique"]
    counts = frame.agg(F.count(F.lit(1)).alias("rows"),
                       *[F.sum(F.when(rule_expression(r), 1).otherwise(0)).alias(f"r{i}") for i, r in enumerate(rules)]).collect()[0]
    id_column = unique.column
    for i, rule in enumerate(rules):
        failing = counts[f"r{i}"] or 0
        if not failing:
            continue
        first = (frame.filter(rule_expression(rule)).select(ROW, id_column, *[c for c in rule.columns if c != id_column])
                 .orderBy(ROW).limit(max_per_rule).collect())
        for row in first:
            field_name, message = rule.explain({name: row[name] for name in rule.columns})
            record = row[id_column]
            sink.add(Finding(rule.code, message, file=display, row=row[ROW], record=None if record is None else str(record), field=field_name))
        _count_unlisted(report, rule.code, failing - len(first))

    keys = unique.columns
    same_key = Window.partitionBy(*keys)
    repeats = (frame.select(*keys, ROW, F.row_number().over(same_key.orderBy(ROW)).alias("__n"), F.min(ROW).over(same_key).alias("__first"))
               .filter(F.col("__n") > 1))
    duplicates = repeats.count()
    if duplicates:
        first = repeats.orderBy(ROW).limit(max_per_rule).collect()
        for row in first:
            sink.add(duplicate_finding(keys, tuple(row[k] for k in keys), display, row[ROW], first=f"row {row['__first']}"))
        _count_unlisted(report, "IW301", duplicates - len(first))
    report.checked = {"rows": counts["rows"]}
    report.notes.append("rows are positions in the Parquet file (1 is its first row), as the Arrow engine counts them")
    return report


def _count_unlisted(report: Report, code: str, n: int) -> None:
    """Rows the engine counted but did not collect: they count as findings not listed, as on the Arrow engine."""
    if n > 0:
        report.suppressed[code] = report.suppressed.get(code, 0) + n


def _is_int(dtype) -> bool:
    import pyspark.sql.types as T

    return isinstance(dtype, (T.ByteType, T.ShortType, T.IntegerType, T.LongType))


def _precision_failing(precision: str, calendar_week: bool = False) -> Any:
    """True where an interval does not fit ``precision`` (as ``schema.dates.precision_problem`` says)."""
    from pyspark.sql import functions as F

    start, end = F.col("date_start"), F.col("date_end")
    span = F.datediff(end, start)
    if precision == "window":
        return end.isNull()
    if precision == "week" and calendar_week:  # dayofweek: 1 is Sunday
        return end.isNotNull() & (F.date_sub(start, F.dayofweek(start) - 1) != F.date_sub(end, F.dayofweek(end) - 1))
    if precision == "week":
        return end.isNotNull() & (span > 7)
    if precision == "season":
        return end.isNotNull() & (span > 184)
    if precision == "years":
        return end.isNotNull() & (span < 365)
    if precision == "month":
        return (F.dayofmonth(start) != 1) | (end.isNotNull() & (F.dayofmonth(F.date_add(end, 1)) != 1))
    bad_end = (F.month(end) != 12) | (F.dayofmonth(end) != 31) | (F.year(end) != F.year(start))
    return (F.month(start) != 1) | (F.dayofmonth(start) != 1) | (end.isNotNull() & bad_end)
