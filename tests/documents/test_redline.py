"""The redline: the newer version with the changes from the older one as Word revisions."""

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from bench.policy_documents import edited, policy_docx, policy_paragraphs
from documents.docx import redline
from documents.docx.compare import compare
from documents.docx.extract import extract
from documents.docx.redline import SUMMARY_TAG, redline_docx
from tests.documents import make_docs as md

CORPUS = Path(__file__).parent / "corpus"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WHEN = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
UPLOADED = datetime(2026, 11, 18, 14, 5, tzinfo=UTC)
LABELS = {"title": "National Emigration and Welfare Policy", "older_label": "version 1"}


def made(older_docx, newer_docx, **overrides):
    arguments = {
        **LABELS,
        "newer_label": "version 2",
        "author": "Ayesha Khan",
        "date": UPLOADED,
        "when": WHEN,
        **overrides,
    }
    return redline_docx(extract(io.BytesIO(older_docx)), newer_docx, **arguments)


def document_xml(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def with_document_xml(content, root):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            target.writestr(info, data)
    return out.getvalue()


def without_summary(root):
    for control in root.iter(W + "sdt"):
        tag = control.find(f"{W}sdtPr/{W}tag")
        if tag is not None and tag.get(W + "val") == SUMMARY_TAG:
            control.getparent().remove(control)
            return root
    raise AssertionError("no summary")


def accepted_lines(content):
    """The text Word shows once every change is accepted: w:del gone, w:ins kept."""
    root = without_summary(document_xml(content))
    for mark in list(root.iter(W + "del", W + "ins")):
        parent = mark.getparent()
        if parent.tag == W + "trPr" and mark.tag == W + "del":
            row = parent.getparent()
            row.getparent().remove(row)
        elif mark.tag == W + "del" and parent.tag != W + "rPr":
            parent.remove(mark)
        elif parent.tag in (W + "rPr", W + "trPr"):
            parent.remove(mark)  # a deleted mark: the emptied paragraph is left out
        else:
            mark.tag = W + "ignoredWrapper"  # read through, like any unknown wrapper
    return extract(io.BytesIO(with_document_xml(content, root))).lines()


def rejected_lines(content):
    """The text Word shows once every change is rejected: w:ins gone, w:delText kept."""
    root = without_summary(document_xml(content))
    for mark in list(root.iter(W + "ins", W + "del")):
        parent = mark.getparent()
        if parent.tag == W + "trPr" and mark.tag == W + "ins":
            row = parent.getparent()
            row.getparent().remove(row)
        elif mark.tag == W + "ins" or parent.tag in (W + "rPr", W + "trPr"):
            parent.remove(mark)
        else:
            for text in mark.iter(W + "delText"):
                text.tag = W + "t"
            mark.tag = W + "ignoredWrapper"
    return extract(io.BytesIO(with_document_xml(content, root))).lines()


def summary_of(content):
    """The texts of the summary's paragraphs (outside its table) and its table's rows."""
    [control] = [
        c
        for c in document_xml(content).iter(W + "sdt")
        if c.find(f"{W}sdtPr/{W}tag").get(W + "val") == SUMMARY_TAG
    ]
    content = control.find(W + "sdtContent")
    texts = ["".join(p.itertext()) for p in content.findall(W + "p")]
    rows = [["".join(tc.itertext()) for tc in tr.iter(W + "tc")] for tr in content.iter(W + "tr")]
    return texts, rows


def lines(content):
    return extract(io.BytesIO(content)).lines()


OLDER = md.docx_bytes(
    md.paragraph("National Emigration and Welfare Policy", style="Heading1")
    + md.paragraph("1. Purpose", style="Heading2")
    + md.paragraph("The Bureau shall report ", "annually", " to the ministry.")
    + md.paragraph("This clause on transitional fees is withdrawn.")
    + md.table(["Office", "Staff"], ["Lahore", "12"], ["Karachi", "9"])
    + md.paragraph("سیاست ملی مهاجرت")
    + md.paragraph("4. Review", style="Heading2"),
    styles=md.HEADINGS_STYLES,
)
NEWER = md.docx_bytes(
    md.paragraph("National Emigration and Welfare Policy", style="Heading1")
    + md.paragraph("1. Purpose", style="Heading2")
    + md.paragraph(
        "The Bureau shall report ",
        '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">quarterly</w:t></w:r>',
        " to the ministry.",
    )
    + md.table(["Office", "Staff"], ["Lahore", "14"], ["Peshawar", "5"])
    + md.paragraph("سیاست جامع ملی مهاجرت")
    + md.paragraph("Welfare attachés assist workers abroad.")
    + md.paragraph("4. Review", style="Heading2"),
    styles=md.HEADINGS_STYLES,
)


@pytest.fixture
def report():
    return made(OLDER, NEWER)


def test_changes_are_word_revisions_by_the_uploader_at_the_upload_time(report):
    body = Document(io.BytesIO(report)).element.body
    insertions, deletions = body.findall(".//" + qn("w:ins")), body.findall(".//" + qn("w:del"))
    assert insertions
    assert deletions
    for mark in insertions + deletions:
        assert mark.get(qn("w:author")) == "Ayesha Khan"
        assert mark.get(qn("w:date")) == "2026-11-18T14:05:00Z"
    ids = [mark.get(qn("w:id")) for mark in insertions + deletions]
    assert len(set(ids)) == len(ids)
    assert {"quarterly"} <= {t.text for mark in insertions for t in mark.iter(qn("w:t"))}
    deleted = {t.text for mark in deletions for t in mark.iter(qn("w:delText"))}
    assert {"annually", "This clause on transitional fees is withdrawn."} <= deleted
    assert not [t for mark in deletions for t in mark.iter(qn("w:t"))]


def test_accepting_every_change_gives_the_newer_text_and_rejecting_the_older(report):
    assert accepted_lines(report) == lines(NEWER)
    assert rejected_lines(report) == lines(OLDER)


def test_a_changed_word_keeps_the_formatting_of_its_run(report):
    body = document_xml(report).find(W + "body")
    [run] = [r for r in body.iter(W + "r") if r.findtext(W + "t") == "quarterly"]
    assert run.getparent().tag == W + "ins"
    assert run.find(f"{W}rPr/{W}b") is not None


def test_headings_keep_their_styles_and_tables_stay_tables(report):
    document = Document(io.BytesIO(report))
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles["National Emigration and Welfare Policy"] == "Heading 1"
    assert styles["1. Purpose"] == styles["4. Review"] == "Heading 2"
    [table] = document.tables
    # The old rows are back, deleted, beside the new ones, inserted.
    rows = table._tbl.findall(qn("w:tr"))
    marks = [
        ("ins" if tr.find(f"{qn('w:trPr')}/{qn('w:ins')}") is not None else "")
        + ("del" if tr.find(f"{qn('w:trPr')}/{qn('w:del')}") is not None else "")
        for tr in rows
    ]
    assert marks == ["", "del", "ins", "del", "ins"]


def test_the_summary_comes_first_with_the_comparison_counts(report):
    texts, rows = summary_of(report)
    summary = compare(lines(OLDER), lines(NEWER)).summary  # as the comparison page counts
    assert rows == [
        ["Change", "Count"],
        ["Paragraphs changed", "3"],
        ["Paragraphs added", "2"],
        ["Paragraphs removed", "2"],
        ["Words added", str(summary.words_added)],
        ["Words removed", str(summary.words_removed)],
    ]
    assert (summary.words_added, summary.words_removed) == (10, 11)
    assert texts[0] == "National Emigration and Welfare Policy"
    assert texts[1] == "Changes from version 1 to version 2"
    assert "Generated by policyflow on 2026-11-20 09:30 UTC" in texts


def test_every_section_is_a4_whatever_the_newer_version_used(report):
    letter = Document(io.BytesIO(md.python_docx_bytes("One.", "Two.")))
    assert round(letter.sections[0].page_width.mm) != 210  # python-docx's template: Letter
    for content in (
        report,
        made(md.python_docx_bytes("One."), md.python_docx_bytes("One.", "Two.")),
    ):
        for section in Document(io.BytesIO(content)).sections:
            assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
            assert section.page_width == Mm(210) or abs(section.page_width - Mm(210)) < Mm(1)


def test_removed_right_to_left_text_reads_right_to_left():
    content = made(
        md.docx_bytes(md.paragraph("Intro.") + md.paragraph("سیاست ملی مهاجرت")),
        md.docx_bytes(md.paragraph("Intro.")),
    )
    [paragraph] = [
        p for p in document_xml(content).iter(W + "p") if p.findtext(f".//{W}delText") is not None
    ]
    assert paragraph.find(f"{W}pPr/{W}bidi") is not None
    assert paragraph.find(f".//{W}r/{W}rPr/{W}rtl") is not None
    assert rejected_lines(content) == ["Intro.", "سیاست ملی مهاجرت"]


def test_markup_in_text_stays_text():
    older = md.docx_bytes(md.paragraph("Plain & <b>simple</b>."))
    newer = md.docx_bytes(md.paragraph('Plain & <w:p>injected</w:p> "quotes".'))
    content = made(older, newer, title="<Title>", author='Ann "<x>"')
    assert summary_of(content)[0][0] == "<Title>"
    assert accepted_lines(content) == ['Plain & <w:p>injected</w:p> "quotes".']
    assert rejected_lines(content) == ["Plain & <b>simple</b>."]


def test_no_differences_says_so_and_marks_nothing():
    content = made(NEWER, NEWER)
    body = document_xml(content)
    assert body.find(f".//{W}ins") is None
    assert body.find(f".//{W}del") is None
    assert "No differences between the two versions." in summary_of(content)[0]


def test_same_input_gives_the_same_bytes(report):
    assert made(OLDER, NEWER) == report


def test_the_tracked_changes_already_in_the_newer_file_are_accepted_first():
    older_docx = md.docx_bytes(md.paragraph("Returnees may be registered."))
    newer_docx = md.docx_bytes(
        md.paragraph("Returnees ", md.inserted("shall "), md.deleted("may "), "be registered.")
    )
    content = made(older_docx, newer_docx)
    marks = [m for m in document_xml(content).iter(W + "ins", W + "del")]
    assert {m.get(W + "author") for m in marks} == {"Ayesha Khan"}
    assert accepted_lines(content) == ["Returnees shall be registered."]
    assert rejected_lines(content) == ["Returnees may be registered."]


def test_the_corpus_document_against_its_text_before_its_own_changes():
    """The corpus file's changes rejected give an older version; the redline
    of that pair marks the same changes again, now by the uploader."""
    newer_docx = (CORPUS / "redline-v1-v2.docx").read_bytes()
    root = document_xml(newer_docx)
    for mark in list(root.iter(W + "ins", W + "del", W + "moveTo", W + "moveFrom")):
        parent = mark.getparent()
        if parent.tag in (W + "rPr", W + "trPr"):
            if mark.tag == W + "ins" and parent.tag == W + "trPr":
                row = parent.getparent()
                row.getparent().remove(row)
            else:
                parent.remove(mark)
        elif mark.tag in (W + "ins", W + "moveTo"):
            parent.remove(mark)
        else:
            for text in mark.iter(W + "delText"):
                text.tag = W + "t"
            mark.tag = W + "ignoredWrapper"
    older_docx = with_document_xml(newer_docx, root)
    assert lines(older_docx) != lines(newer_docx)

    content = made(older_docx, newer_docx)

    assert accepted_lines(content) == lines(newer_docx)
    assert rejected_lines(content) == lines(older_docx)
    document = Document(io.BytesIO(content))
    assert len(document.tables) == 20
    assert "Heading 1" in {p.style.name for p in document.paragraphs}


@pytest.mark.parametrize("edit_share", [0.05, 0.9])
def test_generated_pairs_accept_to_the_newer_and_reject_to_the_older(edit_share):
    paragraphs = policy_paragraphs(paragraphs=400)
    older_docx = policy_docx(paragraphs, tables=4)
    newer_docx = policy_docx(edited(paragraphs, edit_share=edit_share), tables=4)

    content = made(older_docx, newer_docx)

    assert accepted_lines(content) == lines(newer_docx)
    assert rejected_lines(content) == lines(older_docx)
    paragraphs = Document(io.BytesIO(content)).paragraphs
    headings = [p for p in paragraphs if "Chapter on" in p.text]
    assert headings
    assert all(p.style.name == "Heading 1" for p in headings)


def test_past_its_segment_budget_changed_paragraphs_are_marked_whole(monkeypatch):
    monkeypatch.setattr(redline, "MAX_SEGMENTS", 4)
    older = md.docx_bytes(
        md.paragraph("The Bureau shall report annually to the ministry.")
        + md.paragraph("Workers register early.")
    )
    newer = md.docx_bytes(
        md.paragraph("The Bureau shall report quarterly to the ministry.")
        + md.paragraph("Workers register late.")
    )
    content = made(older, newer)
    deleted = [
        "".join(t.text for t in mark.iter(W + "delText"))
        for mark in document_xml(content).iter(W + "del")
    ]
    assert "annually" in deleted
    assert "Workers register early." in deleted
    assert accepted_lines(content) == lines(newer)
    assert rejected_lines(content) == lines(older)


def test_past_its_time_budget_changed_paragraphs_are_marked_whole(monkeypatch):
    monkeypatch.setattr(redline, "WORD_BY_WORD_SECONDS", -1)
    older = md.docx_bytes(md.paragraph("Workers register early."))
    newer = md.docx_bytes(md.paragraph("Workers register late."))
    content = made(older, newer)
    deleted = [
        "".join(t.text for t in mark.iter(W + "delText"))
        for mark in document_xml(content).iter(W + "del")
    ]
    assert "Workers register early." in deleted
    assert rejected_lines(content) == lines(older)


def test_too_much_text_is_refused_rather_than_written(monkeypatch):
    monkeypatch.setattr(redline, "MAX_CHARACTERS", 20)
    with pytest.raises(redline.RedlineTooLarge):
        made(
            md.docx_bytes(md.paragraph("One short line.")),
            md.docx_bytes(md.paragraph("One short line, now longer than before.")),
        )


def test_a_removed_heading_comes_back_deleted_with_its_heading_style():
    older = md.docx_bytes(
        md.paragraph("Purpose", style="Heading1")
        + md.paragraph("Text.")
        + md.paragraph("Scope", style="Heading2")
        + md.paragraph("More text."),
        styles=md.HEADINGS_STYLES,
    )
    newer = md.docx_bytes(
        md.paragraph("Purpose", style="Heading1")
        + md.paragraph("Text.")
        + md.paragraph("More text."),
        styles=md.HEADINGS_STYLES,
    )
    content = made(older, newer)
    [paragraph] = [
        p for p in document_xml(content).iter(W + "p") if p.findtext(f".//{W}delText") == "Scope"
    ]
    assert paragraph.find(f"{W}pPr/{W}pStyle").get(W + "val") == "Heading2"
    assert paragraph.find(f"{W}pPr/{W}rPr/{W}del") is not None
    assert rejected_lines(content) == lines(older)
    assert [b.style for b in extract(io.BytesIO(content)).body if b.text == "Scope"] == []
