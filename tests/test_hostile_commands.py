"""Hostile inputs to the commands other than ``validate``: build, release, diff, schema diff, coverage.

The contract of docs/security.md for each: exit 0, 1 or 2 with a message and no traceback,
nothing written or changed on failure, nothing read outside the paths given.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from iraq_withdrawal.datasets.release import release
from iraq_withdrawal.validators.coverage import coverage, coverage_findings
from iraq_withdrawal.validators.provenance import Span

from .conftest import BASE, invoke
from .fixture_runner import edit_descriptor


def _tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): (p.read_bytes() if p.is_file() and not p.is_symlink() else b"<link or dir>")
            for p in sorted(path.rglob("*"))}


def test_build_never_replaces_a_directory_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "datapackage.json").write_text('{"resources": []}', encoding="utf-8")  # any Frictionless package
    (out / "notes.txt").write_text("the user's own", encoding="utf-8")
    before = _tree(out)
    result = invoke("build", str(BASE), "--out", str(out))
    assert result.exit_code == 1 and "refusing to replace it" in result.output
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_build_never_replaces_another_package_whose_sha256sums_lists_everything(tmp_path: Path) -> None:
    """Every file listed in a SHA256SUMS was taken for an earlier build: another package that keeps one lost its files."""
    out = tmp_path / "mine"
    out.mkdir()
    (out / "datapackage.json").write_text('{"name": "other", "resources": []}', encoding="utf-8")
    (out / "notes.txt").write_text("the user's own", encoding="utf-8")
    sums = "".join(f"{hashlib.sha256((out / n).read_bytes()).hexdigest()}  {n}\n" for n in ("datapackage.json", "notes.txt"))
    (out / "SHA256SUMS").write_text(sums, encoding="utf-8")
    before = _tree(out)
    result = invoke("build", str(BASE), "--out", str(out))
    assert result.exit_code == 1 and "refusing to replace it" in result.output, result.output
    assert _tree(out) == before


def test_build_replaces_its_own_earlier_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke("build", str(BASE), "--out", str(out)).exit_code == 0
    assert invoke("build", str(BASE), "--out", str(out), "--dataset-version", "9.9.9").exit_code == 0
    assert '"version": "9.9.9"' in (out / "datapackage.json").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_build_does_not_write_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "keep.txt").write_text("keep", encoding="utf-8")
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    result = invoke("build", str(BASE), "--out", str(tmp_path / "link"))
    assert result.exit_code == 1 and "symbolic link" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]  # no .link.old-<pid> left
    assert _tree(real) == {"keep.txt": b"keep"}


def test_build_refuses_the_current_directory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.txt").write_text("x", encoding="utf-8")
    for out in (".", str(tmp_path), ".."):
        result = invoke("build", str(BASE), "--out", out)
        assert result.exit_code == 1 and "current directory" in result.output, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt"]


def test_release_with_an_unwritable_registry_leaves_nothing_and_can_be_retried(tmp_path: Path) -> None:
    releases, registry = tmp_path / "releases", tmp_path / "locked" / "registry.txt"
    registry.parent.mkdir()
    os.chmod(registry.parent, 0o500)
    try:
        if os.access(registry.parent, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        result = invoke("release", "1.0.0", "--dataset", str(BASE), "--releases", str(releases), "--registry", str(registry))
        assert result.exit_code != 0 and "Traceback" not in result.output
        assert not (releases / "1.0.0").exists()
    finally:
        os.chmod(registry.parent, 0o700)
    release("1.0.0", BASE, releases, registry)
    assert (releases / "1.0.0" / "datapackage.json").is_file() and registry.is_file()


def test_release_that_fails_after_building_leaves_nothing(tmp_path: Path) -> None:
    releases = tmp_path / "releases"
    registry = tmp_path / "registry.txt"
    registry.mkdir()  # a directory where the registry file should be: the write fails for everyone, root included
    result = invoke("release", "1.0.0", "--dataset", str(BASE), "--releases", str(releases), "--registry", str(registry))
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert not (releases / "1.0.0").exists()
    registry.rmdir()
    assert invoke("release", "1.0.0", "--dataset", str(BASE), "--releases", str(releases), "--registry", str(registry)).exit_code == 0


def test_diff_reads_nothing_outside_and_names_no_path_from_data(tmp_path: Path, built_release: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(built_release, old)
    shutil.copytree(built_release, new)
    (tmp_path / "secret.parquet").write_bytes((built_release / "actors.parquet").read_bytes())

    def edit(descriptor):
        descriptor["resources"].append({"name": "../secret", "type": "table", "path": "../secret.parquet"})
        for resource in descriptor["resources"]:
            if resource["name"] == "actors-parquet":
                resource["path"] = "../secret.parquet"

    edit_descriptor(new, edit)
    result = invoke("diff", str(old), str(new))
    assert result.exit_code == 2 and "leaves the release directory" in result.output
    assert "secret:" not in result.output


@pytest.mark.parametrize("damage", ["{", '{"resources": 3}', '{"schema_version": "9.9.9", "resources": []}', "truncate"])
def test_diff_on_malformed_releases_exits_2(tmp_path: Path, built_release: Path, damage: str) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(built_release, old)
    shutil.copytree(built_release, new)
    if damage == "truncate":
        data = (new / "events.parquet").read_bytes()
        (new / "events.parquet").write_bytes(data[: len(data) // 2])
    else:
        (new / "datapackage.json").write_text(damage, encoding="utf-8")
    result = invoke("diff", str(old), str(new))
    assert result.exit_code == 2 and result.output.startswith("Error: cannot compare"), result.output


@pytest.mark.parametrize("document", ["{", "[]", '{"fields": [{"name": 1}]}', '{"fields": [{"name": "a", "constraints": {"enum": [{}]}}]}',
                                      '{"fields": [], "foreignKeys": [3]}'])
def test_schema_diff_on_malformed_documents_exits_2(tmp_path: Path, document: str) -> None:
    for name in ("1.0.0", "1.1.0"):
        (tmp_path / name / "tables").mkdir(parents=True)
        (tmp_path / name / "tables" / "events.schema.json").write_text(document, encoding="utf-8")
    result = invoke("schema", "diff", str(tmp_path / "1.0.0"), str(tmp_path / "1.1.0"))
    assert result.exit_code == 2 and result.output.startswith("Error: "), result.output


def test_a_name_too_long_cannot_start(tmp_path: Path) -> None:
    long = tmp_path / ("a" * 300 + ".csv")
    result = invoke("validate", str(long))
    assert result.exit_code == 2 and "does not exist" in result.output


def test_ids_reach_the_terminal_escaped(tmp_path: Path, built_release: Path) -> None:
    path = tmp_path / "actors.csv"
    text = (built_release / "actors.csv").read_bytes().decode("utf-8")
    path.write_bytes(text.replace("act-global-coalition", "act-\x1b]0;pwned\x07x", 1).encode("utf-8"))
    for fmt in ("text", "github", "json"):
        result = invoke("validate", str(path), "--format", fmt)
        assert result.exit_code == 1
        assert "\x1b" not in result.output and "\x07" not in result.output, fmt
    assert "\\x1b]0;pwned\\x07" in invoke("validate", str(path)).output


@pytest.mark.slow  # makes an input of tens of megabytes
def test_coverage_is_not_quadratic() -> None:
    """400,000 numbers and as many spans: seconds, not minutes (62 s before)."""
    text = "\n".join(f"{i}" for i in range(400_000))
    spans = [Span("src-x", i, i + 3, 1) for i in range(0, 2_000_000, 40)]
    started = time.monotonic()
    result = coverage({"src-x": text}, {"src-x": spans})
    findings = coverage_findings(result, {"src-x": text}, {"src-x": "sources/src-x.txt"})
    assert time.monotonic() - started < 30
    assert result[0].total == 400_000 and len(findings) == len(result[0].uncovered)
    assert findings[-1].line == 400_000



@pytest.mark.slow  # makes an input of tens of megabytes
def test_large_csv_reports_a_row_with_extra_fields_and_goes_on(tmp_path: Path, built_release: Path) -> None:
    """Over 64 MB a CSV is streamed: a row with an extra field is a finding, the other rows are still checked."""
    header, row = (built_release / "figures.csv").read_bytes().split(b"\r\n")[:2]
    path = tmp_path / "figures.csv"
    with path.open("wb") as fh:
        fh.write(header + b"\r\n")
        n = 0
        while fh.tell() < 65 << 20:
            fh.write(row.replace(b"fig-fixture-001", b"fig-x-%d" % n) + b"\r\n")
            n += 1
        fh.write(row.replace(b"fig-fixture-001", b"fig-extra") + b",extra\r\n")
    result = invoke("validate", str(path), "--format", "json")
    path.unlink()
    report = json.loads(result.output)
    assert result.exit_code == 1
    fields = header.count(b",") + 2  # one more than the header has
    assert [f["code"] for f in report["findings"]] == ["IW108"] and f"{fields} fields" in report["findings"][0]["message"]
    assert report["checked"] == {"rows": n}


def test_huge_bad_cells_are_quoted_shortened(tmp_path: Path, built_release: Path) -> None:
    """A finding quotes at most a couple of thousand characters of a value, escaped: a table of 4 MB
    bad cells once gave a report five times its size (each ESC escaped to four characters), held whole in memory."""
    header, row = (built_release / "events.csv").read_bytes().split(b"\r\n")[:2]
    path = tmp_path / "events.csv"
    with path.open("wb") as fh:
        fh.write(header + b"\r\n")
        for n in range(3):
            bad = row.replace(b"evt-2021-12-coalition-combat-mission-end", b"evt-x-%d" % n)
            fh.write(bad.replace(b",occurred,", b"," + b"\x1b" * (4 << 20) + b",") + b"\r\n")
    result = invoke("validate", str(path), "--format", "json")
    path.unlink()
    assert result.exit_code == 1
    assert len(result.output) < 100_000
    messages = [f["message"] for f in json.loads(result.output)["findings"] if f["field"] == "status"]
    assert len(messages) == 3 and all("more characters)" in m and "\x1b" not in m for m in messages)


@pytest.mark.parametrize("version", ["1.2.3\n", "1\u0661.0.0", "1.0.\u0663"])
def test_release_refuses_a_version_with_a_newline_or_non_ascii_digits(tmp_path: Path, version: str) -> None:
    """``^...$`` let '1.2.3\\n' through (a folder named with a newline, a registry split across lines), and ``\\d``
    took Arabic-Indic digits that ``int`` reads as ASCII ones ('1١.0.0' sorted as 11.0.0)."""
    releases, registry = tmp_path / "releases", tmp_path / "registry.txt"
    registry.write_text("", encoding="utf-8")
    result = invoke("release", version, "--dataset", str(BASE), "--releases", str(releases), "--registry", str(registry))
    assert result.exit_code == 2 and "not a version" in result.output, result.output
    assert not releases.exists() or not any(releases.iterdir())
    assert registry.read_text(encoding="utf-8") == ""


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_schema_diff_prints_names_from_documents_escaped(tmp_path: Path, fmt: str) -> None:
    """Field names (a lone surrogate once ended in a UnicodeEncodeError traceback) and table file names
    (a newline and ESC forged a line) come from the documents: printed escaped, as findings are."""
    old, new = tmp_path / "old" / "tables", tmp_path / "new" / "tables"
    old.mkdir(parents=True)
    new.mkdir(parents=True)
    (old / "events.schema.json").write_text('{"fields": [{"name": "id", "type": "string"}]}', encoding="utf-8")
    (new / "events.schema.json").write_text('{"fields": [{"name": "\\ud800\\u001b[2J\\u202e", "type": "string"}]}', encoding="utf-8")
    (new / "ev\x1b\n::error::forged.schema.json").write_text('{"fields": []}', encoding="utf-8")
    result = invoke("schema", "diff", "--format", fmt, str(old.parent), str(new.parent))
    assert result.exit_code == 0, result.output
    assert not any(c in result.output for c in "\x1b\u202e") and "\n::error" not in result.output
    assert "\\ud800" in result.output
    if fmt == "json":
        assert len(json.loads(result.output)["changes"]) == 2  # valid JSON: the escapes are JSON escapes


def test_schema_diff_does_not_follow_a_tables_link(tmp_path: Path) -> None:
    """``tables/`` itself a link to another folder: its documents were read from wherever it pointed."""
    for name in ("old", "elsewhere"):
        (tmp_path / name / "tables").mkdir(parents=True)
        (tmp_path / name / "tables" / "events.schema.json").write_text('{"fields": []}', encoding="utf-8")
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "tables").symlink_to(tmp_path / "elsewhere" / "tables", target_is_directory=True)
    result = invoke("schema", "diff", str(tmp_path / "old"), str(tmp_path / "new"))
    assert result.exit_code == 2 and "is a link" in result.output, result.output


def test_sqlite_does_not_write_through_a_link_in_out(tmp_path: Path, built_release: Path) -> None:
    """A link named datasette-metadata.json in --out: the metadata was written through it, outside --out."""
    out, victim = tmp_path / "out", tmp_path / "victim.json"
    out.mkdir()
    victim.write_text("precious", encoding="utf-8")
    (out / "datasette-metadata.json").symlink_to(victim)
    (out / "iraq-withdrawal.db").symlink_to(tmp_path / "victim.db")
    result = invoke("sqlite", "--release", str(built_release), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "precious" and not (tmp_path / "victim.db").exists()
    assert not any(p.is_symlink() for p in out.iterdir())
    assert json.loads((out / "datasette-metadata.json").read_text(encoding="utf-8"))["databases"]


def test_timeline_html_cannot_be_scripted_by_data(tmp_path: Path, base_copy: Path) -> None:
    """vl-convert embeds the data in a <script>: a summary holding '</script><script>…' ran as script."""
    pytest.importorskip("vl_convert")
    pytest.importorskip("altair")
    events = base_copy / "curated" / "events.yaml"
    text = events.read_text(encoding="utf-8")
    events.write_text(re.sub(r"(?m)^    summary_en: .*$", '    summary_en: "</script><script>alert(1)</script><!-- The coalition"', text, count=1),
                      encoding="utf-8")
    release_dir, page = tmp_path / "release", tmp_path / "timeline.html"
    built = invoke("build", str(base_copy), "--out", str(release_dir))
    assert built.exit_code == 0, built.output
    result = invoke("plot", "timeline", "--release", str(release_dir), "--out", str(page))
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "alert(1)" in html and "<script>alert" not in html
    assert html.count("</script>") == html.count("<script")


@pytest.mark.parametrize("kind", ["too-large", "fifo"])
def test_add_source_refuses_a_text_it_cannot_bound(tmp_path: Path, base_copy: Path, kind: str) -> None:
    """A text over the 4 MiB a source text may hold was added, and its first line quoted into sources.yaml made
    the file too large to validate (every source refused with it); a pipe (or /dev/zero) was read without end."""
    article = tmp_path / "article.txt"
    if kind == "fifo":
        os.mkfifo(article)
    else:
        article.write_text("ب" * (2_200_000) + "\n", encoding="utf-8")
    before = _tree(base_copy)
    result = invoke("add-source", str(article), "--dataset", str(base_copy), "--published", "2021-12-13")
    assert result.exit_code == 2 and ("limit for a source text" in result.output or "not a regular file" in result.output), result.output
    assert _tree(base_copy) == before


def test_find_quote_does_not_follow_a_source_text_link_out_of_the_dataset(tmp_path: Path, base_copy: Path) -> None:
    """A source id is looked up in the dataset's sources/: a text there that is a link out was read and printed."""
    secret = tmp_path / "secret.txt"
    secret.write_text("HOSTILE-OUTSIDE-MARKER\n", encoding="utf-8")
    text = base_copy / "sources" / "src-fixture.txt"
    text.unlink()
    text.symlink_to(secret)
    result = invoke("find-quote", "src-fixture", "HOSTILE", "--dataset", str(base_copy))
    assert result.exit_code == 2 and "leaves" in result.output and "MARKER" not in result.output, result.output


