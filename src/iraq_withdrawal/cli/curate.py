"""``iraq-withdrawal find-quote``, ``resolve-date`` and ``suggest``: plain command functions, registered in ``cli/app.py``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer

from ..datasets.curation import CurationError
from ..datasets.curation import find_quote as run_find_quote
from ..datasets.curation import resolve_date as run_resolve_date
from ..datasets.curation import suggest as run_suggest
from ..datasets.curation.lookup import read_source_text
from .options import FormatOption, ReportFormat

DatasetOption = typer.Option(None, "--dataset", help="Dataset directory (curated/ and sources/). Default: datasets/ of the checkout you are in.")


def ask_dataset(dataset: Path | None) -> Path:
    """The dataset directory: --dataset, else the datasets/ of the checkout around the current directory."""

    if dataset is not None:
        if not dataset.is_dir():
            raise CurationError(f"{dataset} does not exist or is not a directory", 2)
        return dataset
    here = Path.cwd()
    for directory in (here, *here.parents):
        if (directory / "datasets" / "sources" / "sources.yaml").is_file() and (directory / "datasets" / "curated").is_dir():
            return directory / "datasets"
        if directory.name == "datasets" and (directory / "sources" / "sources.yaml").is_file():
            return directory
    raise CurationError("no datasets/ directory (with sources/sources.yaml and curated/) here or above; pass --dataset", 2)


def find_quote(
    source: str = typer.Argument(..., help="A source id (looked up in the dataset's sources/) or a path to a text file.", show_default=False),
    quote: str = typer.Argument(..., help="The quote to find, as you would write it in evidence.", show_default=False),
    dataset: Path | None = DatasetOption,
    fmt: ReportFormat = FormatOption,
) -> None:
    """Every occurrence of a quote in a source, with offsets and lines; near-misses when it is not exact.

    Exit codes: 0 found exactly; 1 not exact (spelling-tier near-miss or not found); 2 unknown source.
    """
    root = ask_dataset(dataset) if dataset is not None or not Path(source).is_file() else None
    name, text = read_source_text(source, root)
    result = run_find_quote(quote, text, name)
    if fmt == ReportFormat.json:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_quote(result)
    raise typer.Exit(0 if result.tier == "exact" else 1)


def _print_quote(result) -> None:
    n = len(result.occurrences)
    if result.tier == "exact":
        typer.echo(f"{result.source}: {n} occurrence(s)" + (" - add 'occurrence: N' to the evidence" if n > 1 else ""))
    elif result.tier == "spelling":
        typer.echo(f"{result.source}: no exact match; {n} near-miss(es) that differ only in hamza/alef, alef maqsura or "
                   "ta marbuta (the validator fails these, IW402). Copy the source text shown:")
    else:
        typer.echo(f"{result.source}: not found")
    for o in result.occurrences:
        typer.echo(f"  occurrence {o.occurrence}: line {o.line}, column {o.column}, offsets {o.char_start}-{o.char_end}: {o.source_text}")
        typer.echo(f"    …{o.context}…")
    if result.tier == "none" and result.leading_words_found:
        typer.echo(f"  the first {result.leading_words_found} of its {result.words} words occur; the quote differs after them:")
        for o in result.partial:
            typer.echo(f"    line {o.line}, offsets {o.char_start}-{o.char_end}: …{o.context}…")


def resolve_date(
    phrase: str = typer.Argument(..., help="A relative phrase ('الخميس الماضي') or a printed date ('13/12/2021').", show_default=False),
    published: str = typer.Option(..., "--published", help="Publication date, YYYY-MM-DD (first day of the window for an undated article)."),
    published_end: str | None = typer.Option(None, "--published-end", help="Last day of the publication window, for an undated article."),
    fmt: ReportFormat = FormatOption,
) -> None:
    """The interval, precision and date_note a date phrase gives against the publication date.

    Exit codes: 0 resolved; 1 the phrase is not one the resolver knows; 2 bad options.
    """

    try:
        start = dt.date.fromisoformat(published)
        end = dt.date.fromisoformat(published_end) if published_end else None
    except ValueError as exc:
        raise CurationError(f"the publication date must be YYYY-MM-DD ({exc})", 2) from None
    result = run_resolve_date(phrase, start, end)
    if result is None:
        if fmt == ReportFormat.json:
            typer.echo(json.dumps({"phrase": phrase, "resolved": False}, ensure_ascii=False, indent=2))
        else:
            typer.echo(f"'{phrase}': not a phrase the resolver knows; resolve it by hand and explain it in date_note")
        raise typer.Exit(1)
    if fmt == ReportFormat.json:
        typer.echo(json.dumps(result.as_dict() | {"resolved": True}, ensure_ascii=False, indent=2))
        return
    typer.echo(f"date_start: {result.date_start}")
    typer.echo(f"date_end: {result.date_end}")
    typer.echo(f"date_precision: {result.date_precision}")
    typer.echo(f"date_basis: {result.date_basis}")
    typer.echo(f"date_note: '{result.date_note}'")


def suggest(
    name: str = typer.Argument(..., help="A name as an article prints it (Arabic or English).", show_default=False),
    dataset: Path | None = DatasetOption,
    fmt: ReportFormat = FormatOption,
    limit: int = typer.Option(10, "--limit", min=1, help="Show at most this many records."),
) -> None:
    """Existing actor, place and event ids for a name, so a new article links to them instead of duplicating them.

    Matches names and aliases (Arabic and English) and event summaries, folding hamza/alef, ى/ي and ة/ه
    and ignoring the article ال and the prefixes و ف ب ل ك. Exit codes: 0 something found; 1 nothing; 2 no dataset.
    """
    found = run_suggest(name, ask_dataset(dataset))[:limit]
    if fmt == ReportFormat.json:
        typer.echo(json.dumps([s.as_dict() for s in found], ensure_ascii=False, indent=2))
    else:
        if not found:
            typer.echo(f"no actor, place or event matches '{name}'")
        for s in found:
            variant = " (spelling variant or prefix)" if s.spelling_variant else ""
            shown = s.name if len(s.name) <= 80 else s.name[:79] + "…"
            typer.echo(f"{s.id}\t{s.match}{variant}\t{s.field}: {shown}")
    raise typer.Exit(0 if found else 1)
