"""Provenance pages of the shipped release 1.0.0: static checks, and a real browser.

The browser test serves the site with ``python -m http.server`` on 127.0.0.1 and
loads a checking page into headless Chromium (``--dump-dom``): that page opens each
article in a frame and reports, from the live DOM, the highlighted spans, their
text, their links and the computed text direction.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from iraq_withdrawal.datasets.release_read import read_release
from iraq_withdrawal.datasets.site import MARKER_FILE, RECORD_TABLES, SiteError, site_pages, write_site
from iraq_withdrawal.datasets.spans import Span, segments
from iraq_withdrawal.io.releases import released_versions

from .browser import dump_dom, screenshot, static_server
from .conftest import REPO, invoke

RELEASE = REPO / "datasets" / "releases" / released_versions(REPO / "datasets" / "releases")[-1]  # the newest release


@pytest.fixture(scope="module")
def release():
    return read_release(RELEASE)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return write_site(RELEASE, tmp_path_factory.mktemp("site") / "site")


class _Marks(HTMLParser):
    """Collect mark pieces (key, id, text) and link targets of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str | None] = []
        self.pieces: dict[str, str] = {}
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.article = ""
        self.in_article = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag == "article":
            self.in_article = True
        if tag == "mark":
            self.stack.append(attrs.get("data-ev"))

    def handle_endtag(self, tag):
        if tag == "mark":
            self.stack.pop()
        if tag == "article":
            self.in_article = False

    def handle_data(self, data):
        if self.in_article:
            self.article += data
        for key in self.stack:
            if key:
                self.pieces[key] = self.pieces.get(key, "") + data


def _parse(path: Path) -> _Marks:
    parser = _Marks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_segments_keep_every_span_whole_when_spans_overlap() -> None:
    text = "abcdefghij"
    spans = [Span(0, 5, "a"), Span(3, 8, "b"), Span(3, 8, "c"), Span(4, 5, "d"), Span(9, 10, "e")]
    parts = segments(len(text), spans)
    assert "".join(text[s.start:s.end] for s in parts) == text
    for span in spans:
        assert "".join(text[s.start:s.end] for s in parts if span in s.spans) == text[span.start:span.end]
    # outermost first: at 4..5 all of a, b, c, d cover the character; d (shortest) is innermost
    at4 = next(s for s in parts if s.start == 4)
    assert [s.key for s in at4.spans] == ["a", "b", "c", "d"]
    with pytest.raises(ValueError):
        segments(3, [Span(2, 5, "x")])


def test_every_source_page_highlights_every_span_with_its_quote(site: Path, release) -> None:
    for source in release.rows("sources"):
        page = _parse(site / "sources" / f"{source['id']}.html")
        rows = [r for r in release.rows("evidence") if r["source"] == source["id"]]
        assert page.article == release.texts[source["id"]], "the article text must be the source text, unchanged"
        expected = {f"{r['record']}-{r['seq']}": r["quote"] for r in rows}
        assert page.pieces == expected
        assert {f"ev-{k}" for k in expected} <= page.ids
        for r in rows:  # each span links to the record it supports
            assert f"../records/{r['record']}.html#ev-{r['seq']}" in page.hrefs


def test_every_record_has_a_page_whose_evidence_links_to_its_highlighted_span(site: Path, release) -> None:
    targets = {s["id"]: _parse(site / "sources" / f"{s['id']}.html").ids for s in release.rows("sources")}
    for table in RECORD_TABLES:
        for row in release.rows(table):
            page = site / "records" / f"{row['id']}.html"
            parsed = _parse(page)
            evidence = [r for r in release.rows("evidence") if r["record"] == row["id"]]
            assert evidence, row["id"]
            for r in evidence:
                href = f"../sources/{r['source']}.html#ev-{row['id']}-{r['seq']}"
                assert href in parsed.hrefs, f"{page.name} has no link to its span {href}"
                assert f"ev-{row['id']}-{r['seq']}" in targets[r["source"]]
                assert f"ev-{r['seq']}" in parsed.ids
    statement = (site / "records" / "stm-44bb0898-001.html").read_text(encoding="utf-8")
    assert "<mark>وفقاً لما أعلنه رئيس الحكومة العراقية مصطفى الكاظمي</mark>" in statement  # quote in context
    assert 'href="../records/act-mustafa-al-kadhimi.html"' in statement  # the speaker, linked


