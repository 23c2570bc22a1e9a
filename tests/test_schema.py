"""The models are the one definition; everything published is derived and current."""

from __future__ import annotations

import pytest

from iraq_withdrawal.io.data_paths import schema_root
from iraq_withdrawal.schema import CURRENT_VERSION, UnknownSchemaVersion, load_schema
from iraq_withdrawal.schema.columns import model_columns
from iraq_withdrawal.schema.derive import arrow_schema, pandera_schema, schema_documents, table_schema, tables
from iraq_withdrawal.schema.publish import stale_documents

from .conftest import REPO


def test_published_documents_are_current() -> None:
    assert stale_documents(REPO / "schema" / CURRENT_VERSION) == [], "run `iraq-withdrawal schema write`"


def test_every_field_has_a_description() -> None:
    models = load_schema()
    for name, model in {**models.ROW_MODELS, **models.RECORD_MODELS}.items():
        for field_name, info in model.model_fields.items():
            assert info.description, f"{name}.{field_name} has no description"
    for table in tables():
        assert models.TABLE_DESCRIPTIONS[table]


def test_every_enum_value_has_a_definition() -> None:
    for table in tables():
        for column in model_columns(load_schema().ROW_MODELS[table]):
            if column.enum:
                assert all(column.enum.definitions().values()), f"{table}.{column.name}"


def test_table_schema_keys() -> None:
    schema = table_schema("event_actors")
    assert schema["primaryKey"] == ["event", "actor", "role"]
    assert {fk["reference"]["resource"] for fk in schema["foreignKeys"]} == {"events", "actors"}
    statements = table_schema("statements")
    stance = next(f for f in statements["fields"] if f["name"] == "stance")
    assert "supports_withdrawal" in stance["constraints"]["enum"]


def test_arrow_and_pandera_follow_models() -> None:
    for table in tables():
        names = [c.name for c in model_columns(load_schema().ROW_MODELS[table])]
        assert arrow_schema(table).names == names
        assert list(pandera_schema(table).columns) == names


def test_unknown_schema_version() -> None:
    with pytest.raises(UnknownSchemaVersion):
        load_schema("0.9.0")


def test_documents_cover_every_table_and_record() -> None:
    docs = schema_documents()
    for table in tables():
        assert f"tables/{table}.schema.json" in docs
        assert f"arrow/{table}.arrow" in docs
        assert f"pandera/{table}.json" in docs and f"pandera/{table}.yaml" in docs
    assert "records/events.schema.json" in docs
    assert schema_root().is_dir()
