"""Renderers of a :class:`~iraq_withdrawal.findings.Report`: text, JSON, GitHub annotations."""

from __future__ import annotations

import json
import os

from ..findings import Finding, Report, printable


def _location(f: Finding) -> str:
    place = f.file or "-"
    if f.line:
        place += f":{f.line}"
    elif f.row:
        place += f" row {f.row}"
    return place


def render_text(report: Report, strict: bool = False, limit: int | None = None) -> str:
    lines = []
    shown = 0
    for f in report:
        if limit is not None and shown >= limit:
            break
        shown += 1
        where = _location(f)
        subject = " ".join(p for p in (f"record {f.record}" if f.record else "", f"field {f.field}" if f.field else "") if p)
        lines.append(f"{where}: {f.severity.value} {f.code} {f.title}{' (' + subject + ')' if subject else ''}")
        lines.append(f"    {f.message}")
        lines.append(f"    hint: {f.hint}")
    if limit is not None and len(report.findings) > shown:
        lines.append(f"... and {len(report.findings) - shown} more findings (use --max-findings to see more)")
    checked = ", ".join(f"{n} {k}" for k, n in report.checked.items())
    verdict = "valid" if report.exit_code(strict) == 0 else "invalid"
    lines.append(
        f"{printable(report.target)}: {verdict} ({report.kind}; {report.errors} error(s), {report.warnings} warning(s)"
        + (f"; checked {checked}" if checked else "")
        + ")"
    )
    for code, n in sorted(report.suppressed.items()):
        lines.append(f"note: {n:,} more {code} findings were counted but not listed")
    for note in report.notes:
        lines.append(f"note: {note}")
    return "\n".join(lines) + "\n"


def render_json(report: Report, strict: bool = False, limit: int | None = None) -> str:
    return json.dumps(report.as_dict(strict), ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation_path(report: Report, file: str, workspace: str | None = None) -> str:
    """A finding's file as GitHub resolves annotation paths: relative to ``GITHUB_WORKSPACE`` when set,
    else to the working directory (the report's paths are relative to ``report.origin``)."""
    if report.origin is None:
        return file
    base = workspace or os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
    absolute = os.path.normpath(os.path.join(report.origin, file))
    return os.path.relpath(absolute, os.path.abspath(base)).replace(os.sep, "/")


def render_github(report: Report, strict: bool = False, limit: int | None = None) -> str:
    """GitHub Actions workflow commands (``::error file=…,line=…,title=…::message``).

    Paths are re-anchored to the workspace (:func:`annotation_path`) so that the annotation
    attaches to the file in the pull request; a CSV finding carries its ``line``, a Parquet
    finding (no lines) names its row in the title.
    """
    lines = []
    for f in report:
        level = "error" if f.severity.value == "error" or strict else "warning"
        props = []
        if f.file:
            props.append(f"file={_escape_property(annotation_path(report, f.file))}")
        if f.line:
            props.append(f"line={f.line}")
        title = f"{f.code} {f.title}" + (f" (row {f.row})" if f.row and not f.line else "")
        props.append(f"title={_escape_property(title)}")
        subject = f"{f.record}.{f.field}: " if f.record and f.field else f"{f.record}: " if f.record else ""
        lines.append(f"::{level} {','.join(props)}::{_escape_data(subject + f.message + ' (hint: ' + (f.hint or '') + ')')}")
    verdict = "valid" if report.exit_code(strict) == 0 else "invalid"
    lines.append(f"{printable(report.target)}: {verdict} ({report.errors} error(s), {report.warnings} warning(s))")
    return "\n".join(lines) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "github": render_github}


def render(report: Report, fmt: str, strict: bool = False, limit: int | None = None) -> str:
    return RENDERERS[fmt](report, strict=strict, limit=limit)
