"""Get the data: ``load()`` a table, ``download()`` a release.

Releases that ship with the package are read offline. Other versions are fetched
with pooch from a base URL laid out like ``datasets/releases/``
(``BASE/VERSION/FILE``), given as ``base_url=`` or in the environment variable
``IRAQ_WITHDRAWAL_BASE_URL``, and every file is checked against the SHA-256
registry that ships with the package before it is used.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..errors import DataNotAvailable, DownloadFailed, UsageError
from ..io.data_paths import releases_root
from ..io.releases import read_registry, registry_versions, released_versions
from ..schema.registry import tables
from ..schema.versions import version_key

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


def download(version: str, dest: str | Path | None = None, base_url: str | None = None, progressbar: bool = False) -> Path:
    """Fetch every file of a release, check it against the shipped registry, and return its directory.

    Files already in ``dest`` (or the cache) with the right hash are not fetched again;
    a file whose hash differs is refused (:class:`~iraq_withdrawal.errors.DownloadFailed`) and not kept.
    """
    import pooch

    version_key(version)
    registry = {name: f"sha256:{digest}" for name, digest in read_registry().items() if name.startswith(f"{version}/")}
    if not registry:
        known = ", ".join(registry_versions(read_registry())) or "none"
        raise DataNotAvailable(f"release {version} is not in this package's registry (known: {known}); upgrade iraq-withdrawal")
    base_url = base_url or os.environ.get(BASE_URL_ENV)
    if not base_url:
        raise DataNotAvailable(f"no base URL: pass base_url= or --base-url, or set {BASE_URL_ENV}")
    root = _cache_dir(dest)
    fetcher = pooch.create(path=root, base_url=base_url.rstrip("/") + "/", registry=registry, retry_if_failed=1)
    for name in sorted(registry):
        try:
            fetcher.fetch(name, progressbar=progressbar)
        except ValueError as exc:  # pooch: the hash differs from the registry
            raise DownloadFailed(str(exc)) from None
        except Exception as exc:  # noqa: BLE001 - network and HTTP errors come from requests in many types
            raise DownloadFailed(f"download failed: {exc}") from None
    return root / version


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


def schema_version_of(directory: Path) -> str:
    """The schema version a release directory declares in its datapackage.json."""
    try:
        declared = json.loads((directory / "datapackage.json").read_text(encoding="utf-8")).get("schema_version")
    except (OSError, ValueError, AttributeError) as exc:
        raise DataNotAvailable(f"{directory}/datapackage.json cannot be read: {exc}") from None
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
