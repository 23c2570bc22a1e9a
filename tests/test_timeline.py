"""The timeline picture of the newest shipped release (Vega-Altair, rendered by vl-convert)."""

from __future__ import annotations

import html
import json
import struct

import pytest

pytest.importorskip("altair", reason='the timeline needs the optional extra: pip install "iraq-withdrawal[plot]"')
pytest.importorskip("vl_convert", reason='the timeline needs the optional extra: pip install "iraq-withdrawal[plot]"')

# after the skips above: without the extra, the test module is skipped, not an import error
from iraq_withdrawal.datasets.release_read import read_tables, release_versions  # noqa: E402 - after the skips
from iraq_withdrawal.datasets.timeline import render, spec_json, timeline_rows, timeline_spec  # noqa: E402 - after the skips
from iraq_withdrawal.io.releases import released_versions  # noqa: E402 - after the skips

from .conftest import REPO, invoke  # noqa: E402 - after the skips

RELEASE = REPO / "datasets" / "releases" / released_versions(REPO / "datasets" / "releases")[-1]  # the newest release
DOCS = REPO / "docs"


@pytest.fixture(scope="module")
def tables():
    return read_tables(RELEASE)


@pytest.fixture(scope="module")
def spec(tables):
    return timeline_spec(tables, release_versions(RELEASE)[0])


def _values(spec) -> list[dict]:
    return spec["data"]["values"] if "data" in spec else next(iter(spec["datasets"].values()))


def test_every_dated_event_is_in_the_chart_and_no_other(spec, tables) -> None:
    events = tables["events"].to_pylist()
    dated = {e["id"] for e in events if e["date_start"] is not None}
    drawn = _values(spec)
    assert {r["id"] for r in drawn} == dated and len(drawn) == len(dated) == 50
    assert len({r["label"] for r in drawn}) == len(drawn), "rows would merge on the y axis"
    assert f"{len(events) - len(dated)} undated events are not" in " ".join(spec["title"]["subtitle"])
    assert [r["start"] for r in drawn] == sorted(r["start"] for r in drawn)


def test_windows_days_and_open_ends_are_drawn_differently(spec, tables) -> None:
    by_id = {e["id"]: e for e in tables["events"].to_pylist()}
    rows = {r["id"]: r for r in _values(spec)}
    for event_id, row in rows.items():
        event = by_id[event_id]
        if event["date_end"] is None:
            assert row["mark"] == "open" and row["end"] is None and row["horizon"] > row["start"]
        elif event["date_end"] == event["date_start"]:
            assert row["mark"] == "day"
        else:  # the bar covers the last allowed day: March 2003 runs to 1 April, exclusive
            assert row["mark"] == "window" and row["end_exclusive"] > row["end"]
    assert rows["evt-2003-03-us-invasion-of-iraq"]["end_exclusive"] == "2003-04-01"
    assert rows["evt-2027-us-troops-may-remain-at-harir-3bc87bab"]["mark"] == "open"
    layers = [(json.dumps(layer["transform"]), layer) for layer in spec["layer"]]
    open_bar = next(layer for k, layer in layers if "'open'" in k and layer["mark"]["type"] == "bar")
    window_bar = next(layer for k, layer in layers if "'window'" in k)
    assert open_bar["mark"]["strokeDash"] and "strokeDash" not in window_bar["mark"]
    assert open_bar["mark"]["fillOpacity"] < 0.5 <= window_bar["mark"]["opacity"]
    assert any(layer["mark"].get("shape") == "triangle-right" for layer in spec["layer"])  # the arrow at an open end
    for layer in spec["layer"]:  # colour by type, Arabic summary in the tooltip
        assert layer["encoding"]["color"]["field"] == "event_type"
        assert {"field": "summary_ar", "title": "الملخص", "type": "nominal"} in layer["encoding"]["tooltip"]


def test_rendered_png_and_svg_are_real_pictures(spec) -> None:
    png = render(spec, "png", scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width > 1000 and height > 900 and len(png) > 50_000
    svg = render(spec, "svg").decode("utf-8")
    assert svg.startswith("<svg") and svg.count("<path") > 50
    for row in _values(spec):
        assert html.escape(row["label"], quote=False) in svg, row["id"]


def test_shipped_timeline_is_current(spec) -> None:
    """Like the codebook: docs/timeline.vl.json is the spec of the shipped release, and the SVG shows it."""
    committed = (DOCS / "timeline.vl.json").read_text(encoding="utf-8")
    assert committed == spec_json(spec), (
        "docs/timeline.vl.json is stale: run `iraq-withdrawal plot timeline --out docs/timeline.svg "
        "--spec docs/timeline.vl.json`")
    svg = (DOCS / "timeline.svg").read_text(encoding="utf-8")
    for row in _values(spec):
        assert html.escape(row["label"], quote=False) in svg, f"docs/timeline.svg lacks {row['id']}: regenerate it"


def test_cli_writes_png_svg_html_and_refuses_other_names(tmp_path) -> None:
    for name in ("t.png", "t.svg", "t.html"):
        result = invoke("plot", "timeline", "--out", str(tmp_path / name), "--release", str(RELEASE), "--scale", "1")
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).stat().st_size > 10_000
    assert "الملخص" in (tmp_path / "t.html").read_text(encoding="utf-8")
    refused = invoke("plot", "timeline", "--out", str(tmp_path / "t.gif"))
    assert refused.exit_code == 2 and ".png, .svg, .html" in refused.output
    assert timeline_rows([]) == []
