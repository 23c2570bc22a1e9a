"""Generated documentation: the codebook and the counts in the dataset card.

Both are generated from the schema models and the shipped data, written by
``iraq-withdrawal docs write`` and checked by ``iraq-withdrawal docs check`` (a test
fails when they drift).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..findings import RULES
from ..io.data_paths import curated_root
from ..schema import CURRENT_VERSION, load_schema
from ..schema.derive import columns
from ..schema.registry import tables
from ..validators.curated import validate_curated
from .stats import dataset_stats

CARD_BEGIN = "<!-- BEGIN GENERATED: counts (iraq-withdrawal docs write) -->"
CARD_END = "<!-- END GENERATED: counts -->"
SOURCES_BEGIN = "<!-- BEGIN GENERATED: sources (iraq-withdrawal docs write) -->"
SOURCES_END = "<!-- END GENERATED: sources -->"

_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean", "date": "date (ISO 8601)", "list": "list of strings"}


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _example(rows: list[dict], name: str) -> str:
    for row in rows:
        value = row.get(name)
        if value not in (None, [], ""):
            text = str(value.isoformat() if hasattr(value, "isoformat") else value)
            return "`" + (text if len(text) <= 60 else text[:59] + "…") + "`"
    return ""


def codebook_markdown(rows: dict[str, list[dict]], version: str = CURRENT_VERSION) -> str:
    """The codebook: every table and field, with types, constraints, allowed values and examples."""
    models = load_schema(version)

    out = [
        f"# Codebook (schema {version})",
        "",
        "Generated from the schema models by `iraq-withdrawal docs write`; do not edit by hand.",
        "Examples are taken from the shipped dataset.",
        "",
        "## Tables",
        "",
    ]
    for table in tables(version):
        out.append(f"- [`{table}`](#{table.replace('_', '-')}): {models.TABLE_DESCRIPTIONS[table]}")
    out.append("")
    enums: dict[str, Any] = {}
    for table in tables(version):
        cols = columns(table, version)
        keys = [c.name for c in cols if c.primary_key]
        out += [f"## {table.replace('_', '-')}", "", models.TABLE_DESCRIPTIONS[table], "", f"Primary key: {', '.join(f'`{k}`' for k in keys)}.", ""]
        out += ["| field | type | required | description | constraints | example |", "| --- | --- | --- | --- | --- | --- |"]
        for c in cols:
            constraints = []
            if c.enum:
                enums[c.enum.__name__] = c.enum
                constraints.append(f"one of [{c.enum.__name__}](#{c.enum.__name__.lower()})")
            if c.pattern:
                constraints.append(f"pattern `{c.pattern}`")
            if c.minimum is not None:
                constraints.append(f"≥ {c.minimum}")
            if c.maximum is not None:
                constraints.append(f"≤ {c.maximum}")
            if c.foreign_key:
                constraints.append(f"references `{c.foreign_key}`")
            if c.derived:
                constraints.append("computed by the build")
            type_name = _TYPES[c.kind] + (f" ({c.arrow})" if c.arrow else "")
            example = _cell(_example(rows.get(table, []), c.name))
            required = "yes" if c.required else "no"
            out.append(f"| `{c.name}` | {type_name} | {required} | {_cell(c.description)} | {_cell('; '.join(constraints))} | {example} |")
        out.append("")
    out += ["## Allowed values", ""]
    for name, enum in sorted(enums.items()):
        out += [f"### {name}", "", "| value | definition |", "| --- | --- |"]
        out += [f"| `{value}` | {_cell(definition)} |" for value, definition in enum.definitions().items()]
        out.append("")
    out += [
        "## Precision codes",
        "",
        "`places.where_prec` follows UCDP GED's where_prec; `events.date_prec` follows UCDP GED's date_prec and is",
        "computed from the date interval; `date_precision` says in words what the source fixes.",
        "",
        "## Rule codes",
        "",
        "| code | severity | rule | hint |",
        "| --- | --- | --- | --- |",
    ]
    out += [f"| {r.code} | {r.severity.value} | {_cell(r.title)} | {_cell(r.hint)} |" for r in RULES.values()]
    return "\n".join(out) + "\n"


def card_counts_markdown(stats: dict) -> str:
    tables_line = ", ".join(f"{n} {t}" for t, n in stats["tables"].items() if t != "exclusions")
    out = [CARD_BEGIN, "", f"Records: {tables_line}.", "",
           "| source | actors | places | events | statements | figures | coverage |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for source, row in stats["sources"].items():
        r = row["records"]
        out.append(f"| `{source}` | {r['actors']} | {r['places']} | {r['events']} | {r['statements']} | {r['figures']} | {row['covered']}/{row['items']} |")
    out += ["", CARD_END]
    return "\n".join(out)


def _window(start, end) -> str:
    if end is None or end == start:
        return start.isoformat()
    return f"{start.isoformat()} to {end.isoformat()}"


def card_sources_markdown(sources: list[dict]) -> str:
    """The card's table of sources: what each prints, and the publication window as the data holds it."""
    out = [SOURCES_BEGIN, "", "| id | publisher (as printed) | author | published | precision | basis |", "| --- | --- | --- | --- | --- | --- |"]
    for s in sorted(sources, key=lambda r: (r["published_date"], r["id"])):
        out.append(f"| `{s['id']}` | {_cell(s.get('publisher_ar') or 'not printed')} | {_cell(s.get('author_ar') or 'none credited')} | "
                   f"{_window(s['published_date'], s.get('published_date_end'))} | {s['published_date_precision']} | "
                   f"{s['published_date_basis']} |")
    inferred = sum(1 for s in sources if s["published_date_basis"] == "inferred")
    out += ["", f"{inferred} of the {len(sources)} sources print no publication date; their windows are inferred, and the "
            "reasoning is in `sources.published_date_note`.", "", SOURCES_END]
    return "\n".join(out)


def _replace_block(text: str, begin: str, end: str, block: str) -> str:
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    return pattern.sub(lambda _: block, text) if pattern.search(text) else text


def shipped_rows() -> dict[str, list[dict]]:
    """The rows the build derives from the shipped curated data."""
    return validate_curated(curated_root()).rows.rows


def generated_documents(docs_dir: Path) -> dict[Path, str]:
    """``{path: expected text}`` for every generated document."""
    rows = shipped_rows()
    documents = {docs_dir / "codebook.md": codebook_markdown(rows)}
    card = docs_dir / "dataset-card.md"
    if card.is_file():
        text = card.read_text(encoding="utf-8")
        text = _replace_block(text, CARD_BEGIN, CARD_END, card_counts_markdown(dataset_stats(curated_root())))
        documents[card] = _replace_block(text, SOURCES_BEGIN, SOURCES_END, card_sources_markdown(rows["sources"]))
    return documents
