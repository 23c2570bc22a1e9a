"""Add a new article to a curated dataset: its text, its sources record and a candidate file.

:func:`add_source` stores the text verbatim as ``sources/<id>.txt``, appends the sources record
to ``sources/sources.yaml`` (the other records are left byte for byte as they were) and writes
``candidates/<id>.yaml`` with draft figures, statements and dates (:mod:`.extract`). All three
files are written atomically: either all of them appear or none does.

The source id is ``src-`` and 8 hex digits. The five articles so far have the ids their seed
files carry (``000_44bb0898632d3d02.txt`` is ``src-44bb0898``); those 16 hex digits are not the
SHA-256, SHA-1, MD5 or BLAKE2 of the text (checked on the raw bytes and on normalised forms), so
they cannot be recomputed from the text. The id of a seed file (``NNN_<16 hex>.txt``) is
therefore taken from its name; any other text gets ``src-`` and the first 8 hex digits of the
SHA-256 of its bytes, the hash the build records as ``sources.text_sha256``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ...io.yaml_reader import MAX_YAML_BYTES, LineDict, LineList, read_yaml
from ...schema import CURRENT_VERSION, load_schema
from ...schema.dates import calendar_precision
from ...validators.matching import exact_fold, locate
from .candidates import candidate_path, render_candidates
from .common import (
    CurationError,
    decode_source_text,
    dump_yaml,
    inside,
    read_text_file,
    write_atomically,
)
from .dates import find_dates
from .extract import draft_candidates, quote_item
from .lookup import NameIndex

SEED_NAME = re.compile(r"\d+_([0-9a-f]{16})\.txt")


@dataclass
class SourceMetadata:
    """What a curator knows about an article before reading it closely."""

    published: dt.date | None = None
    published_start: dt.date | None = None
    published_end: dt.date | None = None
    date_basis: str | None = None  # stated | inferred
    date_note: str | None = None
    publisher_ar: str | None = None
    publisher_en: str | None = None
    title_ar: str | None = None
    title_en: str | None = None
    author_ar: str | None = None
    author_en: str | None = None
    wire_agency_ar: str | None = None
    wire_agency_en: str | None = None
    language: str = "ar"
    url: str | None = None


@dataclass
class AddedSource:
    id: str
    id_basis: str
    text_path: Path
    sources_yaml: Path
    candidates_path: Path
    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)


def source_id(data: bytes, file_name: str) -> tuple[str, str]:
    """(id, how it was derived) for a text: from a seed file's name, else from the SHA-256 of its bytes."""
    m = SEED_NAME.fullmatch(file_name)
    if m:
        return f"src-{m.group(1)[:8]}", f"the seed file name {file_name}"
    return f"src-{hashlib.sha256(data).hexdigest()[:8]}", "the SHA-256 of the text"


def publication(meta: SourceMetadata) -> tuple[dt.date, dt.date, str, str]:
    """(published_date, last possible day, precision, basis) from the date options; CurationError(2) when they do not fit."""
    if meta.published is not None and (meta.published_start or meta.published_end):
        raise CurationError("give either --published or --published-start and --published-end, not both", 2)
    if meta.published is not None:
        start = end = meta.published
    elif meta.published_start and meta.published_end:
        start, end = meta.published_start, meta.published_end
    elif meta.published_start or meta.published_end:
        raise CurationError("a publication window needs both --published-start and --published-end", 2)
    else:
        raise CurationError("the publication date is required: --published YYYY-MM-DD, or a window with "
                            "--published-start and --published-end (and --date-basis inferred --date-note '...')", 2)
    if end < start:
        raise CurationError(f"--published-end {end} is before --published-start {start}", 2)
    precision = calendar_precision(start, end)
    basis = meta.date_basis or ("stated" if precision == "day" else "inferred")
    if basis not in ("stated", "inferred"):
        raise CurationError(f"--date-basis must be 'stated' or 'inferred', not '{basis}'", 2)
    if basis == "inferred" and not meta.date_note:
        raise CurationError("an inferred publication date needs --date-note with the reasoning (CURATION.md: undated articles)", 2)
    return start, end, precision, basis


