"""Paths named by untrusted data, resolved so that nothing outside a root is read.

Every reader that follows a path it found in a file (a datapackage resource, a
SHA256SUMS line, a source's ``text_path``) or walks a directory goes through these
functions: no ``..``, no absolute or drive paths, no URLs, no symbolic link that
leads out of the root.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Any

from ..findings import Finding

URL_PREFIXES = ("http:", "https:", "ftp:", "file:", "s3:", "gs:", "data:")
NAME_MAX = 255  # bytes in one path component (Linux, macOS, Windows)
PATH_MAX = 4096  # bytes in a whole path (Linux)


def too_long(path: str | Path) -> str | None:
    """Why the file system would refuse ``path`` as too long, or None."""
    try:
        encoded = os.fsencode(path)
    except UnicodeEncodeError:  # a lone surrogate no file name can hold: measured as UTF-8 would store it
        encoded = str(path).encode("utf-8", "surrogatepass")
    if len(encoded) > PATH_MAX:
        return f"the path is {len(encoded):,} bytes long; the file system allows {PATH_MAX:,}"
    longest = max((len(part) for part in encoded.replace(b"\\", b"/").split(b"/")), default=0)
    if longest > NAME_MAX:
        return f"a name in the path is {longest:,} bytes long; the file system allows {NAME_MAX}"
    return None


def stat_kind(path: Path) -> str:
    """``"missing"``, ``"dir"``, ``"file"`` or ``"other"`` (a pipe, a device), without raising on a bad path."""
    if too_long(path):
        return "missing"
    try:
        if path.is_dir():
            return "dir"
        if path.is_file():
            return "file"
        return "other" if path.exists() else "missing"
    except (OSError, ValueError):
        return "missing"


def is_inside(path: Path, root: Path) -> bool:
    """True when ``path``, with every link resolved, lies inside ``root``."""
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python < 3.13)
        return False


def display_path(path: Path, root: Path) -> str:
    """``path`` as findings show it: relative to the parent of ``root`` when inside it."""
    try:
        return path.relative_to(root.parent).as_posix()
    except ValueError:
        return path.as_posix()


def safe_member(root: Path, relative: Any, display: str) -> tuple[Path | None, Finding | None]:
    """Resolve a path named inside ``root``; a finding instead when it leaves ``root`` or is not a file."""
    if not isinstance(relative, str) or not relative or "\x00" in relative:
        return None, Finding("IW704", f"resource path {relative!r} is not a relative path", file=display, field="path")
    try:
        os.fsencode(relative)
    except UnicodeEncodeError:  # a lone surrogate (a JSON escape such as \ud800): no file can have that name
        return None, Finding("IW704", f"resource path {relative!r} holds a lone surrogate; no file name can", file=display, field="path")
    lowered = relative.lower()
    if lowered.startswith(URL_PREFIXES) or "://" in lowered:
        return None, Finding("IW107", f"resource path '{relative}' is a URL; validation reads local files only", file=display, field="path")
    pure = PurePosixPath(relative.replace("\\", "/"))
    if pure.is_absolute() or (len(relative) > 1 and relative[1] == ":") or ".." in pure.parts:
        return None, Finding("IW107", f"resource path '{relative}' leaves the release directory", file=display, field="path")
    length = too_long(relative)
    if length:
        return None, Finding("IW107", f"resource path '{relative[:80]}…' cannot be opened: {length}", file=display, field="path")
    path = root.joinpath(*pure.parts)
    try:
        resolved = path.resolve()
        resolved.relative_to(root.resolve())
    except ValueError:
        return None, Finding("IW107", f"resource path '{relative}' is a link that leaves the release directory", file=display, field="path")
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic link loop (Python < 3.13)
        return None, Finding("IW107", f"resource path '{relative}' cannot be resolved: {exc}", file=display, field="path")
    if stat_kind(path) != "file":
        return None, Finding("IW112", f"resource path '{relative}' does not exist", file=display, field="path")
    return path, None
