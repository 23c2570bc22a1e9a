"""What the curation helpers share: their error, strict text decoding, YAML output and atomic writes."""

from __future__ import annotations

import io
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from ...errors import IraqWithdrawalError
from ...io.text import MAX_TEXT_BYTES, decode_utf8


class CurationError(IraqWithdrawalError):
    """A curation step refused or failed; the message says why and ``exit_code`` is what the CLI returns.

    Exit code 1: the input is wrong (bad encoding, a source that exists already, a YAML file that
    does not read); 2: the request cannot start (a missing file or dataset, contradictory options).
    """

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


def read_text_file(path: Path) -> bytes:
    """The bytes of an article text, refused (:class:`CurationError`, exit 2) unless a regular file of at most
    ``MAX_TEXT_BYTES``: validation refuses larger source texts, and a pipe or device would block or never end."""
    try:
        st = path.stat()
    except (OSError, ValueError) as exc:
        raise CurationError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}", 2) from None
    if not stat.S_ISREG(st.st_mode):
        raise CurationError(f"{path} is not a regular file", 2)
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_TEXT_BYTES + 1)
    except OSError as exc:
        raise CurationError(f"cannot read {path}: {exc.strerror or exc}", 2) from None
    if len(data) > MAX_TEXT_BYTES:
        raise CurationError(f"{path} is larger than {MAX_TEXT_BYTES:,} bytes, the limit for a source text", 2)
    return data


def decode_source_text(data: bytes, display: str) -> str:
    """Decode an article text as strict UTF-8, or raise :class:`CurationError` naming the file, line and byte.

    Refuses a byte order mark, UTF-16 (with or without one), bytes that are not UTF-8, NUL and other
    control characters (other than tab, line feed and carriage return), and a text with no letters.
    """
    text, problems = decode_utf8(data, display)
    if problems:
        finding = problems[0]
        offending = _offending_bytes(data)
        raise CurationError(f"{display}:{finding.line or 1}: {finding.message}{offending}; save the text as UTF-8 without a byte order mark")
    assert text is not None
    for offset, ch in enumerate(text):
        if (ord(ch) < 0x20 and ch not in "\t\n\r") or ord(ch) == 0x7F:
            line = text.count("\n", 0, offset) + 1
            raise CurationError(f"{display}:{line}: control character U+{ord(ch):04X} at character {offset}; an article text holds none")
    if not text.strip():
        raise CurationError(f"{display}: the file holds no text")
    return text


def _offending_bytes(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return " (bytes ef bb bf at offset 0)"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return f" (bytes {data[0]:02x} {data[1]:02x} at offset 0)"
    if len(data) >= 4 and (data[1] == 0 or data[0] == 0):
        zero = 1 if data[1] == 0 else 0
        return f" (byte 0x00 at offset {zero})"
    return ""


def flow(values: list) -> Any:
    """A short list written on one line ("[184, 185]")."""
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


def dump_yaml(value: Any) -> str:
    """YAML in the curated files' style: block style, two-space indents, sequences indented, Arabic unescaped."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.representer.ignore_aliases = lambda *args: True  # equal values are written out in full: the reader refuses anchors
    out = io.StringIO()
    yaml.dump(value, out)
    return out.getvalue()


def inside(path: Path, root: Path) -> bool:
    """True when ``path`` (links resolved) lies inside ``root``."""
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def write_atomically(files: dict[Path, bytes], root: Path) -> None:
    """Write every file or none: each goes to a temporary file beside it, then all are renamed into place.

    Refuses a target outside ``root``. If a rename fails, the files already renamed are put back as
    they were (removed, or restored from their previous bytes), so a failure leaves nothing half-written.
    """
    for path in files:
        if not inside(path, root):
            raise CurationError(f"{path} is outside the dataset directory {root}; nothing written", 2)
    temps: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            temps.append((Path(tmp), path))
    except OSError as exc:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        raise CurationError(f"cannot write {exc.filename or ''}: {exc.strerror or exc}; nothing written") from None
    previous = {path: (path.read_bytes() if path.is_file() else None) for _, path in temps}
    done: list[Path] = []
    try:
        for tmp, path in temps:
            os.replace(tmp, path)
            done.append(path)
    except OSError as exc:
        for path in done:
            old = previous[path]
            if old is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(old)
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
        raise CurationError(f"cannot write {exc.filename or ''}: {exc.strerror or exc}; nothing written") from None
