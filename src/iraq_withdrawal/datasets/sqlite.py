"""A release as one SQLite database, with the Datasette metadata to browse it.

:func:`write_sqlite` writes ``iraq-withdrawal.db``: one SQLite table per release
table (columns, types, primary and foreign keys from the schema models, rows in
release order), an index on every foreign-key column, and an FTS5 index over the
Arabic and English text columns, plus ``sources.label_en`` (a display label). :func:`write_datasette_metadata` writes
``datasette-metadata.json`` for Datasette 0.65: descriptions (the codebook's text), label
columns, default facets, full-text search, licence and canned queries.

Deterministic: the database is filled in memory in a fixed order, with a fixed page
size and no timestamps, then copied to disk with ``VACUUM INTO``, so two runs with
the same SQLite library give byte-identical files (the header records the library's
version number).

Full-text search (see README, "Browsing with Datasette"): the FTS5 tables hold the
text folded the way quotes are matched (:func:`exact_fold`: harakat, tatweel and
invisible marks removed, Arabic-Indic digits to ASCII), tokenised by ``unicode61
remove_diacritics 2``. Without the folding, unicode61 splits a word at each haraka
(``مهامّه`` becomes ``مهام`` and ``ه``). A token is a whole word with its clitics:
``الانسحاب``, ``انسحاب`` and ``والانسحاب`` are three different tokens, so a search
for one finds none of the others; the canned query ``search_substring`` finds every
form that contains the letters typed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..io.tables import cell_texts
from ..schema import CURRENT_VERSION, load_schema
from ..schema.derive import columns
from ..validators.matching import exact_fold
from .release_read import read_tables, release_versions

DB_NAME = "iraq-withdrawal.db"
METADATA_NAME = "datasette-metadata.json"  # beside datapackage.json in a release: say whose metadata it is
DATABASE = DB_NAME.removesuffix(".db")  # the name Datasette gives the database
PAGE_SIZE = 4096
TOKENIZER = "unicode61 remove_diacritics 2"

#: table -> text columns indexed for full-text search (table ``<table>_fts``).
SEARCH_COLUMNS: dict[str, tuple[str, ...]] = {
    "statements": ("text_ar", "text_en"),
    "events": ("summary_ar", "summary_en"),
    "evidence": ("quote",),
    "actors": ("name_ar", "name_en", "aliases_ar", "aliases_en"),
    "places": ("name_ar", "name_en"),
}
#: the column Datasette shows instead of an id where another table refers to it.
LABEL_COLUMNS = {
    "sources": "label_en",
    "actors": "name_en",
    "places": "name_en",
    "events": "summary_en",
    "statements": "text_en",
    "figures": "as_written",
}
#: default facets of each table's page.
FACETS = {
    "sources": ["published_date_basis", "language"],
    "actors": ["kind", "sector", "public_office", "country"],
    "places": ["kind", "country"],
    "events": ["event_type", "status", "date_precision"],
    "event_actors": ["role"],
    "event_places": ["role"],
    "statements": ["source", "stance", "channel", "directness"],
    "figures": ["measure", "unit", "qualifier", "source"],
    "events_flat": ["event_type", "status", "source_count"],
    "statements_flat": ["speaker_sector", "speaker_public_office", "speaker_country", "stance", "source"],
    "figures_flat": ["measure", "unit", "source"],
    "evidence": ["record_table", "source"],
    "retired_ids": ["record_table", "retired_in"],
}
SORT = {"events": "date_start", "statements": "date_start", "figures": "unit", "sources": "published_date"}


def _source_label(row: dict[str, Any]) -> str:
    if row.get("title_en"):
        return row["title_en"]
    return f"Untitled article, {row.get('publisher_en') or 'publisher not printed'}, {row['published_date']}"


#: columns the database adds to a release table, for display only: table -> (name, description, function of the row).
EXTRA_COLUMNS = {
    "sources": ("label_en", "The headline in English, or 'Untitled article, <publisher>, <date>' when the text prints "
                "none; added in the database as the label Datasette shows for a source (not a release column).",
                _source_label),
}

_SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "date": "TEXT", "list": "TEXT"}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_table_sql(table: str, version: str = CURRENT_VERSION) -> str:
    """``CREATE TABLE`` for a release table, with its primary and foreign keys."""
    cols = columns(table, version)
    lines = [f"  {_q(c.name)} {_SQL_TYPES[c.kind]}{' NOT NULL' if c.required else ''}" for c in cols]
    if table in EXTRA_COLUMNS:
        lines.append(f"  {_q(EXTRA_COLUMNS[table][0])} TEXT NOT NULL")
    keys = [c.name for c in cols if c.primary_key]
    lines.append(f"  PRIMARY KEY ({', '.join(_q(k) for k in keys)})")
    for c in cols:
        if c.foreign_key and c.kind != "list":  # a list is stored as JSON text: no key can hold it
            ref_table, ref_field = c.foreign_key.split(".")
            lines.append(f"  FOREIGN KEY ({_q(c.name)}) REFERENCES {_q(ref_table)}({_q(ref_field)})")
    return f"CREATE TABLE {_q(table)} (\n" + ",\n".join(lines) + "\n)"


def _cell(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


def search_text(value: Any) -> str | None:
    """What the FTS index holds for a cell: the text folded as quotes are matched."""
    if value is None:
        return None
    if isinstance(value, list):
        return " ; ".join(exact_fold(v) for v in value)
    return exact_fold(str(value))


def _sql_values(column) -> list:
    """A column's values as :func:`_cell` makes them, converted column-wise (dates and lists as text by Arrow)."""
    import pyarrow as pa
    import pyarrow.types as t

    kind = column.type
    if t.is_string(kind) or t.is_large_string(kind) or t.is_integer(kind) or t.is_float64(kind) or t.is_float32(kind):
        return column.to_pylist()
    if t.is_boolean(kind):
        return column.cast(pa.int8()).to_pylist()
    if t.is_date32(kind) or t.is_list(kind) or t.is_large_list(kind):
        return cell_texts(column, keep_nulls=True).to_pylist()  # csv_cell's text: date.isoformat(), json.dumps
    return [_cell(value) for value in column.to_pylist()]


