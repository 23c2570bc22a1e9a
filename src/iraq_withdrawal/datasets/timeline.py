"""The timeline picture: dated events over the intervals their sources allow.

:func:`timeline_spec` builds a Vega-Lite specification with Vega-Altair;
:func:`write_timeline` renders it with vl-convert (no browser) to PNG, SVG or a
self-contained HTML page (with tooltips), by the file's extension. Both need the
optional extra ``plot`` (``pip install "iraq-withdrawal[plot]"``).

What is drawn, and how it stays honest about dates:

- one row per event that has a ``date_start``, earliest first, labelled in English;
  the Arabic summary is in the tooltip. Undated events are counted in the subtitle;
- a **bar** spans ``date_start`` to the end of ``date_end`` (end inclusive), which is
  the window the sources allow: "March 2003" is drawn as the whole month, not as a day;
- a **dot** is an event the sources date to a single day;
- an **open end** (``date_end`` empty: the event goes on, or the sources give no end)
  is a faded, dashed bar from its start to the right edge, ending in an arrow, so it
  is never read as ending on a particular day;
- the colour is the event type.

The specification is plain data, so a test compares it with the committed
``docs/timeline.vl.json`` (rendered bytes may differ between vl-convert versions).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..schema.enums import EventType
from .release_read import read_tables, release_versions

FORMATS = (".png", ".svg", ".html")
LABEL_CHARS = 70
ROW_HEIGHT = 19
WIDTH = 900


class PlotError(UsageError):
    """The picture cannot be made (missing extra, unknown format)."""


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;:(") + "…"


def timeline_rows(events: list[dict[str, Any]], evidence: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """One plotting row per dated event: dates as ISO text, the drawn end, the kind of mark."""
    sources: dict[str, set[str]] = {}
    for r in evidence or []:
        sources.setdefault(r["record"], set()).add(r["source"])
    dated = sorted((e for e in events if e["date_start"] is not None), key=lambda e: (e["date_start"], e["date_end"] or dt.date.max, e["id"]))
    rows, seen = [], set()
    for order, e in enumerate(dated):
        start, end = e["date_start"], e["date_end"]
        label = _short(e["summary_en"])
        if label in seen:  # the y axis is nominal: a repeated label would merge two rows
            label = f"{label} ({e['id']})"
        seen.add(label)
        mark = "open" if end is None else "day" if end == start else "window"
        rows.append({
            "id": e["id"],
            "order": order,
            "label": label,
            "event_type": e["event_type"],
            "status": e["status"],
            "precision": e["date_precision"],
            "start": start.isoformat(),
            "end": end.isoformat() if end else None,
            "end_exclusive": (end + dt.timedelta(days=1)).isoformat() if end else None,
            "mark": mark,
            "dates": f"{start.isoformat()} – {end.isoformat()}" if end and end != start else
                     (start.isoformat() if end else f"from {start.isoformat()}, open end"),
            "summary_en": e["summary_en"],
            "summary_ar": e["summary_ar"],
            "sources": ", ".join(sorted(sources.get(e["id"], ()))),
        })
    return rows


def _domain(rows: list[dict[str, Any]]) -> tuple[str, str]:
    """From 1 January of the first year to 1 January after the last date, plus one year for open ends."""
    first = min(dt.date.fromisoformat(r["start"]) for r in rows)
    last = max(dt.date.fromisoformat(r["end"] or r["start"]) for r in rows)
    return dt.date(first.year, 1, 1).isoformat(), dt.date(last.year + 2, 1, 1).isoformat()


def timeline_spec(tables: Mapping[str, Any], dataset_version: str) -> dict[str, Any]:
    """The Vega-Lite specification (a dict) of the timeline of a release's tables."""
    try:
        import altair as alt
    except ImportError:
        raise PlotError('the timeline needs Vega-Altair: pip install "iraq-withdrawal[plot]"') from None
    events = tables["events"].to_pylist()
    rows = timeline_rows(events, tables["evidence"].to_pylist() if "evidence" in tables else None)
    if not rows:
        raise PlotError("no event has a date; nothing to draw")
    lo, hi = _domain(rows)
    for r in rows:
        r["horizon"] = hi
    types = EventType.values()
    data = alt.Data(values=rows)
    x_scale = alt.Scale(type="utc", domain=[lo, hi])
    y = alt.Y("label:N", sort=alt.EncodingSortField("order"), title=None,
              axis=alt.Axis(labelLimit=460, labelFontSize=11))
    color = alt.Color("event_type:N", title="event type", scale=alt.Scale(domain=types, scheme="tableau10"),
                      legend=alt.Legend(orient="top", direction="horizontal"))
    tooltip = [alt.Tooltip("id:N"), alt.Tooltip("dates:N", title="date"), alt.Tooltip("precision:N"),
               alt.Tooltip("status:N"), alt.Tooltip("event_type:N", title="type"),
               alt.Tooltip("summary_en:N", title="summary"), alt.Tooltip("summary_ar:N", title="الملخص"),
               alt.Tooltip("sources:N")]
    base = alt.Chart(data)
    x = alt.X("start:T", scale=x_scale, title=None, axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1},
                                                                 labelAngle=0, grid=True))
    windows = base.transform_filter(alt.datum.mark == "window").mark_bar(height=ROW_HEIGHT * 0.6, opacity=0.9).encode(
        x=x, x2="end_exclusive:T", y=y, color=color, tooltip=tooltip)
    days = base.transform_filter(alt.datum.mark == "day").mark_point(filled=True, size=60, opacity=1).encode(
        x=x, y=y, color=color, tooltip=tooltip)
    open_bars = base.transform_filter(alt.datum.mark == "open").mark_bar(
        height=ROW_HEIGHT * 0.6, fillOpacity=0.18, strokeOpacity=0.9, strokeDash=[4, 3], strokeWidth=1.2).encode(
        x=x, x2="horizon:T", y=y, color=color, stroke=alt.Stroke("event_type:N", scale=alt.Scale(domain=types, scheme="tableau10"), legend=None),
        tooltip=tooltip)
    open_start = base.transform_filter(alt.datum.mark == "open").mark_tick(thickness=2, size=ROW_HEIGHT * 0.7).encode(
        x=x, y=y, color=color, tooltip=tooltip)
    arrows = base.transform_filter(alt.datum.mark == "open").mark_point(shape="triangle-right", filled=True, size=70).encode(
        x=alt.X("horizon:T", scale=x_scale), y=y, color=color, tooltip=tooltip)
    undated = sum(1 for e in events if e["date_start"] is None)
    chart = alt.layer(windows, days, open_bars, open_start, arrows).properties(
        width=WIDTH,
        height=alt.Step(ROW_HEIGHT),
        title=alt.TitleParams(
            f"Events in five Arabic articles on the US-led coalition in Iraq, as the articles date them (dataset {dataset_version})",
            subtitle=[
                "Bar: the window the sources allow (a month-precise date fills its month). Dot: a single day.",
                "Faded dashed bar ending in ▸: no end date (ongoing, or the sources give none), not an end on that day.",
                f"{len(rows)} dated events shown; {undated} undated events are not. Colour: event type.",
            ],
            anchor="start",
        ),
    ).configure_view(stroke=None).configure_axis(labelFont="DejaVu Sans", titleFont="DejaVu Sans").configure_title(
        font="DejaVu Sans", subtitleFont="DejaVu Sans").configure_legend(labelFont="DejaVu Sans", titleFont="DejaVu Sans")
    spec = chart.to_dict()
    spec.pop("$schema", None)  # the URL names the Altair-bundled schema version; not part of the picture
    return spec


