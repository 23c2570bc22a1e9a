"""Get the data: ``load()`` a table, ``download()`` a release.

Releases that ship with the package are read offline. Other versions are fetched
(with the standard library, under an overall deadline and byte budget) from a base URL laid out like ``datasets/releases/``
(``BASE/VERSION/FILE``), given as ``base_url=`` or in the environment variable
``IRAQ_WITHDRAWAL_BASE_URL``, and every file is checked against the SHA-256
registry that ships with the package before it is used.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ..errors import DataNotAvailable, DownloadFailed, UsageError
from ..io.data_paths import releases_root
from ..io.files import holds_a_build, replace_directory
from ..io.hashing import sha256_file
from ..io.releases import read_registry, registry_versions, released_versions
from ..schema.registry import tables
from ..schema.versions import version_key
from .datapackage import DATASET_NAME

BASE_URL_ENV = "IRAQ_WITHDRAWAL_BASE_URL"
CACHE_ENV = "IRAQ_WITHDRAWAL_CACHE"
ENGINES = ("pandas", "polars", "arrow")


def shipped_versions() -> list[str]:
    """Release versions that ship with the installed package."""
    return released_versions(releases_root())


def _cache_dir(cache: str | Path | None) -> Path:
    if cache is not None:
        return Path(cache)
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    import pooch

    return Path(pooch.os_cache("iraq-withdrawal"))


#: Limits of one ``download``: the whole release, not each file (a release is a few megabytes).
DOWNLOAD_DEADLINE_SECONDS = 600.0
DOWNLOAD_MAX_BYTES = 1 << 30
_READ_TIMEOUT = 30.0
_CHUNK = 1 << 16


class _Budget:
    """The overall deadline and byte budget of one download, checked after every read."""

    def __init__(self, seconds: float, max_bytes: int):
        self.deadline = time.monotonic() + seconds
        self.seconds, self.max_bytes, self.used = seconds, max_bytes, 0

    def remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise DownloadFailed(f"download took longer than {self.seconds:g} s; gave up (nothing was kept)")
        return left

    def spend(self, count: int) -> None:
        self.used += count
        if self.used > self.max_bytes:
            raise DownloadFailed(f"the server sent more than {self.max_bytes:,} bytes; gave up (nothing was kept)")
        self.remaining()


def _fetch(url: str, path: Path, digest: str, budget: _Budget, progress: bool) -> None:
    """Stream ``url`` into ``path``, hashing as it goes; refuse a wrong hash (no retry: a mismatch is not a glitch)."""
    import urllib.error
    import urllib.request

    if not url.lower().startswith(("http://", "https://", "file://")):
        raise UsageError(f"base URL must be http://, https:// or file://, not {url.split(':', 1)[0]}:")
    sha = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=min(_READ_TIMEOUT, budget.remaining())) as response, path.open("wb") as out:  # noqa: S310 - scheme checked above
            while True:
                reader = getattr(response, "read1", response.read)
                chunk = reader(_CHUNK)
                if not chunk:
                    break
                budget.spend(len(chunk))
                sha.update(chunk)
                out.write(chunk)
                if progress:
                    sys.stderr.write(f"\r{path.name}: {budget.used:,} bytes")
    except DownloadFailed:
        raise
    except (OSError, urllib.error.URLError, ValueError) as exc:  # HTTP errors, refused connections, time-outs
        raise DownloadFailed(f"download of {url} failed: {getattr(exc, 'reason', None) or exc}") from None
    if sha.hexdigest() != digest:
        raise DownloadFailed(f"{url}: hash differs from the registry (SHA-256 {sha.hexdigest()}, expected {digest}); not retried, nothing was kept")


def _copy_verified(source: Path, path: Path, digest: str) -> bool:
    """Copy ``source`` to ``path`` if its hash is ``digest``; False otherwise."""
    if not source.is_file() or source.is_symlink() or sha256_file(source) != digest:
        return False
    shutil.copyfile(source, path)
    return True


def download(version: str, dest: str | Path | None = None, base_url: str | None = None, progressbar: bool | None = None, *,
             deadline: float = DOWNLOAD_DEADLINE_SECONDS, max_bytes: int = DOWNLOAD_MAX_BYTES) -> Path:
    """Fetch every file of a release into ``dest/VERSION`` (default: the cache), check it against the shipped registry.

    A version that ships with the package is copied from it, without a base URL. Files
    already in ``dest/VERSION`` with the right hash are not fetched again. Everything is
    written into a temporary sibling and renamed into place once every file is verified:
    on any failure (a hash that differs, which is not retried; ``deadline`` seconds or
    ``max_bytes`` bytes exceeded for the whole release; a network error) nothing is left
    in ``dest``. ``progressbar``: show progress (default: when stderr is a terminal).
    """
    version_key(version)
    registry = {name.split("/", 1)[1]: digest for name, digest in read_registry().items() if name.startswith(f"{version}/")}
    if not registry:
        known = ", ".join(registry_versions(read_registry())) or "none"
        raise DataNotAvailable(f"release {version} is not in this package's registry (known: {known}); upgrade iraq-withdrawal")
    shipped = releases_root() / version if version in shipped_versions() else None
    base_url = base_url or os.environ.get(BASE_URL_ENV)
    if shipped is None and not base_url:
        raise DataNotAvailable(f"no base URL: pass base_url= or --base-url, or set {BASE_URL_ENV}")
    for name in registry:
        if name.startswith("/") or ".." in name.split("/") or "\\" in name:
            raise DataNotAvailable(f"the registry names {name!r}, which is not a path inside a release")
    progress = sys.stderr.isatty() if progressbar is None else progressbar
    root = _cache_dir(dest)
    created = not root.exists()
    target = root / version
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise DownloadFailed(f"{target} exists and is not a directory; not replaced")
    # the rule build uses: replace only what a build (or a download) wrote
    if target.is_dir() and any(target.iterdir()) and not holds_a_build(target, DATASET_NAME):
        raise DownloadFailed(f"{target} holds files a release does not; not replaced (remove it or choose another --dest)")
    budget = _Budget(deadline, max_bytes)
    staged = None
    try:
        root.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=f".{version}.part-", dir=root))
        for name, digest in sorted(registry.items()):
            path = staged.joinpath(*name.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            if _copy_verified(target / name, path, digest) or (shipped is not None and _copy_verified(shipped / name, path, digest)):
                continue
            if not base_url:
                raise DownloadFailed(f"{version}/{name}: the shipped copy differs from the registry and there is no base URL")
            _fetch(f"{base_url.rstrip('/')}/{version}/{name}", path, digest, budget, progress)
        if progress:
            sys.stderr.write("\r\033[K")
        if target.exists():
            replace_directory(staged, target)
        else:
            os.replace(staged, target)
    except BaseException:
        if staged is not None:
            shutil.rmtree(staged, ignore_errors=True)
        if created:
            shutil.rmtree(root, ignore_errors=True)
        raise
    return target


def release_dir(version: str | None = None, base_url: str | None = None, cache: str | Path | None = None) -> Path:
    """The directory of a release: shipped if possible, else downloaded (verified) into the cache."""
    shipped = shipped_versions()
    if version is None:
        if not shipped:
            raise DataNotAvailable("this package ships no release")
        version = shipped[-1]
    if version in shipped:
        return releases_root() / version
    return download(version, dest=cache, base_url=base_url)


def read_datapackage(directory: Path) -> dict[str, Any]:
    """The datapackage.json of a release directory, as a dict."""
    path = Path(directory) / "datapackage.json"
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataNotAvailable(f"{path} cannot be read: {exc}") from None
    if not isinstance(descriptor, dict):
        raise DataNotAvailable(f"{path} is not a JSON object")
    return descriptor


def schema_version_of(directory: Path) -> str:
    """The schema version a release directory declares in its datapackage.json."""
    declared = read_datapackage(directory).get("schema_version")
    if not isinstance(declared, str):
        raise DataNotAvailable(f"{directory}/datapackage.json declares no schema_version")
    return declared


def release_tables(directory: Path) -> list[str]:
    """The tables of a release directory, as its schema version lists them."""
    return tables(schema_version_of(directory))


def source_text(source: str, version: str | None = None, base_url: str | None = None, cache: str | Path | None = None) -> str:
    """The full text of a source as a release ships it; evidence offsets index into this string."""
    directory = release_dir(version, base_url=base_url, cache=cache)
    rows = {r["id"]: r for r in load("sources", version=version, engine="arrow", base_url=base_url, cache=cache).to_pylist()}
    if source not in rows:
        raise UsageError(f"unknown source '{source}' (sources: {', '.join(sorted(rows))})")
    return (directory / rows[source]["text_path"]).read_bytes().decode("utf-8")


def load(table: str, version: str | None = None, engine: str = "pandas", base_url: str | None = None,
         cache: str | Path | None = None) -> Any:
    """Read one table of a release: a pandas DataFrame, a polars DataFrame or a pyarrow Table.

    Without ``version`` this is the newest release that ships with the package, offline.
    """
    if engine not in ENGINES:
        raise UsageError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    directory = release_dir(version, base_url=base_url, cache=cache)
    declared = release_tables(directory)
    if table not in declared:
        raise UsageError(f"unknown table '{table}' (tables: {', '.join(declared)})")
    path = directory / f"{table}.parquet"
    if engine == "polars":
        import polars as pl

        return pl.read_parquet(path)
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow_table = pq.read_table(path)
    if engine == "arrow":
        return arrow_table
    import pandas as pd

    # nullable integers stay integers (not floats), dates become datetime64 (so .dt and Timestamp comparisons work)
    nullable_ints = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(), pa.int64(): pd.Int64Dtype()}
    return arrow_table.to_pandas(types_mapper=nullable_ints.get, date_as_object=False)