def _fill(conn: sqlite3.Connection, tables: Mapping[str, Any], version: str) -> None:
    for table in load_schema(version).ROW_MODELS:
        conn.execute(create_table_sql(table, version))
        names = [c.name for c in columns(table, version)]
        arrow_table = tables[table].select(names) if table in tables else None
        values = [_sql_values(arrow_table.column(n)) for n in names] if arrow_table is not None else []
        if table in EXTRA_COLUMNS and arrow_table is not None:
            name, _, derive = EXTRA_COLUMNS[table]
            names = [*names, name]
            values.append([derive(row) for row in arrow_table.to_pylist()])
        placeholders = ", ".join("?" for _ in names)
        conn.executemany(f"INSERT INTO {_q(table)} ({', '.join(_q(n) for n in names)}) VALUES ({placeholders})", zip(*values))
        for c in columns(table, version):
            if c.foreign_key and c.kind != "list":
                conn.execute(f"CREATE INDEX {_q(f'idx_{table}_{c.name}')} ON {_q(table)}({_q(c.name)})")
    for table, cols in SEARCH_COLUMNS.items():
        fts = f"{table}_fts"
        conn.execute(
            f"CREATE VIRTUAL TABLE {_q(fts)} USING fts5({', '.join(_q(c) for c in cols)}, tokenize = '{TOKENIZER}')"
        )
        # the rows as inserted above (rowid 1, 2, ... in table order); lists as lists, not their JSON text
        texts = [[search_text(v) for v in tables[table].column(c).to_pylist()] for c in cols] if table in tables else []
        rowids = range(1, tables[table].num_rows + 1) if table in tables else []
        conn.executemany(
            f"INSERT INTO {_q(fts)} (rowid, {', '.join(_q(c) for c in cols)}) VALUES (?{', ?' * len(cols)})", zip(rowids, *texts)
        )
        conn.execute(f"INSERT INTO {_q(fts)}({_q(fts)}) VALUES ('optimize')")


def write_sqlite(directory: Path, tables: Mapping[str, Any] | None = None, *, out: Path | None = None,
                 version: str | None = None) -> Path:
    """Write ``iraq-withdrawal.db`` for a release and return its path.

    ``tables`` are the release's tables (``{name: pyarrow.Table}``); without them they
    are read from ``directory``. The file goes into ``out`` (default: ``directory``),
    written to a temporary name and renamed into place. Raises ``ValueError`` when a
    foreign key points at a missing row.
    """
    directory = Path(directory)
    if version is None:
        version = release_versions(directory)[1] if (directory / "datapackage.json").is_file() else CURRENT_VERSION
    if tables is None:
        tables = read_tables(directory, version)
    target_dir = Path(out) if out is not None else directory
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / DB_NAME
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        conn.execute("PRAGMA encoding = 'UTF-8'")
        with conn:
            _fill(conn, tables, version)
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            table, rowid, parent, _ = broken[0]
            raise ValueError(f"{len(broken)} foreign key(s) point at missing rows, e.g. {table} row {rowid} -> {parent}")
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".db", dir=target_dir)
        os.close(fd)
        os.unlink(tmp)  # VACUUM INTO needs a path that does not exist
        try:
            conn.execute("VACUUM INTO ?", (tmp,))
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    finally:
        conn.close()
    return target


