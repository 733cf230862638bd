"""The folding rules, one script at a time, on real words."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflow.search.folding import WORD, fold, fold_word, words


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        # Tashkeel (fatha, damma, kasra, shadda, sukun, tanwin) dropped.
        ("السِّيَاسَةُ الوَطَنِيَّةُ", "السياسة الوطنية"),
        ("مُهَاجِرٌ", "مهاجر"),
        # Superscript alef (U+0670), as in هٰذا.
        ("هٰذا", "هذا"),
        # Tatweel (U+0640) stretches a word; it is not a letter.
        ("الهجـــــرة", "الهجرة"),
        # Alef with hamza above, below, madda, and alef wasla are all ا.
        ("أمن", "امن"),
        ("إدارة", "ادارة"),
        ("آمنة", "امنة"),
        ("ٱلعودة", "العودة"),
        # Alef maksura is yeh.
        ("مصطفى", "مصطفي"),
        # Persian/Urdu keheh and yeh are Arabic kaf and yeh.
        ("کابل", "كابل"),
        ("یک", "يك"),
        # Urdu bari ye with hamza is bari ye; bari ye itself stays apart from yeh.
        ("ۓ", "ے"),
        ("کے", "كے"),
        # ZWNJ and ZWJ join rather than split: one Persian word.
        ("می\u200cخواهم", "ميخواهم"),
        ("می\u200dخواهم", "ميخواهم"),
        # Arabic-Indic and Persian digits are ASCII digits.
        ("٢٠٢٦", "2026"),
        ("۲۰۲۶", "2026"),
        # Latin: accents dropped, case folded, ligatures decomposed.
        ("Émigration", "emigration"),
        ("STRASSE Straße", "strasse strasse"),
        ("ﬁnance", "finance"),
        # Arabic presentation forms are their letters.
        ("ﻻ", "لا"),
        # Punctuation separates words and is not kept.
        ("co-operation, 12/2026؛ «العودة»", "co operation 12 2026 العودة"),
    ],
)
def test_folding(written, folded):
    assert fold(written) == folded


def test_vowelled_and_plain_text_fold_alike():
    assert fold("تَحْوِيلَاتُ المُغْتَرِبِينَ") == fold("تحويلات المغتربين")


def test_persian_and_arabic_letters_fold_alike():
    assert fold("سیاست کلی مهاجرت") == fold("سياست كلي مهاجرت")


def test_urdu_ke_and_ki_stay_two_words():
    assert fold("کے") != fold("کی")


def test_words_are_letters_and_digits_only():
    assert words("  «الهجرة»، migration; 2026!  ") == ["الهجرة", "migration", "2026"]
    assert words("") == []
    assert words("!!! ... ---") == []


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_plain_ascii_text_folds_as_any_other_text(text):
    # ASCII takes a shorter path: it must find the very words the general one does.
    assert words(text) == WORD.findall(fold_word(text))


def test_the_ascii_path_still_folds_case_and_splits_on_underscores_and_punctuation():
    assert words("Labour_Migration, 2026-POLICY") == ["labour", "migration", "2026", "policy"]
