"""Decoding text files: UTF-8 only, with one set of messages for every reader.

YAML, CSV, source texts and release manifests all go through :func:`encoding_problem`
(for the first bytes of a file) and :func:`decode_utf8` (for a whole file held in
memory), so a byte order mark, UTF-16 or a legacy encoding gets the same finding
wherever it appears.
"""

from __future__ import annotations

from ..findings import Finding

BOM_UTF8 = b"\xef\xbb\xbf"
_BOM_UTF16 = (b"\xff\xfe", b"\xfe\xff")
LEGACY_HINT = "is the file in Windows-1256 or another legacy encoding?"
MAX_TEXT_BYTES = 4 * 1024 * 1024  # one article's text: the longest source is about 20 KB


def looks_like_utf16(head: bytes) -> bool:
    """True for the first bytes of UTF-16 text without a byte order mark: ASCII letters alternating with zero bytes."""
    if len(head) < 4:
        return False
    return (head[1] == 0 and head[3] == 0 and head[0] != 0 and head[2] != 0) or (
        head[0] == 0 and head[2] == 0 and head[1] != 0 and head[3] != 0
    )


def encoding_problem(head: bytes, display: str) -> Finding | None:
    """IW101 when the first bytes of a file say it is not plain UTF-8 (a BOM, UTF-16), else None."""
    if head.startswith(BOM_UTF8):
        return Finding("IW101", "file starts with a UTF-8 byte order mark", file=display, line=1)
    if head.startswith(_BOM_UTF16):
        return Finding("IW101", "file is UTF-16, not UTF-8", file=display, line=1)
    if looks_like_utf16(head[:4]):
        return Finding("IW101", "file looks like UTF-16 without a byte order mark (every other byte is 0), not UTF-8", file=display, line=1)
    return None


def invalid_byte(data: bytes, start: int, display: str, offset: int = 0, line: int | None = None) -> Finding:
    """IW101 for the byte at ``start`` of ``data`` (``offset``: where ``data`` starts in the file)."""
    if line is None:
        line = data.count(b"\n", 0, start) + 1
    return Finding("IW101", f"byte 0x{data[start]:02x} at offset {offset + start} is not valid UTF-8 ({LEGACY_HINT})",
                   file=display, line=line)


def decode_utf8(data: bytes, display: str) -> tuple[str | None, list[Finding]]:
    """Decode bytes as UTF-8, or return a finding that names the line of the first bad byte."""
    problem = encoding_problem(data[:4], display)
    if problem:
        return None, [problem]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        return None, [invalid_byte(data, exc.start, display)]


def decode_source_text(data: bytes, display: str) -> tuple[str | None, list[Finding]]:
    """An article's text: UTF-8 (:func:`decode_utf8`) without NUL bytes, which no text editor writes."""
    text, problems = decode_utf8(data, display)
    nul = text.find("\x00") if text is not None else -1
    if nul >= 0:
        return None, [Finding("IW101", f"NUL byte at offset {len(text[:nul].encode('utf-8'))}: a text file holds none (binary data or padding?)",
                              file=display, line=text.count("\n", 0, nul) + 1)]
    return text, problems