def test_site_is_deterministic_self_contained_and_safe_to_rewrite(site: Path, tmp_path: Path, release) -> None:
    again = write_site(RELEASE, tmp_path / "again")
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert all((site / f).read_bytes() == (again / f).read_bytes() for f in files)
    pages = site_pages(release)
    assert len([p for p in pages if p.startswith("records/")]) == sum(release.tables[t].num_rows for t in RECORD_TABLES)
    for name, text in pages.items():  # nothing fetched from elsewhere
        assert not re.search(r'(src|href)="(https?:)?//', text), name
        assert "@import" not in text and "url(" not in text, name
    write_site(RELEASE, again)  # an earlier site is replaced
    assert (again / MARKER_FILE).is_file()
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SiteError):
        write_site(RELEASE, other)
    assert (other / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_cli_writes_the_site(tmp_path: Path) -> None:
    result = invoke("site", "--out", str(tmp_path / "s"), "--release", str(RELEASE))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s" / "index.html").is_file() and (tmp_path / "s" / "sources" / "src-3bc87bab.html").is_file()
    other = tmp_path / "busy"
    other.mkdir()
    (other / "x").write_text("x", encoding="utf-8")
    refused = invoke("site", "--out", str(other))
    assert refused.exit_code == 1 and "is not a provenance site" in refused.output


_CHECKER = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<script type="application/json" id="expected">%s</script><pre id="out">pending</pre>
<script>
const expected = JSON.parse(document.getElementById('expected').textContent);
function load(url) {
  return new Promise(resolve => {
    const frame = document.createElement('iframe');
    frame.onload = () => resolve(frame.contentDocument);
    frame.src = url;
    document.body.append(frame);
  });
}
async function check() {
  const out = {sources: {}, click: null};
  for (const [source, spans] of Object.entries(expected.sources)) {
    const doc = await load('sources/' + source + '.html');
    const article = doc.querySelector('article');
    const pieces = {};
    for (const mark of doc.querySelectorAll('mark.ev')) {
      pieces[mark.dataset.ev] = (pieces[mark.dataset.ev] || '') + mark.textContent;
    }
    const hrefs = new Set([...doc.querySelectorAll('a[href]')].map(a => a.getAttribute('href')));
    out.sources[source] = {
      direction: getComputedStyle(article).direction,
      lang: article.lang,
      marks_with_id: doc.querySelectorAll('mark.ev[id]').length,
      spans: Object.keys(pieces).length,
      wrong_text: Object.keys(spans).filter(k => pieces[k] !== spans[k].quote),
      unlinked: Object.keys(spans).filter(k => !hrefs.has(spans[k].href)),
      same_text: article.textContent === expected.texts[source],
    };
  }
  // one click from a statement page to its highlighted span
  const record = await load('records/' + expected.click.record + '.html');
  const link = record.querySelector('a.goto');
  const target = await load(link.getAttribute('href'));
  const hash = decodeURIComponent(new URL(link.href).hash.slice(1));
  const mark = target.getElementById(hash);
  const key = mark && mark.dataset.ev;
  out.click = {
    href: link.getAttribute('href'),
    tag: mark && mark.tagName,
    text: key && [...target.querySelectorAll('mark.ev')].filter(m => m.dataset.ev === key).map(m => m.textContent).join(''),
  };
  document.getElementById('out').textContent = JSON.stringify(out);
}
check().catch(e => { document.getElementById('out').textContent = 'error: ' + e; });
</script></body></html>
"""


@pytest.mark.slow  # starts a server or a browser
def test_in_chromium_every_span_is_highlighted_linked_and_rtl(site: Path, release, tmp_path: Path) -> None:
    served = tmp_path / "served"
    shutil.copytree(site, served)
    spans: dict[str, dict] = {}
    for r in release.rows("evidence"):
        spans.setdefault(r["source"], {})[f"{r['record']}-{r['seq']}"] = {
            "quote": r["quote"], "href": f"../records/{r['record']}.html#ev-{r['seq']}"}
    quote = next(r["quote"] for r in release.rows("evidence") if r["record"] == "stm-44bb0898-001")
    expected = {"sources": spans, "texts": dict(release.texts), "click": {"record": "stm-44bb0898-001"}}
    payload = json.dumps(expected, ensure_ascii=False).replace("</", "<\\/")
    (served / "check.html").write_text(_CHECKER % payload, encoding="utf-8")
    with static_server(served) as url:
        dom = dump_dom(f"{url}/check.html", budget_ms=20000)
        screenshot(f"{url}/sources/src-50c1e03c.html", tmp_path / "provenance-screenshot.png", width=1280, height=1100)
        screenshot(f"{url}/records/stm-44bb0898-001.html", tmp_path / "provenance-record-screenshot.png",
                   width=1280, height=800)
    found = re.search(r'<pre id="out">(.*?)</pre>', dom, re.S)
    assert found and found.group(1).startswith("{"), f"the checking page did not finish: {found and found.group(1)[:300]}"
    result = json.loads(found.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
    for source, rows in spans.items():
        seen = result["sources"][source]
        assert seen["direction"] == "rtl" and seen["lang"] == "ar", source
        assert seen["marks_with_id"] == len(rows) == seen["spans"], source
        assert seen["wrong_text"] == [] and seen["unlinked"] == [] and seen["same_text"], source
    assert result["click"] == {"href": "../sources/src-44bb0898.html#ev-stm-44bb0898-001-1", "tag": "MARK", "text": quote}
