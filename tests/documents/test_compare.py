"""Comparing versions: alignment, word changes, counts, and the HTML rendering."""

import json
import random
import re

import pytest

from documents.docx import compare as compare_module
from documents.docx.compare import (
    ADDED,
    CHANGED,
    EQUAL,
    REMOVED,
    Comparison,
    Summary,
    compare,
)
from documents.docx.compare_html import comparison_html
from documents.docx.structure import Block, Extraction


def assert_rebuilds(older, newer, comparison):
    """Whatever the alignment, each side must be readable back exactly."""
    assert [b.older_text for b in comparison.blocks if b.kind != ADDED] == list(older)
    assert [b.newer_text for b in comparison.blocks if b.kind != REMOVED] == list(newer)


def kinds(comparison):
    return [block.kind for block in comparison.blocks]


def test_identical_versions_have_no_changes():
    lines = ["National Emigration Policy", "1. Purpose", "The policy protects emigrants."]
    comparison = compare(lines, list(lines))
    assert kinds(comparison) == [EQUAL] * 3
    assert comparison.summary == Summary()
    assert not comparison.summary.has_changes


def test_one_word_changed_in_one_paragraph():
    older = ["1. Purpose", "The ministry shall report annually to parliament.", "2. Scope"]
    newer = ["1. Purpose", "The ministry shall report quarterly to parliament.", "2. Scope"]
    comparison = compare(older, newer)

    assert kinds(comparison) == [EQUAL, CHANGED, EQUAL]
    assert comparison.blocks[1].segments == (
        ("equal", "The ministry shall report "),
        ("delete", "annually"),
        ("insert", "quarterly"),
        ("equal", " to parliament."),
    )
    assert comparison.summary == Summary(paragraphs_changed=1, words_added=1, words_removed=1)
    assert_rebuilds(older, newer, comparison)


def test_inserted_paragraph_is_added_with_its_words():
    older = ["Chapter 1", "Chapter 2"]
    newer = ["Chapter 1", "Returnees receive reintegration support.", "Chapter 2"]
    comparison = compare(older, newer)
    assert kinds(comparison) == [EQUAL, ADDED, EQUAL]
    assert comparison.blocks[1].text == "Returnees receive reintegration support."
    assert comparison.summary == Summary(paragraphs_added=1, words_added=4)


def test_deleted_paragraph_is_removed_with_its_words():
    older = ["Chapter 1", "This transitional clause expires in 2025.", "Chapter 2"]
    newer = ["Chapter 1", "Chapter 2"]
    comparison = compare(older, newer)
    assert kinds(comparison) == [EQUAL, REMOVED, EQUAL]
    assert comparison.summary == Summary(paragraphs_removed=1, words_removed=6)


def test_dissimilar_replacement_is_a_removal_and_an_addition():
    older = ["Intro", "Visa fees are waived for students.", "End"]
    newer = ["Intro", "Diaspora bonds finance local infrastructure.", "End"]
    comparison = compare(older, newer)
    assert sorted(kinds(comparison)) == sorted([EQUAL, REMOVED, ADDED, EQUAL])
    assert comparison.summary == Summary(
        paragraphs_added=1, paragraphs_removed=1, words_added=5, words_removed=6
    )


def test_replaced_region_pairs_each_paragraph_with_its_edit():
    older = ["A", "First goal is safe migration.", "Second goal is fair recruitment.", "Z"]
    newer = [
        "A",
        "A wholly new opening paragraph about something else entirely.",
        "First goal is safe and orderly migration.",
        "Second goal is ethical recruitment.",
        "Z",
    ]
    comparison = compare(older, newer)
    assert kinds(comparison) == [EQUAL, ADDED, CHANGED, CHANGED, EQUAL]
    assert comparison.summary.paragraphs_changed == 2
    assert comparison.summary.words_added == 9 + 2 + 1
    assert comparison.summary.words_removed == 1
    assert_rebuilds(older, newer, comparison)


