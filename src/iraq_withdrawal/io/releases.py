"""Reading release directories and the hash registry (no writing: see ``datasets/release.py``).

A releases directory holds one ``<VERSION>/`` per release. The registry
(``iraq_withdrawal/registry.txt``) lists the SHA-256 of every released file as
``<VERSION>/<file> <sha256>`` lines, sorted, with ``/`` separators: the format pooch
reads, so downloads are checked against it.
"""

from __future__ import annotations

from pathlib import Path

from ..schema.registry import id_tables
from ..schema.versions import is_version, version_key
from .data_paths import registry_path, releases_root


class UnreadableRelease(Exception):
    """An earlier release's file cannot be read (corrupt, or a link that leaves the releases folder)."""


def released_versions(releases: Path | None = None) -> list[str]:
    """Versions present under a releases directory, oldest first."""
    releases = releases or releases_root()
    if not releases.is_dir():
        return []
    versions = [p.name for p in releases.iterdir() if p.is_dir() and is_version(p.name) and (p / "datapackage.json").is_file()]
    return sorted(versions, key=version_key)


def read_registry(path: Path | None = None) -> dict[str, str]:
    """``{"<VERSION>/<file>": sha256}`` from the shipped registry."""
    path = path or registry_path()
    if not path.is_file():
        return {}
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, digest = line.split()
            entries[name] = digest
    return entries


def registry_versions(registry: dict[str, str]) -> list[str]:
    """The versions a registry lists, oldest first."""
    return sorted({name.split("/", 1)[0] for name in registry}, key=version_key)


def released_ids(release_dir: Path, releases: Path | None = None) -> dict[str, str]:
    """``{id: table}`` of every record in a release directory (read from its Parquet files)."""
    import pyarrow.parquet as pq

    ids: dict[str, str] = {}
    root = (releases or release_dir.parent).resolve()
    for table in id_tables():
        path = release_dir / f"{table}.parquet"
        if not path.is_file():
            continue
        try:
            path.resolve().relative_to(root)
        except (ValueError, OSError):
            raise UnreadableRelease(f"{path.name} is a link that leaves the releases folder") from None
        try:
            column = pq.ParquetFile(path).read(columns=["id"]).column("id").to_pylist()  # no dataset API: keeps pandas out of start-up
        except Exception as exc:  # noqa: BLE001 - any failure to read an earlier release is reported, whatever pyarrow raises
            raise UnreadableRelease(f"{path.name} cannot be read: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
        for rid in column:
            ids[rid] = table
    return ids
