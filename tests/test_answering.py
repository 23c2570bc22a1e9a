"""The README's "Answering questions": four research questions on the shipped release, each with at most one join.

Each question is answered in pandas (through ``iraq_withdrawal.load``) and in DuckDB SQL (on the
release's Parquet files), the two answers must agree, and the answer is checked against the
normalised tables, so a flat table that drifted from the records would fail here too.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

import iraq_withdrawal

RELEASE = iraq_withdrawal.release_path()
YEAR_START, YEAR_END = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31")


def _sql(query: str) -> pd.DataFrame:
    return duckdb.connect().sql(query.replace("RELEASE", str(RELEASE))).df()


@pytest.fixture(scope="module")
def normalised() -> dict[str, pd.DataFrame]:
    return {t: iraq_withdrawal.load(t) for t in ("events", "event_actors", "actors", "statements", "figures", "evidence")}


def test_a_timeline_of_2024_with_actor_names(normalised) -> None:
    """(a) Events that overlap 2024, open ends included, with their actors' English names: no join."""
    ev = iraq_withdrawal.load("events_flat")
    assert str(ev.date_start.dtype).startswith("datetime64")  # .dt and Timestamp comparisons work
    overlaps = ev[(ev.date_start <= YEAR_END) & (ev.date_end.isna() | (ev.date_end >= YEAR_START))]
    timeline = overlaps.sort_values("date_start")[["id", "date_start", "date_end", "summary_en", "initiators_en", "targets_en"]]
    sql = _sql("""
        SELECT id, date_start, date_end, summary_en, initiators_en, targets_en
        FROM read_parquet('RELEASE/events_flat.parquet')
        WHERE date_start <= DATE '2024-12-31' AND (date_end IS NULL OR date_end >= DATE '2024-01-01')
        ORDER BY date_start, id""")
    assert set(sql["id"]) == set(timeline["id"])
    # against the records: every dated event whose interval meets 2024, and no other
    events = normalised["events"]
    expected = {r.id for r in events.itertuples() if pd.notna(r.date_start) and r.date_start.year <= 2024
                and (pd.isna(r.date_end) or r.date_end.year >= 2024)}
    assert set(timeline["id"]) == expected
    assert ev.date_end.isna().sum() > 0 and any(pd.isna(d) for d in overlaps.date_end)  # open ends are kept, not dropped
    names = normalised["actors"].set_index("id")["name_en"]
    links = normalised["event_actors"]
    for row in timeline.itertuples():
        initiators = sorted(links[(links.event == row.id) & (links.role == "initiator")].actor)
        assert list(row.initiators_en) == [names[a] for a in initiators]


def test_b_statements_by_iraqi_officials(normalised) -> None:
    """(b) Statements by Iraqi officials with a date bound and the English text: no join."""
    st = iraq_withdrawal.load("statements_flat")
    officials = st[(st.speaker_country == "IQ") & (st.speaker_public_office == True)]  # noqa: E712 - a nullable boolean column
    sql = _sql("""
        SELECT id, speaker_name_en, coalesce(date_end, reported_end) AS said_by, text_en
        FROM read_parquet('RELEASE/statements_flat.parquet')
        WHERE speaker_country = 'IQ' AND speaker_public_office""")
    assert set(sql["id"]) == set(officials["id"]) and len(officials) > 0
    assert sql["said_by"].notna().all()  # every statement is bounded: by its date, else by its article's window
    speakers = set(officials["speaker_name_en"])
    assert {"Mustafa al-Kadhimi", "Qasim al-Araji"} <= speakers
    assert not speakers & {"Hashim Abdul Karim", "Qais al-Khazali", "Many Iraqi military experts"}  # analyst, militia, experts
    actors = normalised["actors"].set_index("id")
    for row in officials.itertuples():
        assert actors.loc[row.speaker, "country"] == "IQ" and actors.loc[row.speaker, "public_office"]


def test_c_casualty_figures_with_event_and_date(normalised) -> None:
    """(c) Every casualty figure with its event and date, by the coded measure, not by a regex."""
    fig = iraq_withdrawal.load("figures_flat")
    casualties = fig[fig.measure.isin(["killed", "injured"])]
    sql = _sql("""
        SELECT id, measure, value, event, event_summary_en, event_date_start
        FROM read_parquet('RELEASE/figures_flat.parquet') WHERE measure IN ('killed', 'injured')""")
    assert set(sql["id"]) == set(casualties["id"])
    tanf = casualties[casualties.event_date_start == pd.Timestamp("2024-01-28")]
    assert dict(zip(tanf.measure, tanf.value)) == {"killed": 3.0, "injured": 34.0}
    figures = normalised["figures"].set_index("id")
    assert all(figures.loc[i, "measure"] in ("killed", "injured") for i in casualties["id"])


def test_d_events_reported_by_several_sources(normalised) -> None:
    """(d) Which sources report the same event: source_ids and source_count on the event, no join."""
    ev = iraq_withdrawal.load("events_flat")
    several = ev[ev.source_count >= 2]
    sql = _sql("SELECT id, source_ids FROM read_parquet('RELEASE/events_flat.parquet') WHERE source_count >= 2")
    assert set(sql["id"]) == set(several["id"]) and len(several) > 0
    evidence = normalised["evidence"]
    by_event = evidence[evidence.record_table == "events"].groupby("record")["source"].agg(lambda s: sorted(set(s)))
    for row in several.itertuples():
        assert list(row.source_ids) == by_event[row.id]
    assert {i for i, s in by_event.items() if len(s) >= 2} == set(several["id"])


def test_every_record_has_a_reporting_interval(normalised) -> None:
    for table in ("events", "statements", "figures"):
        frame = normalised[table]
        assert frame.reported_start.notna().all() and frame.reported_end.notna().all(), table
        assert (frame.reported_start <= frame.reported_end).all(), table
    assert isinstance(iraq_withdrawal.source_text("src-44bb0898"), str)
    assert dt.date(2021, 12, 13) == normalised["statements"].query("source == 'src-44bb0898'").reported_end.iloc[0].date()