def test_moved_paragraphs_are_handled():
    older = ["Alpha section on labour.", "Beta section on return.", "Gamma section on data."]
    newer = ["Gamma section on data.", "Alpha section on labour.", "Beta section on return."]
    comparison = compare(older, newer)
    assert comparison.summary.paragraphs_added == 1
    assert comparison.summary.paragraphs_removed == 1
    assert_rebuilds(older, newer, comparison)


def test_reversed_document_is_handled():
    older = [f"Paragraph {n} says something about topic {n}." for n in range(60)]
    newer = list(reversed(older))
    comparison = compare(older, newer)
    assert_rebuilds(older, newer, comparison)


def test_table_rows_are_compared_as_lines():
    def version(target):
        table = Block(kind="table", rows=[["Indicator", "Target"], ["Returns assisted", target]])
        return Extraction(body=[Block(kind="paragraph", text="Annex 1"), table])

    older, newer = version("1,000"), version("2,500 per year")
    comparison = compare(older, newer)  # Extractions are taken as they are
    assert kinds(comparison) == [EQUAL, EQUAL, CHANGED]
    assert comparison.blocks[2].segments == (
        ("equal", "Returns assisted | "),
        ("delete", "1,000"),
        ("insert", "2,500 per year"),
    )
    assert comparison.summary == Summary(paragraphs_changed=1, words_added=3, words_removed=1)


def test_arabic_script_words_are_diffed():
    older = ["سیاست ملی مهاجرت", "وزارت امور مهاجرین و عودت کنندگان"]
    newer = ["سیاست جامع ملی مهاجرت", "وزارت امور مهاجرین و عودت کنندگان"]
    comparison = compare(older, newer)
    assert kinds(comparison) == [CHANGED, EQUAL]
    assert comparison.blocks[0].segments == (
        ("equal", "سیاست "),
        ("insert", "جامع "),
        ("equal", "ملی مهاجرت"),
    )
    assert comparison.summary == Summary(paragraphs_changed=1, words_added=1)


def test_empty_inputs():
    assert compare([], []) == Comparison()
    assert compare([], ["Two words"]).summary == Summary(paragraphs_added=1, words_added=2)
    assert compare(["Three words here"], []).summary == Summary(
        paragraphs_removed=1, words_removed=3
    )


def test_word_counts_on_a_handcrafted_edit():
    older = ["The policy covers labour migration and return."]
    newer = ["The policy covers regular labour migration, return and reintegration."]
    comparison = compare(older, newer)
    (block,) = comparison.blocks
    # Punctuation is its own token: "migration" survives next to the new
    # comma, and the final "." next to the new last word.
    assert block.segments == (
        ("equal", "The policy covers "),
        ("insert", "regular "),
        ("equal", "labour migration"),
        ("insert", ", return"),
        ("equal", " and "),
        ("delete", "return"),
        ("insert", "reintegration"),
        ("equal", "."),
    )
    assert comparison.summary == Summary(paragraphs_changed=1, words_added=3, words_removed=1)
    assert_rebuilds(older, newer, comparison)


def test_extension_of_a_short_paragraph_is_a_change():
    comparison = compare(["Scope covers emigrants."], ["Scope covers emigrants and families."])
    (block,) = comparison.blocks
    assert block.segments == (
        ("equal", "Scope covers emigrants"),
        ("insert", " and families"),
        ("equal", "."),
    )
    assert comparison.summary == Summary(paragraphs_changed=1, words_added=2)


def test_punctuation_alone_is_not_counted_as_words():
    comparison = compare(["Rights; duties — and remedies"], ["Rights, duties and remedies"])
    assert comparison.summary == Summary(paragraphs_changed=1)
    assert_rebuilds(["Rights; duties — and remedies"], ["Rights, duties and remedies"], comparison)


def test_whitespace_only_change_keeps_the_exact_text():
    older = ["  Article 5:\tRights of  migrant workers "]
    newer = ["Article 5: Rights of migrant workers"]
    comparison = compare(older, newer)
    assert comparison.summary == Summary(paragraphs_changed=1)
    assert_rebuilds(older, newer, comparison)


