"""Generated documentation is current, and the citation matches the newest release."""

from __future__ import annotations

from ruamel.yaml import YAML

from iraq_withdrawal import __version__
from iraq_withdrawal.datasets.docs import CARD_BEGIN, CARD_END, generated_documents
from iraq_withdrawal.io.releases import released_versions

from .conftest import REPO, invoke


def test_generated_docs_are_current() -> None:
    stale = [p.name for p, text in generated_documents(REPO / "docs").items() if p.read_text(encoding="utf-8") != text]
    assert not stale, f"run `iraq-withdrawal docs write`: {stale}"
    assert invoke("docs", "check", "--docs-dir", str(REPO / "docs")).exit_code == 0


def test_codebook_covers_every_table_field_and_rule() -> None:
    from iraq_withdrawal.findings import RULES
    from iraq_withdrawal.schema.derive import columns, tables

    text = (REPO / "docs" / "codebook.md").read_text(encoding="utf-8")
    for table in tables():
        assert f"## {table.replace('_', '-')}" in text
        for column in columns(table):
            assert f"| `{column.name}` |" in text
    for code in RULES:
        assert f"| {code} |" in text


def test_dataset_card_has_generated_counts() -> None:
    text = (REPO / "docs" / "dataset-card.md").read_text(encoding="utf-8")
    assert CARD_BEGIN in text and CARD_END in text
    assert "Records:" in text.split(CARD_BEGIN)[1]


def test_citation_names_the_newest_release() -> None:
    citation = YAML(typ="safe").load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    versions = released_versions(REPO / "datasets" / "releases")
    assert citation["cff-version"] == "1.2.0"
    assert str(citation["version"]) == (versions[-1] if versions else __version__)
