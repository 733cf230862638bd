"""The redline report: a comparison as a .docx with insertions and deletions marked."""

import io
from datetime import UTC, datetime

import pytest
from docx import Document
from docx.oxml.ns import qn

from documents.docx import redline
from documents.docx.compare import compare
from documents.docx.redline import CONTEXT_COLOR, DELETED_COLOR, INSERTED_COLOR, redline_docx

WHEN = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)

PREAMBLE = [f"Preamble paragraph {n}." for n in range(5)]
OLDER = [
    *PREAMBLE,
    "National Emigration and Welfare Policy",
    "1. Purpose",
    "The Bureau shall report annually to the ministry.",
    "2. Scope",
    "This clause on transitional fees is withdrawn.",
    "3. Protection",
    "سیاست ملی مهاجرت",
    "4. Review",
]
NEWER = [
    *PREAMBLE,
    "National Emigration and Welfare Policy",
    "1. Purpose",
    "The Bureau shall report quarterly to the ministry.",
    "2. Scope",
    "3. Protection",
    "سیاست جامع ملی مهاجرت",
    "Welfare attachés assist workers abroad.",
    "4. Review",
]


@pytest.fixture
def report():
    content = redline_docx(
        compare(OLDER, NEWER),
        title="National Emigration and Welfare Policy",
        older_label="version 1",
        newer_label="version 2",
        when=WHEN,
    )
    return Document(io.BytesIO(content))


def paragraph_with(document, text):
    return next(p for p in document.paragraphs if text in p.text)


def run_with(document, text):
    return next(r for p in document.paragraphs for r in p.runs if r.text == text)


def test_title_and_subtitle(report):
    assert report.paragraphs[0].text == "National Emigration and Welfare Policy"
    assert report.paragraphs[0].style.name == "Title"
    assert report.paragraphs[1].text == "Changes from version 1 to version 2"
    assert report.core_properties.title == "National Emigration and Welfare Policy"


def test_summary_counts_table(report):
    rows = [[cell.text for cell in row.cells] for row in report.tables[0].rows]
    assert rows == [
        ["Change", "Count"],
        ["Paragraphs changed", "2"],
        ["Paragraphs added", "1"],
        ["Paragraphs removed", "1"],
        ["Words added", "7"],
        ["Words removed", "8"],
    ]


def test_insertions_are_underlined_blue_and_deletions_struck_red(report):
    inserted = run_with(report, "quarterly")
    assert inserted.font.underline is True
    assert inserted.font.color.rgb == INSERTED_COLOR
    assert not inserted.font.strike
    deleted = run_with(report, "annually")
    assert deleted.font.strike is True
    assert deleted.font.color.rgb == DELETED_COLOR
    assert not deleted.font.underline
    unchanged = run_with(report, "The Bureau shall report ")
    assert not unchanged.font.strike
    assert not unchanged.font.underline


def test_whole_paragraphs_added_and_removed(report):
    added = paragraph_with(report, "Welfare attachés assist workers abroad.")
    assert [r.font.underline for r in added.runs] == [True]
    removed = paragraph_with(report, "This clause on transitional fees is withdrawn.")
    assert [r.font.strike for r in removed.runs] == [True]


def test_changes_shown_with_one_paragraph_of_context(report):
    texts = [p.text for p in report.paragraphs]
    changes = texts[texts.index("Changes") + 2 :]  # after the heading and the key
    assert changes == [
        "… 6 unchanged paragraphs …",
        "1. Purpose",
        "The Bureau shall report annuallyquarterly to the ministry.",
        "2. Scope",
        "This clause on transitional fees is withdrawn.",
        "3. Protection",
        "سیاست جامع ملی مهاجرت",
        "Welfare attachés assist workers abroad.",
        "4. Review",
    ]
    context = paragraph_with(report, "1. Purpose")
    assert context.runs[0].font.color.rgb == CONTEXT_COLOR


def test_arabic_paragraph_reads_right_to_left(report):
    paragraph = paragraph_with(report, "مهاجرت")
    assert paragraph._p.pPr.find(qn("w:bidi")) is not None
    assert all(run.font.rtl for run in paragraph.runs)
    assert run_with(report, "جامع ").font.underline is True
    english = paragraph_with(report, "The Bureau shall report")
    assert english._p.pPr is None or english._p.pPr.find(qn("w:bidi")) is None


def test_same_input_gives_the_same_bytes():
    comparison = compare(OLDER, NEWER)
    arguments = {"title": "T", "older_label": "v1", "newer_label": "v2", "when": WHEN}
    first = redline_docx(comparison, **arguments)
    assert redline_docx(comparison, **arguments) == first
    document = Document(io.BytesIO(first))
    assert document.core_properties.created == WHEN
    assert document.core_properties.author == "policyflow"


def test_markup_in_text_stays_text():
    comparison = compare(["Plain."], ["Plain.", '<w:p>injected</w:p> & "quotes"'])
    content = redline_docx(comparison, title="<Title>", older_label="a", newer_label="b")
    document = Document(io.BytesIO(content))
    assert document.paragraphs[0].text == "<Title>"
    assert paragraph_with(document, "injected").text == '<w:p>injected</w:p> & "quotes"'


def test_no_differences_says_so():
    lines = ["One.", "Two."]
    content = redline_docx(compare(lines, lines), title="T", older_label="a", newer_label="b")
    texts = [p.text for p in Document(io.BytesIO(content)).paragraphs]
    assert "No differences between the two versions." in texts
    assert "One." not in texts


def test_footer_dates_the_report():
    content = redline_docx(
        compare(["a"], ["b"]), title="T", older_label="a", newer_label="b", when=WHEN
    )
    footer = Document(io.BytesIO(content)).sections[0].footer
    assert footer.paragraphs[0].text == "Generated by policyflow on 2026-11-20 09:30 UTC"


def test_past_its_segment_budget_changed_paragraphs_are_shown_whole(monkeypatch):
    monkeypatch.setattr(redline, "MAX_SEGMENTS", 4)
    older = ["The Bureau shall report annually to the ministry.", "Workers register early."]
    newer = ["The Bureau shall report quarterly to the ministry.", "Workers register late."]
    content = redline_docx(compare(older, newer), title="T", older_label="a", newer_label="b")
    document = Document(io.BytesIO(content))
    first = paragraph_with(document, "The Bureau")
    assert [r.text for r in first.runs if r.font.strike] == ["annually"]
    second = paragraph_with(document, "Workers register")
    assert [(r.text, bool(r.font.strike), bool(r.font.underline)) for r in second.runs] == [
        ("Workers register early.", True, False),
        ("Workers register late.", False, True),
    ]


def test_past_its_time_budget_changed_paragraphs_are_shown_whole(monkeypatch):
    monkeypatch.setattr(redline, "WORD_BY_WORD_SECONDS", -1)
    comparison = compare(["Workers register early."], ["Workers register late."])
    content = redline_docx(comparison, title="T", older_label="a", newer_label="b")
    paragraph = paragraph_with(Document(io.BytesIO(content)), "Workers register")
    assert [r.text for r in paragraph.runs] == ["Workers register early.", "Workers register late."]


def test_too_much_text_is_refused_rather_than_written(monkeypatch):
    monkeypatch.setattr(redline, "MAX_CHARACTERS", 20)
    comparison = compare(["One short line."], ["One short line, now longer than before."])
    with pytest.raises(redline.RedlineTooLarge):
        redline_docx(comparison, title="T", older_label="a", newer_label="b")
