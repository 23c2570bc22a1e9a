"""Columns and tables the build computes from the normalised release tables.

- :func:`add_reporting` fills ``reported_start``/``reported_end`` of every event, statement
  and figure (the publication window of the earliest source whose evidence supports the
  record) and ``source_ids``/``source_count`` of every event;
- :func:`flat_rows` makes the flat tables (``events_flat``, ``statements_flat``,
  ``figures_flat``): one row per record with the names and dates an analyst would
  otherwise join for.

Both work on plain rows (``{table: [dict]}``), so the build runs them on the rows it
derives from curated records and the validator runs them again on the tables of a
release, to check that a release's flat tables say what its normalised tables say
(rule IW706).
"""

from __future__ import annotations

from typing import Any

from .registry import flat_tables

Rows = dict[str, list[dict[str, Any]]]
ROLES = ("initiator", "target", "participant", "host", "mediator")
PLACE_ROLES = ("where", "origin", "destination")


def _evidence_sources(rows: Rows) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for row in rows.get("evidence") or []:
        out.setdefault(row["record"], set()).add(row["source"])
    return out


def add_reporting(rows: Rows) -> None:
    """Fill the reporting interval of dated records and the sources of events, in place."""
    windows = {s["id"]: (s["published_date"], s.get("published_date_end") or s["published_date"]) for s in rows.get("sources") or []}
    by_record = _evidence_sources(rows)
    for table in ("events", "statements", "figures"):
        for row in rows.get(table) or []:
            sources = by_record.get(row["id"], set()) | ({row["source"]} if row.get("source") else set())
            known = sorted((windows[s] for s in sources if s in windows), key=lambda w: (w[0], w[1]))
            row["reported_start"], row["reported_end"] = known[0] if known else (None, None)
            if table == "events":
                row["source_ids"] = sorted(by_record.get(row["id"], set()))
                row["source_count"] = len(row["source_ids"])


def _by_id(rows: Rows, table: str) -> dict[str, dict]:
    return {r["id"]: r for r in rows.get(table) or []}


def _names_by_role(links: list[dict], names: dict[str, dict], key: str, roles: tuple[str, ...]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {role: [] for role in roles}
    for link in sorted(links, key=lambda r: r[key]):
        named = names.get(link[key])
        if named is not None:
            out.setdefault(link["role"], []).append(named["name_en"])
    return out


def _event_flat(event: dict, actor_links: list[dict], place_links: list[dict], actors: dict, places: dict) -> dict:
    actor_names = _names_by_role(actor_links, actors, "actor", ROLES)
    place_names = _names_by_role(place_links, places, "place", PLACE_ROLES)
    keep = ("id", "event_type", "event_subtype", "plover_category", "status", "date_start", "date_end", "date_precision",
            "date_prec", "date_basis", "reported_start", "reported_end", "summary_en", "summary_ar", "source_ids", "source_count")
    row = {k: event.get(k) for k in keep}
    row |= {f"{role}s_en": actor_names[role] for role in ROLES}
    row["actor_ids"] = sorted({link["actor"] for link in actor_links})
    row |= {f"places_{role}_en": place_names[role] for role in PLACE_ROLES}
    row["place_ids"] = sorted({link["place"] for link in place_links})
    return row


def _statement_flat(statement: dict, sources: dict, actors: dict, events: dict) -> dict:
    source = sources.get(statement["source"], {})
    speaker = actors.get(statement["speaker"], {})
    event = events.get(statement.get("event") or "", {})
    keep = ("id", "source", "speaker", "speaker_role_en", "date_start", "date_end", "date_precision", "reported_start",
            "reported_end", "channel", "directness", "stance", "text_ar", "text_en", "original_language", "event", "utterance")
    row = {k: statement.get(k) for k in keep}
    row |= {"source_publisher_en": source.get("publisher_en"), "source_published_date": source.get("published_date"),
            "source_published_date_end": source.get("published_date_end"), "speaker_name_en": speaker.get("name_en"),
            "speaker_name_ar": speaker.get("name_ar"), "speaker_kind": speaker.get("kind"), "speaker_sector": speaker.get("sector"),
            "speaker_public_office": speaker.get("public_office"), "speaker_country": speaker.get("country"),
            "event_summary_en": event.get("summary_en")}
    return row


def _figure_flat(figure: dict, actors: dict, events: dict) -> dict:
    event = events.get(figure.get("event") or "", {})
    keep = ("id", "source", "measure", "value", "value_low", "value_high", "qualifier", "unit", "counted_en", "as_written",
            "whose", "claimed_by", "also_claimed_by", "date_start", "date_end", "date_precision", "reported_start",
            "reported_end", "event")
    row = {k: figure.get(k) for k in keep}
    row["also_claimed_by"] = row["also_claimed_by"] or []
    row |= {"whose_name_en": actors.get(figure.get("whose") or "", {}).get("name_en"),
            "claimed_by_name_en": actors.get(figure.get("claimed_by") or "", {}).get("name_en"),
            "event_summary_en": event.get("summary_en"), "event_date_start": event.get("date_start"),
            "event_date_end": event.get("date_end")}
    return row


def flat_rows(rows: Rows, version: str) -> Rows:
    """The rows of every flat table of ``version``, from the normalised rows (each sorted by id)."""
    wanted = flat_tables(version)
    if not wanted:
        return {}
    actors, places, events, sources = (_by_id(rows, t) for t in ("actors", "places", "events", "sources"))
    links: dict[str, dict[str, list[dict]]] = {"event_actors": {}, "event_places": {}}
    for table, grouped in links.items():
        for link in rows.get(table) or []:
            grouped.setdefault(link["event"], []).append(link)
    out: Rows = {}
    if "events_flat" in wanted:
        out["events_flat"] = [_event_flat(e, links["event_actors"].get(e["id"], []), links["event_places"].get(e["id"], []), actors, places)
                              for e in rows.get("events") or []]
    if "statements_flat" in wanted:
        out["statements_flat"] = [_statement_flat(s, sources, actors, events) for s in rows.get("statements") or []]
    if "figures_flat" in wanted:
        out["figures_flat"] = [_figure_flat(f, actors, events) for f in rows.get("figures") or []]
    for table in out:
        out[table].sort(key=lambda r: r["id"])
    return out
