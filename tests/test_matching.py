"""Quote matching on the articles' own spellings."""

from __future__ import annotations

from iraq_withdrawal.validators.matching import exact_fold, locate

SOURCE = "قال الكاظمي أول من أمس: \"إنّ العراق سيشهد انسحاب القوات\"  بعد (7) أعوام، مهامّه القتالية"


def test_verbatim_quote_found_at_its_offsets() -> None:
    quote = "إنّ العراق سيشهد"
    match = locate(quote, SOURCE)
    assert match.tier == "exact"
    (start, end), = match.spans
    assert SOURCE[start:end] == quote


def test_exact_tier_ignores_harakat_tatweel_and_spacing() -> None:
    match = locate("مهامه القتاليـــة", SOURCE)
    assert match.tier == "exact"
    start, end = match.spans[0]
    assert SOURCE[start:end] == "مهامّه القتالية"
    assert locate("القوات\" بعد", SOURCE).tier == "exact"  # two spaces in the source


def test_exact_tier_maps_arabic_indic_digits_and_quotes() -> None:
    assert locate("بعد (٧) أعوام", SOURCE).tier == "exact"
    assert locate("أمس: “إنّ العراق", SOURCE).tier == "exact"


def test_spelling_tier_fails_but_is_recognised() -> None:
    match = locate("اول من امس", SOURCE)
    assert match.tier == "spelling"
    start, end = match.spans[0]
    assert SOURCE[start:end] == "أول من أمس"


def test_different_letters_never_match() -> None:
    assert locate("قال الكاظمي ثاني من أمس", SOURCE).tier == "none"
    assert locate("", SOURCE).tier == "none"


def test_presentation_forms_fold_to_base_letters() -> None:
    assert exact_fold("\ufefb") == "لا"


def test_fold_is_idempotent() -> None:
    for text in (SOURCE, "ﻻ  ـ\u200fأ", "«نص»"):
        assert exact_fold(exact_fold(text)) == exact_fold(text)
