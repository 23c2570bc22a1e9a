"""``iraq-withdrawal add-source``: a plain command function, registered in ``cli/app.py``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from ..datasets.curation import SourceMetadata
from ..datasets.curation import add_source as run
from .curate import ask_dataset


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date in the form YYYY-MM-DD", param_hint=option) from None


def add_source(
    file: Path = typer.Argument(..., help="The article text: UTF-8, no byte order mark, original line breaks.", show_default=False),
    published: str | None = typer.Option(None, "--published", help="Publication date, YYYY-MM-DD (a printed date: basis stated)."),
    published_start: str | None = typer.Option(None, "--published-start", help="First day the article can have appeared (an undated article)."),
    published_end: str | None = typer.Option(None, "--published-end", help="Last day the article can have appeared."),
    date_basis: str | None = typer.Option(None, "--date-basis", help="stated or inferred (default: stated for --published, inferred for a window)."),
    date_note: str | None = typer.Option(None, "--date-note", help="Where the date is printed or how it was inferred (required when inferred)."),
    publisher_ar: str | None = typer.Option(None, "--publisher-ar", help="Publisher as printed."),
    publisher_en: str | None = typer.Option(None, "--publisher-en", help="Publisher in English."),
    title_ar: str | None = typer.Option(None, "--title-ar", help="Headline as printed."),
    title_en: str | None = typer.Option(None, "--title-en", help="Faithful English translation of the headline."),
    author_ar: str | None = typer.Option(None, "--author-ar", help="Author as printed."),
    author_en: str | None = typer.Option(None, "--author-en", help="Author transliterated."),
    wire_agency_ar: str | None = typer.Option(None, "--wire-agency-ar", help="News agency credited, as printed."),
    wire_agency_en: str | None = typer.Option(None, "--wire-agency-en", help="That agency's English name."),
    language: str = typer.Option("ar", "--language", help="ISO 639-1 language of the text."),
    url: str | None = typer.Option(None, "--url", help="Address of the article, only when known (never guessed)."),
    dataset: Path | None = typer.Option(None, "--dataset", help="Dataset directory (curated/ and sources/). Default: datasets/ of the checkout you are in."),
) -> None:
    """Add an article: store its text, append its sources record and draft candidate records for review.

    Writes sources/<id>.txt, appends to sources/sources.yaml and writes candidates/<id>.yaml, all or nothing.
    Exit codes: 0 added; 1 refused (encoding, the text or id exists already, unreadable sources.yaml); 2 bad options or paths.
    """

    meta = SourceMetadata(
        published=_date(published, "--published"), published_start=_date(published_start, "--published-start"),
        published_end=_date(published_end, "--published-end"), date_basis=date_basis, date_note=date_note,
        publisher_ar=publisher_ar, publisher_en=publisher_en, title_ar=title_ar, title_en=title_en,
        author_ar=author_ar, author_en=author_en, wire_agency_ar=wire_agency_ar, wire_agency_en=wire_agency_en,
        language=language, url=url,
    )
    added = run(file, meta, ask_dataset(dataset))
    for warning in added.warnings:
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(f"added {added.id} (id from {added.id_basis})")
    typer.echo(f"  text:       {added.text_path}")
    typer.echo(f"  metadata:   {added.sources_yaml} (appended)")
    counts = ", ".join(f"{n} {k}" for k, n in added.counts.items())
    typer.echo(f"  candidates: {added.candidates_path} ({counts}) - review them before they count (datasets/CURATION.md)")
