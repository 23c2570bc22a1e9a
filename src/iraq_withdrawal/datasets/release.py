"""Immutable, versioned releases and the hash registry that ships with the package.

A release is ``<releases>/<VERSION>/``, built by :func:`iraq_withdrawal.datasets.build.build`
and never touched again. The registry (``iraq_withdrawal/registry.txt``) lists the
SHA-256 of every released file as ``<VERSION>/<file> <sha256>`` lines, sorted, with
``/`` separators: the format pooch reads, so downloads are checked against it.
"""

from __future__ import annotations

import re
from pathlib import Path

from .build import build, sha256_file
from .paths import registry_path, releases_root

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


class ReleaseError(Exception):
    """A release cannot be made (bad or existing version, invalid data)."""


def version_key(version: str) -> tuple[int, int, int]:
    m = SEMVER.match(version)
    if not m:
        raise ReleaseError(f"'{version}' is not a version of the form MAJOR.MINOR.PATCH")
    return tuple(int(x) for x in m.groups())  # type: ignore[return-value]


def released_versions(releases: Path | None = None) -> list[str]:
    """Versions present under the releases directory, oldest first."""
    releases = releases or releases_root()
    if not releases.is_dir():
        return []
    versions = [p.name for p in releases.iterdir() if p.is_dir() and SEMVER.match(p.name) and (p / "datapackage.json").is_file()]
    return sorted(versions, key=version_key)


def make_registry(releases: Path) -> str:
    """The registry text for every file of every release under ``releases``."""
    lines = []
    for version in released_versions(releases):
        directory = releases / version
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            lines.append(f"{version}/{path.relative_to(directory).as_posix()} {sha256_file(path)}")
    return "".join(f"{line}\n" for line in sorted(lines))


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
    return sorted({name.split("/", 1)[0] for name in registry}, key=version_key)


def release(version: str, root: Path, releases: Path | None = None, registry: Path | None = None) -> Path:
    """Build ``root`` into ``releases/version`` and add its files to the registry.

    Refuses a version that exists or is not newer than the newest release.
    """
    releases = releases or releases_root()
    registry = registry or registry_path()
    version_key(version)
    target = releases / version
    if target.exists():
        raise ReleaseError(f"release {version} already exists at {target}; releases are immutable")
    existing = released_versions(releases)
    if existing and version_key(version) <= version_key(existing[-1]):
        raise ReleaseError(f"release {version} is not newer than the newest release {existing[-1]}")
    build(root, target, dataset_version=version)
    registry.parent.mkdir(parents=True, exist_ok=True)
    registry.write_text(make_registry(releases), encoding="utf-8")
    return target
