"""Stable ids (IW703, IW705): a released id never silently disappears and is never reused."""

from __future__ import annotations

from pathlib import Path

from .findings import Finding

ID_TABLES = ("sources", "actors", "places", "events", "statements", "figures")


class UnreadableRelease(Exception):
    """An earlier release's file cannot be read (corrupt, or a link that leaves the releases folder)."""


def released_ids(release_dir: Path, releases: Path | None = None) -> dict[str, str]:
    """``{id: table}`` of every record in a release directory (read from its Parquet files)."""
    import pyarrow.parquet as pq

    ids: dict[str, str] = {}
    root = (releases or release_dir.parent).resolve()
    for table in ID_TABLES:
        path = release_dir / f"{table}.parquet"
        if not path.is_file():
            continue
        try:
            path.resolve().relative_to(root)
        except (ValueError, OSError):
            raise UnreadableRelease(f"{path.name} is a link that leaves the releases folder") from None
        try:
            column = pq.ParquetFile(path).read(columns=["id"]).column("id").to_pylist()  # no dataset API: keeps pandas out of start-up
        except Exception as exc:  # noqa: BLE001 - corrupt file or wrong schema
            raise UnreadableRelease(f"{path.name} cannot be read: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
        for rid in column:
            ids[rid] = table
    return ids


def check_stable_ids(current: dict[str, str], retired: dict[str, str], releases: Path, before: str | None = None,
                     file: str | None = None) -> list[Finding]:
    """Every id of every earlier release is in ``current`` or ``retired``; no retired id is in ``current``.

    ``before``: only releases older than this version count (when validating a release itself).
    """
    from ..datasets.release import released_versions, version_key

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
