"""Read the pydantic models into plain column descriptions.

Every derived schema (Table Schema, Arrow, pandera, codebook) starts from
:func:`table_columns`, so the models stay the one definition.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .enums import Vocabulary


@dataclass(frozen=True)
class Column:
    """One column of a release table, as the models define it."""

    name: str
    kind: str  # string | integer | number | boolean | date | list
    description: str
    required: bool
    enum: type[Vocabulary] | None = None
    pattern: str | None = None
    min_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    primary_key: bool = False
    foreign_key: str | None = None
    arrow: str | None = None
    derived: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def values(self) -> list[str] | None:
        return self.enum.values() if self.enum else None


def _unwrap(annotation: Any, metadata: list[Any]) -> tuple[Any, bool, list[Any]]:
    """Strip Optional and Annotated; return (base type, nullable, metadata)."""
    nullable = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            args = typing.get_args(annotation)
            annotation = args[0]
            for meta in args[1:]:
                # Field(ge=..) inside Annotated arrives as a FieldInfo holding the constraints
                metadata = [*metadata, *(meta.metadata if isinstance(meta, FieldInfo) else [meta])]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            nullable = nullable or len(args) < len(typing.get_args(annotation))
            if len(args) != 1:
                raise TypeError(f"unsupported union {annotation!r}")
            annotation = args[0]
        else:
            return annotation, nullable, metadata


def _kind(base: Any) -> tuple[str, type[Vocabulary] | None]:
    if isinstance(base, type) and issubclass(base, Enum):
        return "string", base
    if typing.get_origin(base) is list:
        return "list", None
    if base is bool:
        return "boolean", None
    if base is int:
        return "integer", None
    if base is float:
        return "number", None
    if base is dt.date:
        return "date", None
    if base is str:
        return "string", None
    raise TypeError(f"unsupported column type {base!r}")


def column_from_field(name: str, info: FieldInfo) -> Column:
    base, nullable, metadata = _unwrap(info.annotation, list(info.metadata))
    kind, enum = _kind(base)
    extra = dict(info.json_schema_extra or {}) if isinstance(info.json_schema_extra, dict) else {}
    pattern = min_length = minimum = maximum = None
    for meta in metadata:
        pattern = getattr(meta, "pattern", None) or pattern
        if getattr(meta, "min_length", None) is not None:
            min_length = meta.min_length
        if isinstance(meta, annotated_types.Ge):
            minimum = meta.ge
        if isinstance(meta, annotated_types.Le):
            maximum = meta.le
        if isinstance(meta, annotated_types.MinLen):
            min_length = meta.min_length
    return Column(
        name=name,
        kind=kind,
        description=info.description or "",
        required=not nullable and kind != "list",
        enum=enum,
        pattern=pattern,
        min_length=min_length,
        minimum=minimum,
        maximum=maximum,
        primary_key=bool(extra.pop("primary_key", False)),
        foreign_key=extra.pop("foreign_key", None),
        arrow=extra.pop("arrow", None),
        derived=bool(extra.pop("derived", False)),
        extra=extra,
    )


def model_columns(model: type[BaseModel]) -> list[Column]:
    """The columns of a row model: primary key first, then in definition order."""
    columns = [column_from_field(name, info) for name, info in model.model_fields.items()]
    return [c for c in columns if c.primary_key] + [c for c in columns if not c.primary_key]