def spec_json(spec: dict[str, Any]) -> str:
    """The specification as stable JSON text (what ``docs/timeline.vl.json`` holds)."""
    return json.dumps(spec, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render(spec: dict[str, Any], fmt: str, scale: float = 2.0) -> bytes:
    """Render a Vega-Lite spec with vl-convert: ``png`` (``scale`` pixels per unit), ``svg`` or ``html`` (self-contained)."""
    try:
        import vl_convert as vlc
    except ImportError:
        raise PlotError('rendering needs vl-convert: pip install "iraq-withdrawal[plot]"') from None
    text = json.dumps(spec, ensure_ascii=False)
    if fmt == "png":
        return vlc.vegalite_to_png(text, scale=scale)
    if fmt == "svg":
        return vlc.vegalite_to_svg(text).encode("utf-8")
    if fmt == "html":
        return _script_safe(vlc.vegalite_to_html(text, bundle=True)).encode("utf-8")
    raise PlotError(f"unknown format {fmt!r} (png, svg, html)")


def _script_safe(html: str) -> str:
    """The page with every ``<`` of the embedded specification written ``\\u003c``.

    vl-convert puts the specification, data included, in a ``<script>`` as JSON: a value holding
    ``</script>`` would end the script and run what follows. ``\\u003c`` is the same character to
    JavaScript and cannot close a tag.
    """
    head, marker, rest = html.partition("const spec = ")
    if not marker:
        raise PlotError("cannot place the data in the HTML page safely (unexpected vl-convert output); write .svg or .png")
    spec, newline, tail = rest.partition("\n")
    return head + marker + spec.replace("<", "\\u003c") + newline + tail


def write_timeline(directory: Path, out: Path, tables: Mapping[str, Any] | None = None, scale: float = 2.0) -> Path:
    """Draw the timeline of the release in ``directory`` into ``out`` (.png, .svg or .html); return ``out``."""
    out = Path(out)
    if out.suffix.lower() not in FORMATS:
        raise PlotError(f"{out.name}: the file name must end in {', '.join(FORMATS)}")
    dataset_version, schema_version = release_versions(Path(directory))
    if tables is None:
        tables = read_tables(Path(directory), schema_version)
    data = render(timeline_spec(tables, dataset_version), out.suffix.lower().lstrip("."), scale=scale)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    return out
