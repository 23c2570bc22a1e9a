"""The Spark engine: the same table rules on a Spark cluster (``validate --engine spark``).

For tables larger than one machine should hold. The Parquet file is read directly
into Spark. The column rules of :func:`~iraq_withdrawal.validators.rules.table_rules`
run through pandera's PySpark backend, which says which check failed on which
column; since that backend reports per check and not per row, every rule is also
counted with one Spark aggregation, so each finding says how many rows fail.
Cross-column rules (date order and precision) and the unique key are Spark
expressions over the same rule list. Needs the ``spark`` extra
(``pip install "iraq-withdrawal[spark]"``) and Java.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import SparkUnavailable
from ..findings import Finding, Report
from ..io.tables import column_findings
from ..schema import CURRENT_VERSION
from ..schema.derive import arrow_schema
from .rules import CONTROL_PATTERN, FORMULA_PREFIXES, NEEDS_COMPLETE_DATES, NEEDS_ORDERED_DATES, RESOLVED_BASES, TableRule, table_rules


def _session(master: str):
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise SparkUnavailable('the Spark engine needs the spark extra: pip install "iraq-withdrawal[spark]"') from exc
    return (
        SparkSession.builder.master(master)
        .appName("iraq-withdrawal validate")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


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


def validate_table_spark(path: Path, table: str, master: str = "local[2]", version: str = CURRENT_VERSION) -> Report:
    """Validate one Parquet table with Spark; one finding per failing rule and column, with its row count."""
    spark = _session(master)
    try:
        import pandera.pyspark  # noqa: F401 - imported only to fail early when the backend cannot load
    except ImportError as exc:
        raise SparkUnavailable(f"pandera's PySpark backend cannot be imported: {exc}") from exc
    from pyspark.sql import functions as F

    display = path.name
    report = Report(target=str(path), kind=f"table {table} (spark {master})")
    try:
        frame = spark.read.parquet(str(path))
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

    validated = pandera_pyspark_schema(table, version).validate(frame)
    flagged = {err.get("column") for group in dict(validated.pandera.errors).values() for errs in group.values() for err in errs}

    rules = [r for r in table_rules(table, version) if r.kind != "unique"]
    counts = frame.agg(*[F.sum(F.when(rule_expression(r), 1).otherwise(0)).alias(f"r{i}") for i, r in enumerate(rules)]).collect()[0]
    for i, rule in enumerate(rules):
        n = counts[f"r{i}"] or 0
        if n:
            via = " (pandera: check failed)" if rule.column in flagged else ""
            report.add(Finding(rule.code, f"{n:,} row(s): {rule.describe()}{via}", file=display, field=rule.field))
    unique = next(r for r in table_rules(table, version) if r.kind == "unique")
    dupes = frame.groupBy(*unique.columns).count().filter(F.col("count") > 1).agg(F.sum(F.col("count") - 1).alias("n")).collect()[0]["n"]
    if dupes:
        report.add(Finding("IW301", f"{dupes:,} row(s) repeat an earlier primary key ({', '.join(unique.columns)})", file=display, field=unique.column))
    report.checked = {"rows": frame.count()}
    report.notes.append("the Spark engine counts failing rows per rule; it does not list rows")
    return report


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
