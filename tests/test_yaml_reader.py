"""The libyaml path and the pure-Python path of the YAML reader agree, values and lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from iraq_withdrawal.io import yaml_reader

from .conftest import BASE, REPO

FILES = sorted((REPO / "datasets").rglob("*.yaml")) + sorted(BASE.rglob("*.yaml"))


def _lines(value) -> object:
    if isinstance(value, yaml_reader.LineDict):
        return {"line": value.line, "keys": value.key_lines, "values": {k: _lines(v) for k, v in value.items()}}
    if isinstance(value, yaml_reader.LineList):
        return {"line": value.line, "items": value.item_lines, "values": [_lines(v) for v in value]}
    return value


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_fast_and_pure_readers_agree(path: Path, monkeypatch) -> None:
    fast = yaml_reader.read_yaml(path, path.name)
    monkeypatch.setattr(yaml_reader, "_plain_enough", lambda text: False)
    pure = yaml_reader.read_yaml(path, path.name)
    assert fast.findings == pure.findings
    assert _lines(fast.value) == _lines(pure.value)


def test_yaml_12_core_types_on_the_fast_path(tmp_path: Path) -> None:
    path = tmp_path / "types.yaml"
    path.write_text("a: NO\nb: on\nc: 0123\nd: 1:20\ne: 2021-12-09\nf: ~\ng: true\nh: '7'\ni: 1.5\n", encoding="utf-8")
    doc = yaml_reader.read_yaml(path, "types.yaml")
    import datetime as dt

    assert dict(doc.value) == {"a": "NO", "b": "on", "c": 123, "d": "1:20", "e": dt.date(2021, 12, 9), "f": None, "g": True, "h": "7", "i": 1.5}


SNIPPETS = {
    "duplicate-key": "a: 1\nb: [1, 2]\na: {c: 3}\n",
    "merge-key": "base: {x: 1}\nother:\n  <<: {y: 2}\n  z: 3\n",
    "tags": "a: !!python/name:os.system x\nb: !custom {c: 1}\nc: !!str 7\nd: [!!binary aGk=, 2]\n",
    "non-scalar-key": "? [a, b]\n: 1\n? {c: d}\n: [2]\ne: 3\n",
    "not-finite-and-bad-date": "a: .inf\nb: 2021-02-30\nc: -.NaN\nd: 2021-02-28\n",
    "nested": "a:\n  - b: [1, {c: [x, y]}]\n    d: null\n  - ''\n  -\n",
    "ampersand-in-text": "note: 'Smith & Jones * 2'\nq: a & b\n",
    "empty-values": "a:\nb: ''\nc: ~\n",
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_event_reader_agrees_with_pure_reader(name: str, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(SNIPPETS[name], encoding="utf-8")
    fast = yaml_reader.read_yaml(path, path.name)
    monkeypatch.setattr(yaml_reader, "_plain_enough", lambda text: False)
    pure = yaml_reader.read_yaml(path, path.name)
    assert fast.findings == pure.findings
    assert _lines(fast.value) == _lines(pure.value)


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_clean_marks_agree_with_a_full_walk(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(SNIPPETS[name], encoding="utf-8")

    def walk(value) -> bool:
        if value is yaml_reader.REJECTED:
            return True
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        return any([walk(v) for v in children])

    def containers(value):
        if isinstance(value, (dict, list)):
            yield value
            for v in value.values() if isinstance(value, dict) else value:
                yield from containers(v)

    for container in containers(yaml_reader.read_yaml(path, path.name).value):
        assert yaml_reader.contains_rejected(container) == walk(container)
