"""Write the published schema documents and find stale ones."""

from __future__ import annotations

from pathlib import Path

from . import CURRENT_VERSION
from .derive import schema_documents


def write_documents(target: Path, version: str = CURRENT_VERSION) -> int:
    docs = schema_documents(version)
    for name, text in docs.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_bytes(text))
    return len(docs)


def stale_documents(target: Path, version: str = CURRENT_VERSION) -> list[str]:
    """Names of documents that are missing, differ, or should not be there."""
    docs = schema_documents(version)
    stale = [name for name, text in docs.items() if not (target / name).is_file() or (target / name).read_bytes() != _bytes(text)]
    if target.is_dir():
        present = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
        stale += sorted(present - set(docs))
    return sorted(stale)


def _bytes(document: str | bytes) -> bytes:
    return document if isinstance(document, bytes) else document.encode("utf-8")