@pytest.mark.parametrize("damage", ["missing", "link-out", "sources-too-large"])
def test_coverage_does_not_call_what_it_could_not_read_covered(tmp_path: Path, base_copy: Path, damage: str) -> None:
    """A source text missing or a link out, or sources.yaml refused as too large: coverage said '0 uncovered' and exit 0."""
    text = base_copy / "sources" / "src-fixture.txt"
    if damage == "missing":
        text.unlink()
    elif damage == "link-out":
        (tmp_path / "secret.txt").write_text("1 2 3\n", encoding="utf-8")
        text.unlink()
        text.symlink_to(tmp_path / "secret.txt")
    else:
        with (base_copy / "sources" / "sources.yaml").open("a", encoding="utf-8") as fh:
            fh.write("#" + "x" * (5 << 20) + "\n")
    for fmt in ("text", "json"):
        result = invoke("coverage", str(base_copy), "--format", fmt)
        assert result.exit_code == 2, result.output
    assert json.loads(result.output)["files_not_read"]


def test_a_path_named_on_the_command_line_is_printed_escaped(tmp_path: Path, built_release: Path) -> None:
    """The summary line and 'Error:' messages printed the path as given: a folder name with a newline forged a
    CI log line (a workflow validating a contributor's folder names it)."""
    named = tmp_path / "r\n::error file=x::forged\u202e"
    shutil.copytree(built_release, named)
    for fmt in ("text", "github"):
        result = invoke("validate", str(named), "--format", fmt)
        assert result.exit_code == 0, result.output
        assert "\n::error" not in result.output and "\u202e" not in result.output, result.output
    result = invoke("validate", str(tmp_path / "missing\n::error::forged"))
    assert result.exit_code == 2 and "\n::error" not in result.output


@pytest.mark.xfail(strict=True, reason="pyarrow opens paths as UTF-8: every Parquet file of a release in a folder whose "
                   "name is not UTF-8 is IW108 ('surrogates not allowed'); the tables would have to be opened by Python "
                   "and handed to pyarrow as files")
def test_a_valid_release_in_a_folder_named_in_another_encoding_is_valid(tmp_path: Path, built_release: Path) -> None:
    named = Path(os.fsdecode(os.fsencode(tmp_path) + b"/r\xffx"))
    shutil.copytree(built_release, named)
    result = invoke("validate", str(named))
    assert result.exit_code == 0, result.output
