"""Writing directories all-or-nothing: a finished directory is moved into place in one step."""

from __future__ import annotations

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
