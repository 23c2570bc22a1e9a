"""Stable ids (IW703, IW705): a released id never silently disappears and is never reused."""

from __future__ import annotations

from pathlib import Path

from ..findings import Finding
from ..io.releases import UnreadableRelease, released_ids, released_versions
from ..schema.versions import version_key


def check_stable_ids(current: dict[str, str], retired: dict[str, str], releases: Path, before: str | None = None,
                     file: str | None = None) -> list[Finding]:
    """Every id of every earlier release is in ``current`` or ``retired``; no retired id is in ``current``.

    ``before``: only releases older than this version count (when validating a release itself).
    """
    findings = []
    reported: set[str] = set()
    for version in released_versions(releases):
        if before is not None and version_key(version) >= version_key(before):
            continue
        try:
            earlier = released_ids(releases / version, releases)
        except UnreadableRelease as exc:
            findings.append(Finding("IW108", f"earlier release {version}: {exc}", file=f"releases/{version}"))
            continue
        for rid, table in sorted(earlier.items()):
            if rid not in current and rid not in retired and rid not in reported:
                reported.add(rid)
                findings.append(
                    Finding("IW703", f"{table} id '{rid}' was released in {version} but is neither present nor listed in retired_ids",
                            file=file or f"releases/{version}", record=rid, field="id")
                )
    for rid in sorted(set(current) & set(retired)):
        findings.append(Finding("IW705", f"id '{rid}' is listed in retired_ids and used again", file=file, record=rid, field="id"))
    return findings
