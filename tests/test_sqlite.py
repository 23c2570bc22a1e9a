"""The SQLite database and its Datasette metadata, built from the shipped release 1.0.0.

The Datasette tests use Datasette itself (``pip install "iraq-withdrawal[browse]"``):
its in-process client, and a real server on 127.0.0.1 for the screenshot.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
from pathlib import Path

import pytest

from iraq_withdrawal.cli.app import app  # noqa: F401  (commands registered)
from iraq_withdrawal.datasets.release_read import read_tables, release_versions
from iraq_withdrawal.datasets.sqlite import (
    CANNED_QUERIES,
    DATABASE,
    EXTRA_COLUMNS,
    PAGE_SIZE,
    SEARCH_COLUMNS,
    create_table_sql,
    write_browse_files,
    write_sqlite,
)
from iraq_withdrawal.io.releases import released_versions
from iraq_withdrawal.schema.derive import columns

from .browser import free_port, screenshot, server
from .conftest import REPO, invoke

RELEASE = REPO / "datasets" / "releases" / released_versions(REPO / "datasets" / "releases")[-1]  # the newest release


@pytest.fixture(scope="module")
def browse_files(tmp_path_factory) -> tuple[Path, Path]:
    return write_browse_files(RELEASE, out=tmp_path_factory.mktemp("db"))


@pytest.fixture(scope="module")
def db(browse_files) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{browse_files[0]}?mode=ro", uri=True)
    yield conn
    conn.close()


def _search(db: sqlite3.Connection, table: str, words: str) -> set[str]:
    key = "record || '-' || seq" if table == "evidence" else "id"
    query = f'select {key} from {table} where rowid in (select rowid from {table}_fts where {table}_fts match ?)'
    return {row[0] for row in db.execute(query, ('"' + words + '"',))}


def test_two_builds_are_byte_identical(tmp_path: Path, browse_files) -> None:
    again = write_sqlite(RELEASE, out=tmp_path)
    assert again.read_bytes() == browse_files[0].read_bytes()
    tables = read_tables(RELEASE)
    from_memory = write_sqlite(RELEASE, tables, out=tmp_path / "memory")
    assert from_memory.read_bytes() == browse_files[0].read_bytes()
    assert int.from_bytes(browse_files[0].read_bytes()[16:18], "big") == PAGE_SIZE
    assert not list(tmp_path.glob(".tmp-*")), "temporary files left behind"


def test_every_table_with_its_rows_keys_and_types(db: sqlite3.Connection) -> None:
    release = read_tables(RELEASE)
    version = release_versions(RELEASE)[1]
    for table, arrow in release.items():
        assert db.execute(f'select count(*) from "{table}"').fetchone()[0] == arrow.num_rows, table
        info = {row[1]: row for row in db.execute(f'pragma table_info("{table}")')}
        extra = [EXTRA_COLUMNS[table][0]] if table in EXTRA_COLUMNS else []
        assert list(info) == [c.name for c in columns(table, version)] + extra
        keys = sorted((row[5], name) for name, row in info.items() if row[5])
        assert [name for _, name in keys] == [c.name for c in columns(table, version) if c.primary_key], table
        declared = {(fk[3], f"{fk[2]}.{fk[4]}") for fk in db.execute(f'pragma foreign_key_list("{table}")')}
        # a list of ids (figures.also_claimed_by) is JSON text in SQLite: no key can hold it; validate checks its items
        assert declared == {(c.name, c.foreign_key) for c in columns(table, version) if c.foreign_key and c.kind != "list"}, table
    assert db.execute("pragma foreign_key_check").fetchall() == []
    # values keep their meaning: dates as ISO text, lists as JSON arrays, numbers as numbers
    assert db.execute("select date_start from events where id = 'evt-2011-us-withdrawal-from-iraq'").fetchone() == ("2011-12-01",)
    aliases = db.execute("select aliases_ar from actors where aliases_ar != '[]' limit 1").fetchone()[0]
    assert isinstance(json.loads(aliases), list)
    assert db.execute("select typeof(value) from figures where value is not null limit 1").fetchone() == ("real",)
    assert "FOREIGN KEY (\"speaker\") REFERENCES \"actors\"(\"id\")" in create_table_sql("statements")


def test_every_quote_is_still_at_its_offsets(db: sqlite3.Connection) -> None:
    texts = {sid: (RELEASE / path).read_text(encoding="utf-8") for sid, path in db.execute("select id, text_path from sources")}
    rows = db.execute("select source, char_start, char_end, quote from evidence").fetchall()
    assert len(rows) == read_tables(RELEASE)["evidence"].num_rows
    assert all(texts[s][a:b] == q for s, a, b, q in rows)


def test_arabic_search_with_and_without_the_article(db: sqlite3.Connection) -> None:
    """The true behaviour the README documents: whole words, clitics included, harakat ignored."""
    with_article = _search(db, "statements", "الانسحاب")
    without_article = _search(db, "statements", "انسحاب")
    # stm-3bc87bab-002 says الانسحاب; stm-3bc87bab-019 says "إلى انسحاب قوات التحالف"
    assert "stm-3bc87bab-002" in with_article and "stm-3bc87bab-002" not in without_article
    assert "stm-3bc87bab-019" in without_article and "stm-3bc87bab-019" not in with_article
    assert with_article and without_article and not with_article & without_article
    # a word with another clitic (بالانسحاب, للانسحاب...) is found by neither, but by the substring query
    clitic = {sid for sid, text in db.execute("select id, text_ar from statements")
              if any(w.endswith("انسحاب") and w not in ("انسحاب", "الانسحاب") for w in text.split())}
    assert clitic and not clitic & (with_article | without_article)
    sql = CANNED_QUERIES["search_substring"]["sql"]
    found = {r[1] for r in db.execute(sql, {"text": "انسحاب"}) if r[0] == "statements"}
    assert clitic | with_article | without_article <= found
    # harakat do not split or hide a word: stm-44bb0898-001 reads مهامّه (with shadda)
    assert "مهامّه" in db.execute("select text_ar from statements where id = 'stm-44bb0898-001'").fetchone()[0]
    assert "stm-44bb0898-001" in _search(db, "statements", "مهامه")
    # hamza forms are not folded: the spelling without hamza does not find إسرائيل
    assert _search(db, "statements", "إسرائيل") and not _search(db, "statements", "اسرائيل")
    # English, evidence quotes and actor names are searchable too
    assert "stm-44bb0898-001" in _search(db, "statements", "combat missions")
    assert "stm-44bb0898-001-1" in _search(db, "evidence", "مصطفى الكاظمي")
    assert "act-associated-press" in _search(db, "actors", "Associated Press")
    assert set(SEARCH_COLUMNS) <= {r[0].removesuffix("_fts") for r in db.execute("select name from sqlite_master where name like '%_fts'")}


def test_canned_queries_answer(db: sqlite3.Connection) -> None:
    params = {"speaker": "", "unit": "", "measure": "", "text": "العراق"}
    for name, query in CANNED_QUERIES.items():
        rows = db.execute(query["sql"], params).fetchall()
        assert rows, f"canned query {name} returns nothing"
    timeline = db.execute(CANNED_QUERIES["timeline"]["sql"]).fetchall()
    dated = db.execute("select count(*) from events where date_start is not null").fetchone()[0]
    assert len(timeline) == dated and [r[1] for r in timeline] == sorted(r[1] for r in timeline)
    several = db.execute(CANNED_QUERIES["events_in_several_sources"]["sql"]).fetchall()
    assert several and all(r[6] >= 2 for r in several)
    casualties = db.execute(CANNED_QUERIES["figures_by_measure"]["sql"], {"measure": "killed"}).fetchall()
    assert casualties and {r[0] for r in casualties} == {"killed"}  # figures by measure: a filter, not a regex
    kadhimi = db.execute(CANNED_QUERIES["statements_by_speaker"]["sql"], {"speaker": "Kadhimi"}).fetchall()
    assert kadhimi and {r[2] for r in kadhimi} == {"Mustafa al-Kadhimi"}
    counts = db.execute(CANNED_QUERIES["figures_by_unit"]["sql"], {"unit": "count"}).fetchall()
    assert len(counts) == db.execute("select count(*) from figures where unit = 'count'").fetchone()[0]


def test_metadata_describes_every_table_and_column(browse_files) -> None:
    metadata = json.loads(browse_files[1].read_text(encoding="utf-8"))
    tables = metadata["databases"][DATABASE]["tables"]
    for table in read_tables(RELEASE):
        meta = tables[table]
        extra = {EXTRA_COLUMNS[table][0]} if table in EXTRA_COLUMNS else set()
        assert meta["description"] and set(meta["columns"]) == {c.name for c in columns(table, release_versions(RELEASE)[1])} | extra
        assert all(meta["columns"].values())
    assert tables["events"]["facets"][:2] == ["event_type", "status"]
    assert {"unit", "qualifier", "source"} <= set(tables["figures"]["facets"])
    assert {"source", "stance"} <= set(tables["statements"]["facets"])
    assert tables["actors"]["label_column"] == "name_en" and tables["statements"]["fts_table"] == "statements_fts"
    assert "CC BY 4.0" in metadata["license"] and metadata["license_url"]


def test_cli_writes_the_same_files(tmp_path: Path, browse_files) -> None:
    result = invoke("sqlite", "--out", str(tmp_path), "--release", str(RELEASE))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "iraq-withdrawal.db").read_bytes() == browse_files[0].read_bytes()
    assert (tmp_path / "datasette-metadata.json").read_text(encoding="utf-8") == browse_files[1].read_text(encoding="utf-8")
    assert invoke("sqlite", "--out", str(tmp_path), "--release", str(tmp_path / "nowhere")).exit_code == 2


# --- Datasette ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def datasette(browse_files):
    pytest.importorskip("datasette", reason='Datasette is an optional extra: pip install "iraq-withdrawal[browse]"')
    from datasette.app import Datasette

    metadata = json.loads(browse_files[1].read_text(encoding="utf-8"))
    return Datasette([str(browse_files[0])], metadata=metadata)


def _get(ds, path: str, **params):
    async def fetch():
        return await ds.client.get(path, params=params or None)

    response = asyncio.run(fetch())
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:500]}"
    return response


@pytest.mark.slow  # starts a server or a browser
def test_datasette_loads_every_table(datasette) -> None:
    for table, arrow in read_tables(RELEASE).items():
        data = _get(datasette, f"/{DATABASE}/{table}.json", _size="0").json()
        assert data["filtered_table_rows_count"] == arrow.num_rows, table
    listed = {t["name"]: t["hidden"] for t in _get(datasette, f"/{DATABASE}.json").json()["tables"]}
    assert listed["statements_fts"] is True and listed["statements"] is False


@pytest.mark.slow  # starts a server or a browser
def test_datasette_renders_labels_facets_and_arabic_search(datasette) -> None:
    rows = _get(datasette, f"/{DATABASE}/statements.json", id="stm-44bb0898-001", _labels="on", _shape="objects").json()["rows"]
    assert rows[0]["speaker"] == {"value": "act-mustafa-al-kadhimi", "label": "Mustafa al-Kadhimi"}
    page = _get(datasette, f"/{DATABASE}/statements").text
    assert "Mustafa al-Kadhimi" in page and "/actors/act-" in page  # the label, linked to the actor's row
    sources = _get(datasette, f"/{DATABASE}/statements.json", source="src-3bc87bab", _labels="on", _shape="objects").json()["rows"]
    assert sources[0]["source"]["label"] == "Untitled article, publisher not printed, 2024-07-26"
    facets = _get(datasette, f"/{DATABASE}/events.json", _size="0").json()["facet_results"]
    counted = {r["value"]: r["count"] for r in facets["event_type"]["results"]}
    assert counted["military_posture"] == 35 and sum(counted.values()) == 113
    assert {"status", "date_precision"} <= set(facets)
    found = _get(datasette, f"/{DATABASE}/statements.json", _search="مهامه", _shape="objects").json()["rows"]
    assert "stm-44bb0898-001" in {r["id"] for r in found}
    searched = _get(datasette, f"/{DATABASE}/statements.json", _search="الانسحاب", _shape="objects").json()["rows"]
    assert "stm-3bc87bab-002" in {r["id"] for r in searched} and "stm-3bc87bab-019" not in {r["id"] for r in searched}
    columns_meta = _get(datasette, f"/{DATABASE}/statements").text
    assert "Stance towards foreign troops in Iraq." in columns_meta  # column descriptions shown


@pytest.mark.slow  # starts a server or a browser
def test_datasette_runs_the_canned_queries(datasette) -> None:
    params = {"speaker": "Kadhimi", "unit": "count", "text": "انسحاب"}
    for name in CANNED_QUERIES:
        data = _get(datasette, f"/{DATABASE}/{name}.json", _shape="objects", **params).json()
        assert data["rows"], name


@pytest.mark.slow  # starts a server or a browser
def test_datasette_server_page_in_a_browser(browse_files, tmp_path: Path) -> None:
    pytest.importorskip("datasette", reason='Datasette is an optional extra: pip install "iraq-withdrawal[browse]"')
    port = free_port()
    db, metadata = browse_files
    command = [sys.executable, "-m", "datasette", "serve", str(db), "--metadata", str(metadata),
               "--host", "127.0.0.1", "--port", str(port)]
    with server(command, port) as url:
        import urllib.request

        with urllib.request.urlopen(f"{url}/{DATABASE}/statements?speaker=act-mustafa-al-kadhimi") as response:
            assert "Mustafa al-Kadhimi" in response.read().decode("utf-8")
        picture = screenshot(f"{url}/{DATABASE}/statements?_search=%D8%A7%D9%84%D8%A7%D9%86%D8%B3%D8%AD%D8%A7%D8%A8",
                             tmp_path / "datasette-screenshot.png", width=1400, height=2100)
    assert picture.stat().st_size > 20_000


@pytest.mark.slow  # starts a server or a browser
def test_browse_command_serves_the_release_and_stops_its_server(tmp_path: Path) -> None:
    pytest.importorskip("datasette", reason='Datasette is an optional extra: pip install "iraq-withdrawal[browse]"')
    import os
    import subprocess
    import urllib.request

    from .browser import wait_for_port

    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]))
    process = subprocess.Popen([sys.executable, "-m", "iraq_withdrawal", "browse", "--release", str(RELEASE), "--port", str(port)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, process)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{DATABASE}/timeline.json?_shape=objects") as response:
            assert json.loads(response.read())["rows"][0]["id"] == "evt-2003-03-shock-and-awe-bombing-campaign"
    finally:
        process.terminate()
        process.wait(timeout=20)
    import socket

    with pytest.raises(OSError):  # the Datasette server went with the command
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_column_values_are_the_cells_of_rows() -> None:
    """The database takes its values column-wise: the same values, of the same Python types, as _cell of each row's."""
    from hypothesis import given

    from iraq_withdrawal.datasets.sqlite import _cell, _sql_values

    from .test_properties import any_tables, reproducible

    @reproducible(200)
    @given(any_tables())
    def check(arrow_table) -> None:
        for column in arrow_table.columns:
            expected = [_cell(value) for value in column.to_pylist()]
            got = _sql_values(column)
            assert [(type(v), repr(v)) for v in got] == [(type(v), repr(v)) for v in expected], column.type  # repr: nan != nan

    check()
