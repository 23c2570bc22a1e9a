"""Provenance pages: a static site that shows where every record's words are in its article.

:func:`write_site` writes, from a release:

- ``sources/<id>.html``: the article text (``dir="rtl" lang="ar"``), every evidence
  span highlighted as ``<mark>`` (the first piece of span ``<record>-<seq>`` has the id
  ``ev-<record>-<seq>``) and linked to the record it supports. Overlapping spans are
  cut into nested pieces (:mod:`.spans`), so every span is still whole and linked: a
  piece links to the innermost record covering it, and a span that is never innermost
  gets a small link mark after its end;
- ``records/<id>.html``: one page per source, actor, place, event, statement and
  figure, with its fields (references as links), the records that refer to it, and its
  evidence in context, each quote linking to the highlighted span in its article;
- ``tables/<table>.html``, ``index.html`` and ``site.css``.

No script, no network at view time (system fonts), relative links (works from disk
or any web server), and deterministic bytes: the same release gives the same files.
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import BuildError
from ..schema.derive import columns
from .release_read import Release, read_release
from .spans import Span, first_segments, last_segments, segments

#: tables whose rows get a record page, in the order the index lists them.
RECORD_TABLES = ("sources", "actors", "places", "events", "statements", "figures")
#: tables that only link two records (shown on both records' pages).
LINK_TABLES = ("event_actors", "event_places")
MARKER_FILE = ".iraq-withdrawal-site"
CONTEXT_WORDS = 8
_SINGULAR = {"sources": "source", "actors": "actor", "places": "place", "events": "event", "statements": "statement", "figures": "figure"}
_LETTER = {"sources": "R", "actors": "A", "places": "P", "events": "E", "statements": "S", "figures": "F"}


class SiteError(BuildError):
    """The site cannot be written where asked."""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _t(text: str) -> str:
    return html.escape(text, quote=False)


def _occurrence(r: dict[str, Any]) -> str:
    return "" if r["occurrence"] == 1 else f" (occurrence {_e(r['occurrence'])})"


def _short(text: str | None, limit: int = 110) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _Site:
    """Labels, lookups and page rendering for one release."""

    def __init__(self, release: Release):
        self.release = release
        self.rows = {t: release.rows(t) for t in release.tables}
        self.table_of: dict[str, str] = {}
        self.by_id: dict[str, dict[str, Any]] = {}
        for table in RECORD_TABLES:
            for row in self.rows[table]:
                self.table_of[row["id"]] = table
                self.by_id[row["id"]] = row
        self.evidence: dict[str, list[dict[str, Any]]] = {}
        for row in self.rows["evidence"]:
            self.evidence.setdefault(row["record"], []).append(row)
        self.cols = {t: columns(t, release.schema_version) for t in release.tables}

    # --- labels and links -----------------------------------------------------

    def label(self, record_id: str) -> str:
        row, table = self.by_id.get(record_id), self.table_of.get(record_id)
        if row is None:
            return record_id
        if table == "sources":
            return row["title_en"] or row["title_ar"] or f"{row['publisher_en'] or 'article'}, {row['published_date']}"
        if table in ("actors", "places"):
            return row["name_en"]
        if table == "events":
            return _short(row["summary_en"])
        if table == "statements":
            speaker = self.by_id.get(row["speaker"], {}).get("name_en", row["speaker"])
            return f"{speaker}: {_short(row['text_en'], 90)}"
        if table == "figures":
            return f"{row['as_written']} ({_short(row['counted_en'], 80)})"
        return record_id

    def link(self, record_id: str, prefix: str = "../") -> str:
        if record_id not in self.by_id:
            return f"<code>{_e(record_id)}</code>"
        return (f'<a href="{prefix}records/{_e(record_id)}.html" title="{_e(record_id)}">'
                f'<bdi>{_t(self.label(record_id))}</bdi></a>')

    # --- page frame -----------------------------------------------------------

    def page(self, title: str, body: str, prefix: str = "../", lang: str = "en", direction: str = "ltr",
             body_class: str = "") -> str:
        version = self.release.dataset_version
        nav = (f'<nav lang="en" dir="ltr"><a href="{prefix}index.html">iraq-withdrawal {_e(version)}</a>'
               + "".join(f' · <a href="{prefix}tables/{t}.html">{t}</a>' for t in RECORD_TABLES) + "</nav>")
        return (
            f'<!DOCTYPE html>\n<html lang="{lang}" dir="{direction}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_t(title)} · iraq-withdrawal {_t(version)}</title>\n"
            f'<link rel="stylesheet" href="{prefix}site.css">\n</head>\n'
            f'<body class="{body_class}">\n{nav}\n{body}\n</body>\n</html>\n'
        )

    # --- source pages ---------------------------------------------------------

    def source_page(self, source: dict[str, Any]) -> str:
        text = self.release.texts[source["id"]]
        rows = [r for r in self.rows["evidence"] if r["source"] == source["id"]]
        info = {f"{r['record']}-{r['seq']}": r for r in rows}
        spans = [Span(r["char_start"], r["char_end"], f"{r['record']}-{r['seq']}") for r in rows]
        parts = segments(len(text), spans)
        first, last = first_segments(parts), last_segments(parts)
        innermost = {seg.spans[-1].key for seg in parts if seg.spans}
        out = []
        for i, seg in enumerate(parts):
            piece = _t(text[seg.start:seg.end])
            if not seg.spans:
                out.append(piece)
                continue
            for span in seg.spans:
                r = info[span.key]
                ident = f' id="ev-{_e(span.key)}"' if first[span.key] == i else ""
                out.append(f'<mark class="ev {r["record_table"]}" data-ev="{_e(span.key)}"{ident}>')
            inner = info[seg.spans[-1].key]
            out.append(f'<a href="{self._evidence_href(inner)}" title="{_e(inner["record"])}: '
                       f'{_e(self.label(inner["record"]))}">{piece}</a>')
            out.append("</mark>" * len(seg.spans))
            for span in reversed(seg.spans):  # spans never innermost: a link mark after their end
                if last[span.key] == i and span.key not in innermost:
                    r = info[span.key]
                    out.append(f'<a class="ref" href="{self._evidence_href(r)}" data-ev="{_e(span.key)}" '
                               f'data-n="{_LETTER[r["record_table"]]}" aria-label="{_e(r["record"])}" '
                               f'title="{_e(r["record"])}: {_e(self.label(r["record"]))}"></a>')
        listing = "".join(
            f'<li><a href="#ev-{_e(k)}">{_e(r["char_start"])}–{_e(r["char_end"])}</a> '
            f'{_SINGULAR[r["record_table"]]} {self.link(r["record"])}</li>'
            for k, r in sorted(info.items(), key=lambda kv: (kv[1]["char_start"], -kv[1]["char_end"], kv[0]))
        )
        title = source["title_ar"] or source["title_en"] or source["id"]
        header = (
            f'<header lang="en" dir="ltr"><h1><bdi lang="ar" dir="rtl">{_t(title)}</bdi></h1>'
            f'<p>{_t(source["title_en"] or "(no headline)")}. Source <a href="../records/{_e(source["id"])}.html">'
            f'<code>{_e(source["id"])}</code></a>, {_t(source["publisher_en"] or "publisher not printed")}, '
            f'published {_e(source["published_date"])} ({_e(source["published_date_precision"])}, '
            f'{_e(source["published_date_basis"])}).</p>'
            f'<p class="legend">{len(rows)} evidence spans highlighted; darker where spans overlap. Click a '
            f'highlight to open the innermost record; a small letter marks the end of a span that lies wholly '
            f'inside others (R source, A actor, P place, E event, S statement, F figure).</p></header>'
        )
        body = (header + f'\n<article id="text" class="text" dir="rtl" lang="ar">{"".join(out)}</article>\n'
                f'<section class="listing" lang="en" dir="ltr"><h2>Evidence in this article, in text order</h2>'
                f"<ol>{listing}</ol></section>")
        return self.page(title, body, lang="ar", direction="rtl", body_class="source")

    def _evidence_href(self, r: dict[str, Any]) -> str:
        return f"../records/{_e(r['record'])}.html#ev-{_e(r['seq'])}"

    # --- record pages ---------------------------------------------------------

    def _value(self, column, value: Any) -> str:
        if value is None or value == []:
            return '<span class="null">—</span>'
        if column.foreign_key and column.foreign_key.endswith(".id"):
            return self.link(str(value))
        if isinstance(value, list):
            return "; ".join(f'<bdi dir="auto">{_t(str(v))}</bdi>' for v in value)
        lang = ' lang="ar"' if column.name.endswith("_ar") or column.name == "quote" else ""
        return f'<span dir="auto"{lang}>{_t(str(value.isoformat() if hasattr(value, "isoformat") else value))}</span>'

    def _context(self, r: dict[str, Any]) -> str:
        text = self.release.texts[r["source"]]
        start, end = r["char_start"], r["char_end"]
        before = text[max(0, start - 200):start].split(" ")
        after = text[end:end + 200].split(" ")
        left = " ".join(before[-(CONTEXT_WORDS + 1):])
        right = " ".join(after[: CONTEXT_WORDS + 1])
        lead = "…" if start - len(left) > 0 else ""
        tail = "…" if end + len(right) < len(text) else ""
        return f"{lead}{_t(left)}<mark>{_t(text[start:end])}</mark>{_t(right)}{tail}"

    def _referrers(self, record_id: str, table: str, link_tables: bool = True) -> list[str]:
        items = []
        for other in (*RECORD_TABLES, *(LINK_TABLES if link_tables else ())):
            for column in self.cols[other]:
                if column.foreign_key != f"{table}.id":
                    continue
                for row in self.rows[other]:
                    if row[column.name] != record_id:
                        continue
                    if other in LINK_TABLES:
                        far = next(c.name for c in self.cols[other] if c.foreign_key and c.name != column.name)
                        items.append(f"<li>{far} {self.link(row[far])} (role: {_e(row['role'])})</li>")
                    elif other == "sources" or row.get("id") != record_id:
                        items.append(f"<li>{_SINGULAR[other]} ({column.name}) {self.link(row['id'])}</li>")
        return items

    def record_page(self, table: str, row: dict[str, Any]) -> str:
        record_id = row["id"]
        fields = "".join(
            f'<tr><th scope="row" title="{_e(c.description)}">{_e(c.name)}</th><td>{self._value(c, row[c.name])}</td></tr>'
            for c in self.cols[table]
        )
        links = ""
        if table == "events":
            for link_table in LINK_TABLES:
                far = "actor" if link_table == "event_actors" else "place"
                items = [f"<li>{self.link(r[far])} (role: {_e(r['role'])})</li>" for r in self.rows[link_table] if r["event"] == record_id]
                if items:
                    links += f"<h2>{far.capitalize()}s</h2><ul>{''.join(items)}</ul>"
        referrers = self._referrers(record_id, table, link_tables=table != "events")
        if referrers:
            links += f"<h2>Referred to by</h2><ul>{''.join(referrers)}</ul>"
        evidence = "".join(
            f'<li id="ev-{_e(r["seq"])}"><blockquote class="context" dir="rtl" lang="ar">{self._context(r)}</blockquote>'
            f'<p><a class="goto" href="../sources/{_e(r["source"])}.html#ev-{_e(record_id)}-{_e(r["seq"])}">'
            f"Show in the article</a>: {self.link(r['source'])}, characters {_e(r['char_start'])}–{_e(r['char_end'])}"
            f"{_occurrence(r)}</p></li>"
            for r in sorted(self.evidence.get(record_id, []), key=lambda r: r["seq"])
        )
        article = ""
        if table == "sources":
            article = f'<p><a class="goto" href="../sources/{_e(record_id)}.html">Read the article with every evidence span highlighted</a></p>'
        body = (
            f'<header><p class="kind">{_SINGULAR[table]} <code>{_e(record_id)}</code></p>'
            f"<h1><bdi>{_t(self.label(record_id))}</bdi></h1></header>{article}"
            f"<h2>Evidence</h2><ol class=\"evidence\">{evidence}</ol>"
            f'<h2>Fields</h2><table class="fields">{fields}</table>{links}'
        )
        return self.page(f"{_SINGULAR[table]} {record_id}", body, body_class="record")

    # --- index pages ----------------------------------------------------------

    def table_page(self, table: str) -> str:
        items = "".join(
            f'<li><code>{_e(r["id"])}</code> {self.link(r["id"])} '
            f'<span class="count">({len(self.evidence.get(r["id"], []))} quotes)</span></li>'
            for r in self.rows[table]
        )
        body = f"<h1>{table} ({len(self.rows[table])})</h1><ol class=\"records\">{items}</ol>"
        return self.page(table, body, body_class="table")

    def index_page(self) -> str:
        sources = "".join(
            f'<li><a href="sources/{_e(s["id"])}.html"><bdi lang="ar" dir="rtl">{_t(s["title_ar"] or s["id"])}</bdi></a> '
            f'<code>{_e(s["id"])}</code>, {_e(s["published_date"])}: '
            f'{sum(1 for r in self.rows["evidence"] if r["source"] == s["id"])} evidence spans</li>'
            for s in self.rows["sources"]
        )
        tables = "".join(f'<li><a href="tables/{t}.html">{t}</a> ({len(self.rows[t])})</li>' for t in RECORD_TABLES)
        body = (
            f"<h1>iraq-withdrawal {_t(self.release.dataset_version)}: provenance</h1>"
            "<p>What five Arabic news articles (2021–2024) report about the US-led coalition's withdrawal from "
            "Iraq. Every record rests on verbatim quotes; these pages show each quote in its article.</p>"
            f"<h2>Articles</h2><ol>{sources}</ol><h2>Records</h2><ul>{tables}</ul>"
        )
        return self.page("provenance", body, prefix="", body_class="index")


def site_pages(release: Release) -> dict[str, str]:
    """Every page of the site as ``{relative path: html}``, sorted by path."""
    site = _Site(release)
    pages = {"index.html": site.index_page()}
    for table in RECORD_TABLES:
        pages[f"tables/{table}.html"] = site.table_page(table)
        for row in site.rows[table]:
            pages[f"records/{row['id']}.html"] = site.record_page(table, row)
    for source in site.rows["sources"]:
        pages[f"sources/{source['id']}.html"] = site.source_page(source)
    pages["site.css"] = resources.files("iraq_withdrawal.datasets").joinpath("site_static/site.css").read_text(encoding="utf-8")
    return dict(sorted(pages.items()))


def write_site(directory: Path, out: Path, tables: Mapping[str, Any] | None = None) -> Path:
    """Write the provenance site of the release in ``directory`` to ``out``; return ``out``.

    Written into a temporary directory next to ``out`` and moved into place when
    complete. An existing ``out`` is replaced only when it is empty or a site written
    by this function (it holds ``.iraq-withdrawal-site``); otherwise :class:`SiteError`.
    """
    out = Path(out)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER_FILE).is_file())):
        raise SiteError(f"{out} exists and is not a provenance site; choose another --out or remove it")
    pages = site_pages(read_release(Path(directory), tables))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for name, text in pages.items():
            path = tmp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
        (tmp / MARKER_FILE).write_bytes(b"written by iraq-withdrawal site\n")
        os.chmod(tmp, 0o755)
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return out
