"""Cutting an immutable, versioned release and writing the hash registry that ships with the package.

A release is ``<releases>/<VERSION>/``, built by :func:`iraq_withdrawal.datasets.build.build`
and never touched again. Reading releases and the registry is ``io/releases.py``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..errors import ReleaseError
from ..io.data_paths import checkout_releases, is_installed_location
from ..io.hashing import sha256_file
from ..io.releases import released_versions
from ..schema.versions import version_key
from .build import build


def make_registry(releases: Path) -> str:
    """The registry text for every file of every release under ``releases``."""
    lines = []
    for version in released_versions(releases):
        directory = releases / version
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            lines.append(f"{version}/{path.relative_to(directory).as_posix()} {sha256_file(path)}")
    return "".join(f"{line}\n" for line in sorted(lines))


def release_tag(version: str) -> str:
    """The git tag a release gets (the README's CI snippets name it as ``rev:`` and ``uses: …@``)."""
    return f"v{version}"


def release(version: str, root: Path, releases: Path | None = None, registry: Path | None = None) -> Path:
    """Build ``root`` into ``releases/version`` and add its files to the registry.

    ``releases`` and ``registry`` default to the repository checkout around the working
    directory (``datasets/releases/`` and ``src/iraq_withdrawal/registry.txt``); outside a
    checkout they must be given. Nothing is ever written into an installed package.
    Refuses a version that exists or is not newer than the newest release.
    """
    if releases is None or registry is None:
        defaults = checkout_releases()
        if defaults is None:
            raise ReleaseError("release writes into a checkout of the repository: run it inside one "
                               "(a directory with datasets/curated at or above the working directory), or give --releases and --registry")
        releases = releases or defaults[0]
        registry = registry or defaults[1]
    for target_path, what in ((releases, "--releases"), (registry, "--registry")):
        if is_installed_location(target_path):
            raise ReleaseError(f"{what} points into an installed package ({Path(target_path).name}); releases are written into "
                               "a checkout of the repository, never into site-packages")
    version_key(version)
    target = releases / version
    if target.exists():
        raise ReleaseError(f"release {version} already exists at {target}; releases are immutable")
    existing = released_versions(releases)
    if existing and version_key(version) <= version_key(existing[-1]):
        raise ReleaseError(f"release {version} is not newer than the newest release {existing[-1]}")
    build(root, target, dataset_version=version)
    try:
        write_atomically(registry, make_registry(releases))
    except BaseException:
        shutil.rmtree(target)  # all or nothing: a release without its hashes is no release, and a retry must work
        raise
    return target


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a temporary sibling of ``path`` and rename it over ``path``: never half-written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=path.parent)
    except OSError as exc:
        raise ReleaseError(f"cannot write the registry {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