def test_blank_lines_and_repeated_rows_do_not_confuse_the_alignment():
    older = ["Title", "", "", " |  | ", " |  | ", "Body text one.", "", "Body text two."]
    newer = ["Title", "", " |  | ", "Body text one, amended.", "", "", "Body text two."]
    comparison = compare(older, newer)
    assert comparison.summary.paragraphs_changed == 1
    assert_rebuilds(older, newer, comparison)


def test_pairing_budget_exhausted_falls_back_to_removed_and_added(monkeypatch):
    monkeypatch.setattr(compare_module, "PAIRING_BUDGET", 1)
    older = ["Start", "Alpha beta gamma delta.", "Epsilon zeta eta theta.", "End"]
    newer = ["Start", "Alpha beta gamma delta!", "Epsilon zeta eta theta!", "End"]
    comparison = compare(older, newer)
    assert comparison.summary.paragraphs_changed == 1
    assert comparison.summary.paragraphs_removed == comparison.summary.paragraphs_added == 1
    assert_rebuilds(older, newer, comparison)


def test_very_long_paragraph_change_is_shown_as_one_block(monkeypatch):
    monkeypatch.setattr(compare_module, "MAX_DIFFED_WORDS", 3)
    older = ["keep a b c d e f end"]
    newer = ["keep a x c d y f end"]
    (block,) = compare(older, newer).blocks
    assert block.segments == (
        ("equal", "keep a "),
        ("delete", "b c d e"),
        ("insert", "x c d y"),
        ("equal", " f end"),
    )


def test_comparison_survives_json():
    comparison = compare(["One two three.", "Gone."], ["One 2 three.", "New."])
    data = json.loads(json.dumps(comparison.as_dict()))
    assert Comparison.from_dict(data) == comparison
    assert data["summary"]["paragraphs_changed"] == 1
    assert data["blocks"][0] == {
        "kind": "changed",
        "segments": [["equal", "One "], ["delete", "two"], ["insert", "2"], ["equal", " three."]],
    }


def generated_policy(paragraph_count, seed):
    """A long policy of unique paragraphs (~27 words each)."""
    rng = random.Random(seed)
    vocabulary = [f"term{n}" for n in range(3000)] + ["the", "of", "and", "migration"] * 50
    return rng, [
        f"§{n} " + " ".join(rng.choice(vocabulary) for _ in range(rng.randint(17, 37)))
        for n in range(paragraph_count)
    ]


def test_large_generated_revision_counts_exactly_what_was_edited():
    rng, older = generated_policy(3000, seed=20240501)
    newer = list(older)
    chosen = rng.sample(range(3000), 150 + 30 + 30)
    edited, deleted, before_inserts = chosen[:150], set(chosen[150:180]), set(chosen[180:])
    words_added = words_removed = 0
    for position, index in enumerate(edited):
        words = newer[index].split(" ")
        middle = len(words) // 2
        if position % 3 == 0:  # one word replaced
            words[middle] = "amended"
            words_added, words_removed = words_added + 1, words_removed + 1
        elif position % 3 == 1:  # two words inserted
            words[middle:middle] = ["newly", "inserted"]
            words_added += 2
        else:  # one word deleted
            del words[middle]
            words_removed += 1
        newer[index] = " ".join(words)
    for index in deleted:
        words_removed += len(older[index].split())
    result = []
    for index, line in enumerate(newer):
        if index in before_inserts:
            result.append(f"Inserted clause {index} on consular protection abroad.")
            words_added += 7
        if index not in deleted:
            result.append(line)
    newer = result

    comparison = compare(older, newer)

    assert comparison.summary == Summary(
        paragraphs_added=30,
        paragraphs_removed=30,
        paragraphs_changed=150,
        words_added=words_added,
        words_removed=words_removed,
    )
    assert_rebuilds(older, newer, comparison)


