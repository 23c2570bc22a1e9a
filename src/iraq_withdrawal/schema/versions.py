"""Version numbers: the dataset and the schema both follow SemVer (``MAJOR.MINOR.PATCH``)."""

from __future__ import annotations

import re

from ..errors import UsageError

#: ASCII digits only (``\d`` would take ``١``, which ``int`` reads as 1), matched in full (``$`` would allow a final newline).
SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


def is_version(text: str) -> bool:
    """True for ``MAJOR.MINOR.PATCH`` without leading zeros."""
    return bool(SEMVER.fullmatch(text))


def version_key(version: str) -> tuple[int, int, int]:
    """A sortable key; :class:`~iraq_withdrawal.errors.UsageError` for anything that is not SemVer."""
    m = SEMVER.fullmatch(version)
    if not m:
        raise UsageError(f"{version!r} is not a version of the form MAJOR.MINOR.PATCH")
    major, minor, patch = (int(x) for x in m.groups())
    return major, minor, patch
