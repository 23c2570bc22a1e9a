"""Findings, the rule catalogue and the report they collect into.

Every problem the validators find is a :class:`Finding` with a stable rule code from
:data:`RULES`. Renderers (``render.py``) turn a :class:`Report` into text, JSON or
GitHub annotations; the exit code comes from the report.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    severity: Severity
    hint: str


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {r.code: r for r in rules}


E, W = Severity.ERROR, Severity.WARNING

#: The rule catalogue. Codes are stable: a code is never reused for another rule.
RULES: dict[str, Rule] = _rules(
    # IW1xx reading
    Rule("IW101", "File is not valid UTF-8", E, "Save the file as UTF-8 (without a byte order mark for YAML)."),
    Rule("IW102", "YAML syntax error", E, "Fix the YAML syntax at the line shown; quote strings that contain ': ' or start with a quote."),
    Rule("IW103", "Duplicate key", E, "Remove or rename one of the keys: YAML keeps only one of them."),
    Rule("IW104", "YAML tag not allowed", E, "Remove the tag: curated files hold plain strings, numbers, dates, lists and mappings."),
    Rule("IW105", "YAML anchor or alias not allowed", E, "Write the value out in full instead of using '&anchor' and '*alias'."),
    Rule("IW106", "Unexpected structure", E, "A curated file is a mapping of table names to lists of records."),
    Rule("IW107", "Path leaves the directory being validated", E,
         "Use a relative path inside the package; no '..', absolute paths, URLs or links that point outside."),
    Rule("IW108", "Table file cannot be read", E,
         "Write the file again in full (pandas `df.to_parquet(path)`, polars `df.write_parquet(path)`, or "
         "iraq_withdrawal.write_table(df, path, table=...)); a CSV file needs one header row and the same number of fields on every row."),
    Rule("IW109", "Column missing, repeated or of the wrong type", E,
         "Add the missing column, rename the repeated one, or store the column with the type the codebook lists."),
    Rule("IW110", "More than one YAML document", E, "Keep one document per file (remove the '---' separators)."),
    Rule("IW111", "Input too large or too deeply nested", E, "Split the file or flatten the structure."),
    Rule("IW112", "File missing", E, "Add the file, or remove the reference to it."),
    Rule("IW113", "Cell cannot be parsed as its column's type", E,
         "Write dates as YYYY-MM-DD, numbers with a '.' decimal point and no thousands separator, true/false for booleans, "
         "lists as JSON arrays; iraq_withdrawal.write_table(df, path, table=...) writes every type so."),
    Rule("IW114", "Column not part of the table", W,
         "Drop the column before writing (pandas `df.drop(columns=[...])`, polars `df.drop(...)`), or ignore this warning; "
         "it is not checked. With --strict it fails."),
    # IW2xx record schema
    Rule("IW201", "Required field missing", E, "Add the field; write null only where the field may be empty."),
    Rule("IW202", "Unknown field", E, "Remove the field or correct its name; the codebook lists the fields."),
    Rule("IW203", "Invalid value", E, "Use a value of the field's type and allowed values (see the codebook)."),
    Rule("IW204", "Fields contradict each other", E, "Make the fields agree as the message says."),
    # IW3xx table rules
    Rule("IW301", "Duplicate id", E,
         "Give each record a unique id, or drop the repeated rows (pandas `df.drop_duplicates(subset=[\"id\"])`, "
         "polars `df.unique(subset=\"id\", keep=\"first\")`); merge records that describe the same thing."),
    Rule("IW302", "Reference to an id that does not exist", E,
         "Correct the id, add the record it refers to, or keep the rows whose reference exists "
         "(pandas `links[links.event.isin(events.id)]`, polars `links.filter(pl.col(\"event\").is_in(events[\"id\"]))`)."),
    Rule("IW303", "Value not allowed in this column", E,
         "Use one of the allowed values the message lists, spelt exactly (lowercase, underscores); the codebook defines each."),
    Rule("IW304", "Required value missing", E,
         "Fill the cell; only nullable columns may be empty (pandas `df[df[\"col\"].isna()]` lists the rows)."),
    Rule("IW305", "Text cell a spreadsheet would execute", W,
         "Cells starting with '=', '+', '-', '@' or a tab run as formulas in spreadsheets; check the value is meant."),
    # IW4xx provenance
    Rule("IW401", "Quote not found in its source", E,
         "Copy the quote character for character from the text of the source the message names (sources/<source id>.txt)."),
    Rule("IW402", "Quote differs from its source in spelling only", E,
         "Copy the exact source text shown in the message (hamza, alef maqsura, ta marbuta as printed)."),
    Rule("IW403", "Quote occurs more than once", E, "Add 'occurrence: N' to say which occurrence is meant, or quote more words."),
    Rule("IW404", "Occurrence out of range", E, "The quote occurs fewer times than 'occurrence' says."),
    Rule("IW405", "Offsets do not match the quote", E, "Rebuild the release: text[char_start:char_end] must equal the quote."),
    Rule("IW406", "Source text missing or changed", E, "Restore the source text; its SHA-256 must match the sources table."),
    Rule("IW407", "Quote spans a paragraph break", W, "Split the quote into one evidence item per paragraph."),
    # IW5xx consistency
    Rule("IW501", "Date range ends before it starts", E, "Correct date_end (or date_start): the message shows both; swapped dates are the usual cause."),
    Rule("IW502", "Date after the source's publication", E,
         "Dates after publication are only possible for announced, planned, threatened, speculated or ongoing records."),
    Rule("IW503", "Date precision does not fit the dates", E,
         "A day: one day or a span of days; a month: its first to its last day; a year: 1 January to 31 December."),
    Rule("IW504", "Date fields incomplete", E, "Give date_start, date_end, date_precision and date_basis together, or none of them."),
    Rule("IW505", "Resolved or inferred date without a note", W, "Say in date_note how the date was resolved."),
    Rule("IW506", "Resolved date does not match its phrase", W, "Resolve the phrase quoted in date_note against the publication date again (see the message)."),
    # IW6xx coverage
    Rule("IW601", "Number in a source not covered", E, "Make a record whose evidence includes it, or list it in exclusions with a reason."),
    Rule("IW602", "Quoted span in a source not covered", E, "Make a record whose evidence includes it, or list it in exclusions with a reason."),
    Rule("IW603", "Exclusion that matches nothing in its source", E, "Correct the exclusion's quote or remove it."),
    Rule("IW604", "Unreviewed candidate record", W,
         "Settle the fields listed under 'todo', then move the record into curated/ without 'todo' and 'candidate', or drop it; "
         "delete the candidates file when it is empty (datasets/CURATION.md, Candidates)."),
    # IW7xx release integrity
    Rule("IW701", "File hash does not match", E,
         "The file changed after the release was built: restore it from the release (download it again) or rebuild; "
         "a derived table belongs outside the release folder."),
    Rule("IW702", "Schema version missing or unknown", E,
         "Declare a schema_version this package knows in datapackage.json, or upgrade iraq-withdrawal to one that knows it."),
    Rule("IW703", "Released id disappeared", E, "List the withdrawn id in retired_ids with a reason."),
    Rule("IW704", "Release manifest invalid", E, "datapackage.json must be a Frictionless data package as `build` writes it."),
    Rule("IW705", "Retired id used again", E, "Ids are never reused: give the new record a new id."),
    Rule("IW706", "Derived column or flat table disagrees with the tables it is computed from", E,
         "Derived columns and flat tables are computed by `iraq-withdrawal build`, never edited: rebuild the release, "
         "or derive your own columns under other names."),
)


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: Characters kept of a finding's message and of its record (a value quoted from data can be megabytes long).
MAX_MESSAGE = 2000
MAX_RECORD = 500


def printable(text: str) -> str:
    """``text`` with control characters, bidi overrides and lone surrogates written as ``\\xNN``/``\\uNNNN``.

    Every finding's message, file, record and field go through this, so data cannot move the
    cursor, retitle a terminal, forge a line or reorder what a reader sees, and a lone surrogate
    (which no UTF-8 output can encode) cannot stop the report from being printed.
    """
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1] if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


def shortened(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text) - limit:,} more characters)"


@dataclass(frozen=True)
class Finding:
    """One problem, located as precisely as the input allows."""

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    row: int | None = None
    record: str | None = None
    field: str | None = None
    severity: Severity | None = None
    hint: str | None = None

    def __post_init__(self) -> None:
        limits = {"message": MAX_MESSAGE, "record": MAX_RECORD}
        for name in ("message", "file", "record", "field"):  # data reaches terminals and CI logs: no escape sequences
            value = getattr(self, name)
            if value is not None:
                text = value if isinstance(value, str) else str(value)
                if name in limits:  # bounded before escaping, so a huge value is never copied whole
                    text = shortened(text, limits[name])
                object.__setattr__(self, name, printable(text))
        rule = RULES[self.code]
        if self.severity is None:
            object.__setattr__(self, "severity", rule.severity)
        if self.hint is None:
            object.__setattr__(self, "hint", rule.hint)

    @property
    def title(self) -> str:
        return RULES[self.code].title

    def as_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        data["title"] = self.title
        return data

    def sort_key(self) -> tuple:
        return (self.file or "", self.line or 0, self.row or 0, self.code, self.record or "", self.field or "", self.message)


@dataclass
class Report:
    """All findings of one validation run, with what was checked."""

    target: str
    kind: str
    findings: list[Finding] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    suppressed: dict[str, int] = field(default_factory=dict)  # findings counted but not listed, by code
    #: The directory the findings' ``file`` paths are relative to (absolute), for renderers that re-anchor them.
    origin: str | None = None

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def __iter__(self) -> Iterator[Finding]:
        return iter(sorted(self.findings, key=Finding.sort_key))

    @property
    def errors(self) -> int:
        return self._count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self._count(Severity.WARNING)

    def _count(self, severity: Severity) -> int:
        listed = sum(1 for f in self.findings if f.severity == severity)
        return listed + sum(n for code, n in self.suppressed.items() if RULES[code].severity == severity)

    def counts_by_code(self) -> dict[str, int]:
        """Findings per rule code, the listed and the counted-but-not-listed ones."""
        counts = Counter(f.code for f in self.findings)
        counts.update(self.suppressed)
        return dict(sorted(counts.items()))

    def exit_code(self, strict: bool = False) -> int:
        """0 when valid; 1 when there are errors (or warnings, with strict)."""
        return 1 if self.errors or (strict and self.warnings) else 0

    def as_dict(self, strict: bool = False) -> dict:
        return {
            "target": self.target,
            "kind": self.kind,
            "valid": self.exit_code(strict) == 0,
            "errors": self.errors,
            "warnings": self.warnings,
            "checked": self.checked,
            "counts_by_code": self.counts_by_code(),
            "not_listed_by_code": dict(sorted(self.suppressed.items())),
            "notes": self.notes,
            "findings": [f.as_dict() for f in self],
        }
