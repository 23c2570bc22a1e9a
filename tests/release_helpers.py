"""Helpers for fixtures that change a built release."""

from __future__ import annotations

import hashlib
from pathlib import Path


def rehash(release: Path, name: str) -> None:
    """Update NAME's line in SHA256SUMS, so that only the rule under test fires."""
    sums = release / "SHA256SUMS"
    digest = hashlib.sha256((release / name).read_bytes()).hexdigest()
    lines = [f"{digest}  {name}" if line.endswith(f"  {name}") else line for line in sums.read_text(encoding="utf-8").splitlines()]
    sums.write_text("\n".join(lines) + "\n", encoding="utf-8")
