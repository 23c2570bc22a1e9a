"""Writing directories all-or-nothing: a finished directory is moved into place in one step."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path


def replace_directory(staged: Path, out: Path) -> None:
    """Move a finished directory into place; the old one is removed only after the new one is in.

    If anything interrupts the swap (an error, Ctrl-C), the previous directory is put back.
    """
    if not out.exists():
        os.replace(staged, out)
        return
    backup = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    moved = False
    try:
        os.replace(out, backup)
        moved = True
        os.replace(staged, out)
    except BaseException:
        if moved and not out.exists():
            os.replace(backup, out)
        elif not moved:
            backup.rmdir()
        raise
    shutil.rmtree(backup)


def holds_a_build(directory: Path, package_name: str) -> bool:
    """True when every file under ``directory`` is one a build writes and lists in its SHA256SUMS.

    A build's datapackage.json is named ``package_name`` and describes every file but itself and SHA256SUMS.

    Only such a directory may be replaced by a new build: a directory that also holds
    anything else (notes, another data package, a link) is the user's, and is left alone.
    """
    sums = directory / "SHA256SUMS"
    if sums.is_symlink() or not sums.is_file() or not (directory / "datapackage.json").is_file():
        return False
    try:
        if sums.stat().st_size > 1 << 20 or (directory / "datapackage.json").stat().st_size > 16 << 20:
            return False
        listed = {line.partition("  ")[2] for line in sums.read_text(encoding="utf-8").splitlines() if line.strip()}
        descriptor = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
        # a build writes its resources, datapackage.json and SHA256SUMS: another package's SHA256SUMS may list its own files
        ours = {r.get("path") for r in descriptor["resources"] if isinstance(r, dict)} | {"datapackage.json"}
        if descriptor.get("name") != package_name:
            return False
    except (OSError, ValueError, RecursionError, KeyError, TypeError, AttributeError):
        return False
    listed &= ours
    for dirpath, dirnames, filenames in os.walk(directory):
        for name in dirnames:
            if (Path(dirpath) / name).is_symlink():
                return False
        for name in filenames:
            path = Path(dirpath) / name
            relative = path.relative_to(directory).as_posix()
            if path.is_symlink() or (relative != "SHA256SUMS" and relative not in listed):
                return False
    return True