def test_unrelated_documents_compare_without_pairing():
    _, older = generated_policy(300, seed=1)
    _, newer = generated_policy(300, seed=2)
    newer = [line.replace("§", "No. ") for line in newer]
    comparison = compare(older, newer)
    assert comparison.summary.paragraphs_changed == 0
    assert comparison.summary.paragraphs_added == comparison.summary.paragraphs_removed == 300
    assert_rebuilds(older, newer, comparison)


# The HTML rendering


def test_html_escapes_every_text():
    older = ["Plain text.", "Say <b>hello</b> & goodbye."]
    newer = ["<script>alert(1)</script>", "Say <b>hi</b> & goodbye."]
    rendered = comparison_html(compare(older, newer))
    assert "<script" not in rendered
    assert "<b>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "&amp; goodbye." in rendered


def test_html_marks_insertions_and_deletions_with_direction_on_every_block():
    older = ["The ministry shall report annually.", "Removed paragraph.", "سیاست ملی مهاجرت"]
    newer = ["The ministry shall report quarterly.", "سیاست جامع ملی مهاجرت", "Added one."]
    rendered = comparison_html(compare(older, newer))
    paragraphs = re.findall(r"<p\b[^>]*>", rendered)
    assert paragraphs
    assert all('dir="auto"' in tag for tag in paragraphs)
    assert "<del>annually</del><ins>quarterly</ins>." in rendered
    assert "<ins>جامع </ins>" in rendered
    assert '<p dir="auto" class="removed"><del>Removed paragraph.</del></p>' in rendered
    assert '<p dir="auto" class="added"><ins>Added one.</ins></p>' in rendered
    assert "style=" not in rendered
    assert rendered.startswith('<p dir="auto" class="summary">Paragraphs: 2 changed, 1 added')


def test_html_collapses_long_unchanged_runs_around_changes():
    older = [f"Unchanged paragraph {n}." for n in range(20)]
    newer = list(older)
    newer[10] = "Unchanged paragraph 10, now changed."
    rendered = comparison_html(compare(older, newer), context=2)
    lines = rendered.split("\n")[1:]
    assert lines[0] == '<p dir="auto" class="collapsed">… 8 unchanged paragraphs …</p>'
    assert lines[1:3] == [
        '<p dir="auto" class="equal">Unchanged paragraph 8.</p>',
        '<p dir="auto" class="equal">Unchanged paragraph 9.</p>',
    ]
    assert 'class="changed"' in lines[3]
    assert lines[4:6] == [
        '<p dir="auto" class="equal">Unchanged paragraph 11.</p>',
        '<p dir="auto" class="equal">Unchanged paragraph 12.</p>',
    ]
    assert lines[6] == '<p dir="auto" class="collapsed">… 7 unchanged paragraphs …</p>'
    assert len(lines) == 7


def test_html_shows_a_run_rather_than_hide_a_single_line():
    older = ["a one", "b", "c", "d", "e", "f", "g one"]
    newer = ["a two", "b", "c", "d", "e", "f", "g two"]
    rendered = comparison_html(compare(older, newer), context=2)
    assert "collapsed" not in rendered
    assert rendered.count('class="equal"') == 5


def test_html_of_identical_versions_says_so():
    lines = [f"Paragraph {n}." for n in range(5)]
    rendered = comparison_html(compare(lines, lines))
    assert rendered == (
        '<p dir="auto" class="summary">No differences between the two versions.</p>\n'
        '<p dir="auto" class="collapsed">… 5 unchanged paragraphs …</p>'
    )


@pytest.mark.parametrize("context", [0, 1, 3])
def test_html_context_is_honoured(context):
    older = [f"Line {n}." for n in range(30)]
    newer = list(older)
    newer[15] = "Line fifteen."
    rendered = comparison_html(compare(older, newer), context=context)
    assert rendered.count('class="equal"') == 2 * context


def test_html_keeps_line_breaks_inside_a_paragraph():
    rendered = comparison_html(
        compare(["Ministry of Labour\nKabul"], ["Ministry of Labour\nHerat"])
    )
    assert "Ministry of Labour<br><del>Kabul</del><ins>Herat</ins>" in rendered
