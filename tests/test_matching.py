"""Quote matching on the articles' own spellings."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from iraq_withdrawal.validators.matching import SourceText, exact_fold, fold, fold_with_map, fold_with_map_reference, locate

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


# Characters the fast fold must treat exactly as the reference does: Arabic letters and
# digits, harakat, tatweel, hamza forms, marks that compose (madda, hamza above), bidi and
# zero-width marks, presentation forms, quotes, white space, Latin letters and a decomposed é.
_ALPHABET = ("قالأإآاىةهي ٠١٧۳0" "\u064b\u064e\u0651\u0652\u0670\u0653\u0654\u0640"
             "\u200b\u200c\u200d\u200f\u202b\u2066\ufeff\u00ad" "\ufefb\ufe8d\ufb50\ufbb2"
             "“”«»‘’\" \t\n\u00a0\u3000" "abe\u0301é")


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=40), spelling=st.booleans())
def test_fast_fold_equals_the_reference(text: str, spelling: bool) -> None:
    reference = fold_with_map_reference(text, spelling)
    folded = fold_with_map(text, spelling)
    assert (folded.text, list(folded.starts), list(folded.ends)) == (reference.text, list(reference.starts), list(reference.ends))
    assert fold(text, spelling) == reference.text


def test_each_source_text_is_folded_once() -> None:
    source = SourceText(SOURCE)
    assert source.locate("إنّ العراق سيشهد") == locate("إنّ العراق سيشهد", SOURCE)
    first = source.folded(False)
    source.locate("مهامه القتالية")
    assert source.folded(False) is first


def test_a_nul_is_a_character_like_any_other() -> None:
    """The vectorised fold once took code point 0 for 'dropped' (found by hypothesis in CI)."""
    assert locate("\x00", "\x00").tier == "exact"
    assert locate("a\x00b", "xa\x00b").spans == ((1, 4),)
