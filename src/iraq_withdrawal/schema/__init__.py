"""Versioned schemas of the dataset.

Each schema version lives in its own module (``v1`` holds 1.0.0, ``v1_1`` holds 1.1.0,
which extends 1.0.0 by inheritance); :func:`load_schema`
returns the module for a version string as a release declares it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from ..errors import UnknownSchemaVersion

CURRENT_VERSION = "1.1.0"

#: schema version -> module holding its models
VERSIONS: dict[str, str] = {
    "1.0.0": "iraq_withdrawal.schema.v1.models",
    "1.1.0": "iraq_withdrawal.schema.v1_1.models",
}

__all__ = ["CURRENT_VERSION", "VERSIONS", "UnknownSchemaVersion", "load_schema"]


def load_schema(version: str = CURRENT_VERSION) -> ModuleType:
    """Return the models module of a schema version."""
    try:
        return importlib.import_module(VERSIONS[version])
    except KeyError:
        known = ", ".join(sorted(VERSIONS))
        raise UnknownSchemaVersion(f"unknown schema version '{version}' (this package knows {known})") from None