def _check_dataset(dataset: Path) -> Path:
    sources_yaml = dataset / "sources" / "sources.yaml"
    if not (dataset / "curated").is_dir() or not sources_yaml.is_file():
        raise CurationError(f"{dataset} is not a curated dataset directory (curated/ and sources/sources.yaml); pass --dataset", 2)
    for sub in ("sources", "curated", "candidates"):
        if (dataset / sub).exists() and not inside(dataset / sub, dataset):
            raise CurationError(f"{dataset / sub} is a link that leads out of the dataset directory; nothing written", 2)
    return sources_yaml


def _existing(dataset: Path, sources_yaml: Path, new_id: str, data: bytes, text: str) -> None:
    doc = read_yaml(sources_yaml, str(sources_yaml))
    if doc.findings:
        first = doc.findings[0]
        raise CurationError(f"{sources_yaml}:{first.line or 1}: {first.message}; fix it before adding a source")
    rows = doc.value.get("sources") if isinstance(doc.value, LineDict) else None
    for raw, line in zip(rows or [], getattr(rows, "item_lines", [])):
        if isinstance(raw, dict) and raw.get("id") == new_id:
            raise CurationError(f"source id {new_id} exists already ({sources_yaml}:{line}); nothing written")
    for path in (dataset / "sources" / f"{new_id}.txt", candidate_path(dataset, new_id)):
        if path.exists():
            raise CurationError(f"{path} exists already; nothing written")
    digest, folded = hashlib.sha256(data).hexdigest(), exact_fold(text)
    for other in sorted((dataset / "sources").glob("*.txt")):
        try:
            other_bytes = other.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(other_bytes).hexdigest() == digest:
            raise CurationError(f"this text is already in the dataset as {other} (same bytes); nothing written")
        try:
            if exact_fold(other_bytes.decode("utf-8")) == folded:
                raise CurationError(f"this text is already in the dataset as {other} (the same text up to invisible marks, "
                                    "digit script and white space); nothing written")
        except UnicodeDecodeError:
            continue


def _metadata_evidence(text: str, source: str, meta: SourceMetadata, published: dt.date, basis: str) -> tuple[list[dict], list[str], str | None]:
    """Evidence for the metadata the text prints, warnings for what it does not, and a note for a printed date."""
    evidence, warnings = [], []
    for option, value in (("--title-ar", meta.title_ar), ("--publisher-ar", meta.publisher_ar), ("--author-ar", meta.author_ar),
                          ("--wire-agency-ar", meta.wire_agency_ar)):
        if not value:
            continue
        match = locate(value, text)
        if match.tier == "exact":
            item = quote_item(text, *match.spans[0], source)
            if len(match.spans) > 1:
                item["occurrence"] = 1
            evidence.append(item)
        elif match.tier == "spelling":
            s, e = match.spans[0]
            warnings.append(f"{option} '{value}' matches the text only at the spelling tier; the text has '{text[s:e]}' "
                            f"(line {text.count(chr(10), 0, s) + 1}); no evidence added for it")
        else:
            warnings.append(f"{option} '{value}' does not occur in the text; no evidence added for it")
    note = None
    if basis == "stated":
        printed = [m for m in find_dates(text) if m.precision == "day" and m.date_start == published]
        if printed:
            evidence.append(quote_item(text, printed[0].start, printed[0].end, source))
            note = f'Printed as "{printed[0].phrase}".'
        else:
            warnings.append(f"--date-basis stated, but {published.isoformat()} is not printed in the text as a day/month/year date; "
                            "add the evidence by hand")
    if not evidence:
        line = next(ln for ln in text.split("\n") if ln.strip())
        words = line.split()[:10]
        start = text.find(line) + line.find(words[0])
        end = text.find(words[-1], start) + len(words[-1])
        evidence.append(quote_item(text, start, end, source))
        warnings.append("no metadata given was found in the text: the sources record quotes the first line of the text as "
                        "placeholder evidence; replace it with the words the metadata rests on")
    return evidence, warnings, note


def _record(source: str, meta: SourceMetadata, published: dt.date, published_end: dt.date, precision: str, basis: str,
            note: str | None, evidence: list[dict]) -> dict[str, Any]:
    record = {
        "id": source,
        "publisher_ar": meta.publisher_ar, "publisher_en": meta.publisher_en,
        "title_ar": meta.title_ar, "title_en": meta.title_en,
        "author_ar": meta.author_ar, "author_en": meta.author_en,
        "wire_agency_ar": meta.wire_agency_ar, "wire_agency_en": meta.wire_agency_en,
        "published_date": published,
        "published_date_precision": precision,
        "published_date_basis": basis,
        "published_date_note": meta.date_note or note,
        "published_date_end": published_end,
        "language": meta.language,
        "url": meta.url,
        "notes": None,
        "evidence": evidence,
    }
    try:
        load_schema(CURRENT_VERSION).RECORD_MODELS["sources"].model_validate(record)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False))
        raise CurationError(f"the sources record would not validate: {problems}", 2) from None
    return record