# --- Datasette metadata -------------------------------------------------------

CANNED_QUERIES: dict[str, dict[str, Any]] = {
    "timeline": {
        "title": "Timeline of dated events",
        "description": "Every event with a date, earliest first, with the number of sources that report it. "
        "date_start..date_end is the interval the sources allow; an empty date_end is an open end "
        "(the event goes on, or the sources give no end). Undated events are left out.",
        "sql": """select e.id, e.date_start, e.date_end, e.date_precision, e.date_basis, e.status, e.event_type,
  e.event_subtype, e.summary_en, e.summary_ar,
  (select count(distinct v.source) from evidence v where v.record = e.id) as sources
from events e
where e.date_start is not null
order by e.date_start, coalesce(e.date_end, '9999-12-31'), e.id""",
    },
    "speakers": {
        "title": "Who is quoted, how often, with which stance",
        "description": "Statements per speaker, the number of sources quoting them and the stances coded.",
        "sql": """select a.id, a.name_en, a.name_ar, a.kind, count(*) as statements,
  count(distinct s.source) as sources,
  sum(s.stance = 'supports_withdrawal') as supports_withdrawal,
  sum(s.stance = 'supports_presence') as supports_presence,
  sum(s.stance in ('mixed', 'neutral', 'not_applicable')) as other_stances
from statements s join actors a on a.id = s.speaker
group by a.id
order by statements desc, a.name_en""",
    },
    "statements_by_speaker": {
        "title": "Statements by speaker",
        "description": "Statements of the speakers whose id or English or Arabic name contains the text given "
        "(empty: everyone), with the Arabic text and its translation.",
        "sql": """select s.id, s.date_start, a.name_en as speaker, a.name_ar as speaker_ar, s.speaker_role_en,
  s.stance, s.directness, s.channel, s.text_ar, s.text_en, s.source
from statements s join actors a on a.id = s.speaker
where :speaker = '' or s.speaker = :speaker
  or a.name_en like '%' || :speaker || '%' or a.name_ar like '%' || :speaker || '%'
order by a.name_en, s.date_start, s.id""",
    },
    "figure_units": {
        "title": "Figures per unit and qualifier",
        "description": "How many figures of each unit and qualifier the articles give, and their range.",
        "sql": """select unit, qualifier, count(*) as figures, min(coalesce(value, value_low)) as smallest,
  max(coalesce(value, value_high)) as largest
from figures group by unit, qualifier order by unit, qualifier""",
    },
    "figures_by_unit": {
        "title": "Figures by unit",
        "description": "Every figure of a unit (count, years, decades, ordinal, multiple; empty: all), with "
        "what is counted, whose it is and who claims it.",
        "sql": """select f.unit, f.qualifier, f.value, f.value_low, f.value_high, f.as_written, f.counted_en,
  f.counted_ar, f.date_start, f.date_end, w.name_en as whose, c.name_en as claimed_by, f.source, f.id
from figures f
left join actors w on w.id = f.whose
left join actors c on c.id = f.claimed_by
where :unit = '' or f.unit = :unit
order by f.unit, f.counted_en, f.id""",
    },
    "figures_by_measure": {
        "title": "Figures by measure",
        "description": "Every figure of a measure (killed, injured, troops_personnel, attacks, bases, ...; empty: all), "
        "with its value, what is counted, whose it is and its event (schema 1.1.0 and later).",
        "requires": ("figures", "measure"),
        "sql": """select f.measure, f.value, f.value_low, f.value_high, f.qualifier, f.unit, f.as_written, f.counted_en,
  w.name_en as whose, e.summary_en as event, e.date_start as event_date, f.source, f.id
from figures f
left join actors w on w.id = f.whose
left join events e on e.id = f.event
where :measure = '' or f.measure = :measure
order by f.measure, f.counted_en, f.id""",
    },
    "events_in_several_sources": {
        "title": "Events reported by several sources",
        "description": "Events whose evidence comes from two or more of the five articles.",
        "sql": """select e.id, e.date_start, e.date_end, e.status, e.event_type, e.summary_en,
  count(distinct v.source) as sources,
  (select group_concat(source, ', ') from
    (select distinct source from evidence w where w.record = e.id order by source)) as source_ids
from events e join evidence v on v.record = e.id
group by e.id
having count(distinct v.source) >= 2
order by sources desc, e.date_start, e.id""",
    },
    "search_substring": {
        "title": "Search for letters anywhere in a word",
        "description": "Statements, event summaries and evidence quotes whose text contains the letters given, "
        "inside any word: انسحاب finds الانسحاب, والانسحاب and بالانسحاب, which the search box "
        "(whole words) does not. Type without harakat; English is matched ignoring case.",
        "sql": """select 'statements' as record_table, s.id, s.text_ar as arabic, s.text_en as english
from statements_fts f join statements s on s.rowid = f.rowid
where f.text_ar like '%' || :text || '%' or f.text_en like '%' || :text || '%'
union all
select 'events', e.id, e.summary_ar, e.summary_en
from events_fts f join events e on e.rowid = f.rowid
where f.summary_ar like '%' || :text || '%' or f.summary_en like '%' || :text || '%'
union all
select 'evidence', v.record, v.quote, v.source
from evidence_fts f join evidence v on v.rowid = f.rowid
where f.quote like '%' || :text || '%'
order by 1, 2""",
    },
}


