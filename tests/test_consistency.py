"""Date rules, on the articles' own phrases."""

from __future__ import annotations

import datetime as dt

from iraq_withdrawal.io.tables import to_arrow
from iraq_withdrawal.schema.dates import latest_publication, precision_problem, ucdp_date_prec
from iraq_withdrawal.validators.dates import publication_findings
from iraq_withdrawal.validators.relative_dates import resolve
from iraq_withdrawal.validators.tables import check_table

PUBLISHED = dt.date(2021, 12, 13)  # src-44bb0898, a Monday


def _dates(**kw):
    return dict(date_start=None, date_end=None, date_precision=None, date_basis=None, date_note=None) | kw


def _codes(dates, published=PUBLISHED, forward=False):
    """The date findings of an event reported by one source published on ``published`` (the same engine on every path)."""
    event = {"id": "evt-x", "event_type": "diplomacy", "event_subtype": "talks", "status": "planned" if forward else "occurred",
             "summary_en": "Talks.", "summary_ar": "محادثات"} | dates
    source = {"id": "src-x", "published_date": published, "published_date_precision": "day"}
    evidence = {"record": "evt-x", "seq": 1, "record_table": "events", "source": "src-x"}
    within = check_table(to_arrow("events", [event]), "events", "events.csv")
    across = publication_findings({"sources": [source], "events": [event], "evidence": [evidence]}, lambda *a: {})
    return [f.code for f in within + across]


def test_relative_phrases_of_the_articles() -> None:
    assert resolve("الخميس الماضي", PUBLISHED) == (dt.date(2021, 12, 9), dt.date(2021, 12, 9), "day")
    assert resolve("أول من أمس", PUBLISHED) == (dt.date(2021, 12, 11), dt.date(2021, 12, 11), "day")
    assert resolve("الشهر الماضي", PUBLISHED) == (dt.date(2021, 11, 1), dt.date(2021, 11, 30), "month")
    assert resolve("العام الماضي", PUBLISHED) == (dt.date(2020, 1, 1), dt.date(2020, 12, 31), "year")
    assert resolve("مطلع العام الماضي", PUBLISHED) == (dt.date(2020, 1, 1), dt.date(2020, 3, 31), "season")
    assert resolve("الأحد الماضي", dt.date(2024, 1, 29)) == (dt.date(2024, 1, 28), dt.date(2024, 1, 28), "day")
    assert resolve("يناير الماضي", dt.date(2024, 7, 24)) == (dt.date(2024, 1, 1), dt.date(2024, 1, 31), "month")
    assert resolve("سبتمبر القادم", dt.date(2024, 7, 24)) == (dt.date(2024, 9, 1), dt.date(2024, 9, 30), "month")
    assert resolve("أمس", PUBLISHED) == (dt.date(2021, 12, 12), dt.date(2021, 12, 12), "day")
    assert resolve("غدا ربما", PUBLISHED) is None


def test_last_weekday_is_never_the_publication_day() -> None:
    # published on a Thursday, "last Thursday" is a week earlier
    assert resolve("الخميس الماضي", dt.date(2021, 12, 9))[0] == dt.date(2021, 12, 2)


def test_precision_rules() -> None:
    assert precision_problem("month", dt.date(2021, 11, 1), dt.date(2021, 11, 30)) is None
    assert precision_problem("month", dt.date(2021, 11, 2), dt.date(2021, 11, 30))
    assert precision_problem("year", dt.date(2020, 1, 1), dt.date(2020, 12, 31)) is None
    assert precision_problem("year", dt.date(2020, 1, 1), dt.date(2021, 12, 31))
    assert precision_problem("week", dt.date(2024, 7, 22), dt.date(2024, 7, 28)) is None


def test_dates_after_publication_only_when_forward_looking() -> None:
    later = _dates(date_start=dt.date(2025, 9, 1), date_end=dt.date(2025, 9, 30), date_precision="month", date_basis="stated")
    assert _codes(later) == ["IW502"]
    assert _codes(later, forward=True) == []


def test_incomplete_and_reversed_dates() -> None:
    assert _codes(_dates(date_start=PUBLISHED)) == ["IW504"]
    reversed_ = _dates(date_start=dt.date(2021, 12, 9), date_end=dt.date(2021, 12, 1), date_precision="day", date_basis="stated")
    assert _codes(reversed_) == ["IW501"]
    open_ended = _dates(date_start=dt.date(2021, 12, 1), date_precision="month", date_basis="stated")
    assert _codes(open_ended) == []


def test_publication_window_and_ucdp_codes() -> None:
    assert latest_publication(dt.date(2024, 1, 29), "week") == dt.date(2024, 2, 4)
    assert latest_publication(dt.date(2021, 12, 1), "month") == dt.date(2021, 12, 31)
    assert ucdp_date_prec(dt.date(2021, 12, 9), dt.date(2021, 12, 9)) == 1
    assert ucdp_date_prec(dt.date(2024, 7, 22), dt.date(2024, 7, 28)) == 2
    assert ucdp_date_prec(dt.date(2021, 11, 1), dt.date(2021, 11, 30)) == 3
    assert ucdp_date_prec(dt.date(2020, 1, 1), dt.date(2020, 12, 31)) == 4
    assert ucdp_date_prec(dt.date(2014, 1, 1), dt.date(2021, 12, 31)) == 5
