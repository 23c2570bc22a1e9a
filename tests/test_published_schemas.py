"""Every published schema document loads in the tool it is written for and accepts the release it describes."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from iraq_withdrawal.schema import VERSIONS
from iraq_withdrawal.schema.derive import tables

from .conftest import REPO

SCHEMA = REPO / "schema"
SHIPPED = REPO / "datasets" / "releases" / "1.0.0"


def _pandas(path: Path) -> pd.DataFrame:
    """A release table as ``iraq_withdrawal.load(table)`` returns it."""
    nullable = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(), pa.int64(): pd.Int64Dtype()}
    return pq.read_table(path).to_pandas(types_mapper=nullable.get)


def _release(version: str, built_release: Path) -> Path:
    return SHIPPED if version == "1.0.0" else built_release


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_pandera_documents_load_and_validate_the_release(version: str, built_release: Path) -> None:
    from pandera.io import pandas_io

    release = _release(version, built_release)
    assert json.loads((release / "datapackage.json").read_text(encoding="utf-8"))["schema_version"] == version
    for table in tables(version):
        frame = _pandas(release / f"{table}.parquet")
        for loaded in (pandas_io.from_json(SCHEMA / version / "pandera" / f"{table}.json"),
                       pandas_io.from_yaml(SCHEMA / version / "pandera" / f"{table}.yaml")):
            assert loaded.name == table
            loaded.validate(frame, lazy=True)


def test_pandera_document_finds_what_the_validator_finds() -> None:
    from pandera.errors import SchemaErrors
    from pandera.io import pandas_io

    events = _pandas(SHIPPED / "events.parquet")
    events.loc[0, "status"] = "Occurred"
    events = pd.concat([events, events.iloc[[1]]], ignore_index=True)
    with pytest.raises(SchemaErrors) as raised:
        pandas_io.from_json(SCHEMA / "1.0.0" / "pandera" / "events.json").validate(events, lazy=True)
    failures = raised.value.failure_cases
    assert "Occurred" in failures["failure_case"].astype(str).tolist()
    assert set(failures["check"].astype(str)) >= {"isin(['occurred', 'ongoing', 'announced', 'planned', 'threatened', 'denied', 'speculated'])",
                                                  "multiple_fields_uniqueness"}


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_arrow_documents_are_arrow_ipc_files_of_the_release_schema(version: str, built_release: Path) -> None:
    release = _release(version, built_release)
    for table in tables(version):
        with pa.ipc.open_file(SCHEMA / version / "arrow" / f"{table}.arrow") as reader:
            published = reader.schema
            assert reader.read_all().num_rows == 0
        actual = pq.read_schema(release / f"{table}.parquet")
        assert published.remove_metadata().equals(actual.remove_metadata()), table
        assert published.metadata[b"schema_version"] == version.encode()
        assert all(f.metadata and b"description" in f.metadata for f in published)


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_json_schemas_are_valid_json_schema(version: str) -> None:
    from jsonschema import Draft202012Validator

    documents = sorted((SCHEMA / version / "records").glob("*.schema.json"))
    assert documents
    for path in documents:
        Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_published_pandera_and_arrow_documents_are_current(version: str) -> None:
    """``schema check`` covers the current version; the 1.0.0 pandera and Arrow documents were regenerated
    in their loadable forms too (tables/ and records/ of a released version never change)."""
    from iraq_withdrawal.schema.publish import stale_documents

    assert stale_documents(SCHEMA / version, version) == []