def _queries(version: str) -> dict[str, dict[str, Any]]:
    """The canned queries whose columns this schema version has (without the ``requires`` key Datasette does not know)."""
    out = {}
    for name, query in CANNED_QUERIES.items():
        table, column = query.get("requires", (None, None))
        if table is None or column in {c.name for c in columns(table, version)}:
            out[name] = {k: v for k, v in query.items() if k != "requires"}
    return out


def datasette_metadata(dataset_version: str, schema_version: str = CURRENT_VERSION) -> dict[str, Any]:
    """Datasette (0.65) metadata for ``iraq-withdrawal.db``: descriptions, keys, facets, search, queries."""
    models = load_schema(schema_version)
    table_meta: dict[str, Any] = {}
    for table in models.ROW_MODELS:
        meta: dict[str, Any] = {
            "description": models.TABLE_DESCRIPTIONS[table],
            "columns": {c.name: c.description for c in columns(table, schema_version)},  # the codebook's text
        }
        if table in EXTRA_COLUMNS:
            meta["columns"][EXTRA_COLUMNS[table][0]] = EXTRA_COLUMNS[table][1]
        if table in LABEL_COLUMNS:
            meta["label_column"] = LABEL_COLUMNS[table]
        if table in FACETS:  # the facets of columns this schema version has (sector, measure: since 1.1.0)
            meta["facets"] = [f for f in FACETS[table] if f in meta["columns"]]
        if table in SORT:
            meta["sort"] = SORT[table]
        if table in SEARCH_COLUMNS:
            meta["fts_table"] = f"{table}_fts"
            meta["fts_pk"] = "rowid"
        table_meta[table] = meta
    for table, cols in SEARCH_COLUMNS.items():
        table_meta[f"{table}_fts"] = {
            "hidden": True,
            "description": f"Full-text index of {table} ({', '.join(cols)}): text folded as quotes are matched "
            f"(no harakat or tatweel), tokenised by {TOKENIZER}.",
        }
    return {
        "title": f"iraq-withdrawal {dataset_version}",
        "description": (
            "What five Arabic news articles (2021-2024) report about the US-led coalition's withdrawal from Iraq: "
            f"dataset {dataset_version}, schema {schema_version}. Every record rests on verbatim quotes (table "
            "evidence). The search box matches whole words without harakat: الانسحاب does not find انسحاب or "
            "والانسحاب; the query search_substring finds letters inside words."
        ),
        "license": "CC BY 4.0 (the curated records); the article texts remain their publishers' property",
        "license_url": "https://creativecommons.org/licenses/by/4.0/",
        "source": "Five Arabic news articles, 2021-2024 (table sources), curated by the iraq-withdrawal maintainers",
        "databases": {DATABASE: {"tables": table_meta, "queries": _queries(schema_version)}},
    }


def write_datasette_metadata(out: Path, dataset_version: str, schema_version: str = CURRENT_VERSION) -> Path:
    """Write ``datasette-metadata.json`` into ``out`` and return its path."""
    path = Path(out) / METADATA_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(datasette_metadata(dataset_version, schema_version), ensure_ascii=False, indent=2) + "\n"
    # through a temporary file and a rename, as the database: a link at ``path`` is replaced, never written through
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as an ordinary write would leave it, not mkstemp's 0600
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def write_browse_files(directory: Path, tables: Mapping[str, Any] | None = None, *, out: Path | None = None,
                       version: str | None = None, dataset_version: str | None = None) -> tuple[Path, Path]:
    """The database and its Datasette metadata for a release directory: ``(db path, metadata path)``.

    ``version`` and ``dataset_version`` default to what the release's datapackage.json declares
    (the build, which writes them before that file exists, passes them).
    """
    if version is None or dataset_version is None:
        dataset_version, version = release_versions(Path(directory))
    schema_version = version
    db = write_sqlite(directory, tables, out=out, version=schema_version)
    return db, write_datasette_metadata(db.parent, dataset_version, schema_version)