def _appended(sources_yaml: Path, record: dict[str, Any]) -> bytes:
    """sources.yaml with the record appended as the last item of ``sources``; the other bytes unchanged."""
    existing = sources_yaml.read_bytes().decode("utf-8")
    doc = read_yaml(sources_yaml, str(sources_yaml))
    value = doc.value
    if not isinstance(value, LineDict) or "sources" not in value:
        raise CurationError(f"{sources_yaml}:1: expected a mapping with a 'sources' list; nothing written")
    if max(value.key_lines.values()) != value.key_lines["sources"]:
        raise CurationError(f"{sources_yaml}:{value.key_lines['sources']}: 'sources' is not the last key of the file, "
                            "so a record cannot be appended to it; nothing written")
    rows = value["sources"]
    lines = existing.split("\n")
    key_line = lines[value.key_lines["sources"] - 1]
    if rows is not None and not (isinstance(rows, LineList) and rows and "[" not in key_line.split(":", 1)[1]):
        raise CurationError(f"{sources_yaml}:{value.key_lines['sources']}: 'sources' must be a block list (or empty) to append to; nothing written")
    indent = 2
    if rows:
        first = lines[rows.item_lines[0] - 1]
        indent = len(first) - len(first.lstrip(" "))
    block = dump_yaml({"sources": [record]}).split("\n", 1)[1]  # "  - id: ..." (offset 2)
    block = "\n".join((" " * (indent - 2) + ln if indent >= 2 else ln[2 - indent:]) if ln else ln for ln in block.split("\n"))
    new = existing.rstrip("\n") + "\n\n" + block
    if not new.endswith("\n"):
        new += "\n"
    from ruamel.yaml import YAML

    if len(new.encode("utf-8")) > MAX_YAML_BYTES:  # validation would refuse the whole file, every source with it
        raise CurationError(f"appending the record would make {sources_yaml} larger than {MAX_YAML_BYTES:,} bytes, "
                            "the limit for a YAML file; nothing written")
    parsed = YAML(typ="safe", pure=True).load(new)
    if [s.get("id") for s in parsed["sources"]][-1] != record["id"] or len(parsed["sources"]) != len(rows or []) + 1:
        raise CurationError(f"appending to {sources_yaml} would not give a valid list of sources; nothing written")
    return new.encode("utf-8")


def add_source(file: Path, meta: SourceMetadata, dataset: Path) -> AddedSource:
    """Add an article text to ``dataset`` with its sources record and its candidate file (all or nothing)."""
    sources_yaml = _check_dataset(dataset)
    data = read_text_file(file)
    text = decode_source_text(data, str(file))
    published, published_end, precision, basis = publication(meta)
    new_id, id_basis = source_id(data, file.name)
    _existing(dataset, sources_yaml, new_id, data, text)
    evidence, warnings, note = _metadata_evidence(text, new_id, meta, published, basis)
    record = _record(new_id, meta, published, published_end, precision, basis, note, evidence)

    index = NameIndex.from_dataset(dataset)
    drafts = draft_candidates(text, new_id, published, published_end, speaker_guess=index.speaker)
    source_todo = ["publisher, title, author and wire agency: as printed, null where the text prints none",
                   "published_date_note: where the date is printed, or how it was inferred",
                   "notes: page furniture, credits that contradict the text, inconsistencies",
                   "evidence: the words each metadata field rests on"] + warnings
    candidates_file = candidate_path(dataset, new_id)
    text_path = dataset / "sources" / f"{new_id}.txt"
    write_atomically({
        text_path: data,
        candidates_file: render_candidates(new_id, published, published_end, drafts, source_todo).encode("utf-8"),
        sources_yaml: _appended(sources_yaml, record),
    }, dataset)
    counts = {"figures": len(drafts.figures), "statements": len(drafts.statements), "dates": len(drafts.dates)}
    return AddedSource(new_id, id_basis, text_path, sources_yaml, candidates_file, counts, warnings)
