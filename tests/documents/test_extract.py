"""Extraction reads a .docx as a person reading it in Word would.

The corpus files are real Word documents; the small ones built by
``make_docs`` each isolate one feature python-docx cannot see.
"""

import io
import json
import unicodedata
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from documents.docx.extract import extract
from documents.docx.structure import LTR, RTL, Block, Comment, Extraction, direction_of
from tests.documents import make_docs as md

CORPUS = Path(__file__).parent / "corpus"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PROPERTIES = ("title", "author", "last_modified_by", "revision", "created", "modified")


def read(name):
    with open(CORPUS / name, "rb") as file:
        return extract(file)


def built(body, **parts):
    return extract(io.BytesIO(md.docx_bytes(body, **parts)))


def paragraphs(extraction):
    return [block.text for block in extraction.body if block.kind == "paragraph"]


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.docx")), ids=lambda path: path.stem)
def test_every_corpus_file_is_read_and_survives_storage_as_json(path):
    with open(path, "rb") as file:
        file.seek(10)
        extraction = extract(file)
        assert file.tell() == 0

    stored = json.loads(json.dumps(extraction.as_dict()))
    assert Extraction.from_dict(stored) == extraction
    assert tuple(extraction.properties) == PROPERTIES


def test_tables_keep_their_shape_even_when_empty():
    extraction = read("tbl-having-tables.docx")

    assert [block.kind for block in extraction.body] == ["table"] * 3
    assert [block.rows for block in extraction.body] == [
        [[""] * 2] * 2,
        [[""] * 3] * 3,
        [[""] * 4] * 2,
    ]


def test_paragraphs_and_tables_come_in_document_order_with_nested_tables_flattened():
    extraction = read("blk-paras-and-tables.docx")

    assert [(block.kind, block.text, block.rows) for block in extraction.body] == [
        ("table", "", [["", ""], ["", ""]]),
        ("paragraph", "Lorem ipsum dolor sit amet, consectetur adipiscing elit.", []),
        ("table", "", [["Text before\nTable\nBetween\nText after"]]),
        ("paragraph", "Donec semper facilisis metus finibus malesuada.", []),
        ("table", "", [[""]]),
    ]
    assert (extraction.headers, extraction.footers) == (
        ["Left-side\tRight-side"],
        ["Copyright\tPage-number"],
    )


def test_merged_cells_appear_once_and_vertical_continuations_are_empty():
    tables = [block.rows for block in read("tbl-cell-access.docx").body]

    assert tables[0] == [["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"]]
    assert tables[1] == [["1", "2", "3"], ["4", "6"], ["7", "8", "9"]]  # "4" spans two columns
    assert tables[2] == [["1", "2", "3"], ["4", "5", "6"], ["7", "", "9"]]  # "5" spans two rows
    assert tables[3] == [["1", "2", "3"], ["4", "6"], ["", "9"]]


def test_a_vertically_merged_cell_is_read_from_its_first_row_only():
    restart, cont = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    extraction = built(md.table([("Region", restart), "Kabul"], [("stale text", cont), "Herat"]))

    assert extraction.body[0].rows == [["Region", "Kabul"], ["", "Herat"]]


def test_headers_and_footers_are_kept_apart_from_the_body():
    extraction = read("hdr-header-footer.docx")

    assert paragraphs(extraction) == ["section with header", "section without header of its own."]
    assert extraction.headers == ["Header for section-1"]
    assert extraction.footers == ["Footer for section 1"]
    assert "Header" not in extraction.text


def test_odd_even_and_first_page_headers_are_all_listed():
    assert read("doc-odd-even-hdrs.docx").headers == ["Even page header.", "Odd page header."]
    first_page = read("sct-first-page-hdrftr.docx")
    assert first_page.headers == ["Default (odd, primary) Header", "First Page Header (section 2)"]
    assert paragraphs(first_page)[0] == "First page."
    assert "Header" not in first_page.text


def test_hyperlink_text_is_kept():
    assert paragraphs(read("par-hyperlinks.docx")) == [
        "No hyperlinks",
        "One awesome hyperlink.",
        "Three hyperlinks: the first one here, the second one, and the third.",
    ]


def test_numbered_paragraph_keeps_its_text_and_style():
    [block] = read("num-having-numbering-part.docx").body

    assert block.text == "Paragraph having List Number style."
    assert block.style == "List Number"


def test_comments_are_listed_with_their_authors_and_kept_out_of_the_body():
    extraction = read("comments-rich-para.docx")

    assert extraction.comments[0] == Comment(
        author="Steve Canny",
        text="Text with hyperlink https://google.com embedded.",
        id="0",
        date="2025-06-07T11:20:00Z",
    )
    assert [c.text for c in extraction.comments[1:]] == [
        "Text with inline image  in the middle.",
        "Text with character style.",
        "Paragraph with Heading 2 paragraph style.",
    ]
    assert "worthy of note" in extraction.text
    assert "hyperlink" not in extraction.text


def test_each_paragraph_keeps_the_comments_anchored_in_it():
    body = read("comments-rich-para.docx").body

    assert [(block.text, block.comments) for block in body if block.comments] == [
        ("Some text worthy of note.", ["0"]),
        ("Other text worthy of note.", ["1"]),
        ("Paragraph 5", ["2"]),
        ("Paragraph 6", ["4"]),
    ]


def test_core_properties():
    assert read("doc-coreprops.docx").properties == {
        "title": "Title",
        "author": "Steve Canny",
        "last_modified_by": "Steve Canny",
        "revision": "2",
        "created": "2014-12-13T22:02:00Z",
        "modified": "2014-12-13T22:06:00Z",
    }
    assert read("doc-no-coreprops.docx").properties == dict.fromkeys(PROPERTIES, "")


def test_documents_without_styles_or_with_only_images_have_no_text():
    for name in ("sty-having-no-styles-part.docx", "having-images.docx"):
        extraction = read(name)
        assert extraction.text == ""
        assert extraction.word_count == 0


@pytest.fixture(scope="module")
def redline():
    """A ~200-page policy with changes tracked by "Reviewer", all unresolved."""
    return read("redline-v1-v2.docx")


class TestRedline:
    @pytest.fixture
    def extraction(self, redline):
        return redline

    def test_counts_the_tracked_changes(self, extraction):
        assert (extraction.tracked_insertions, extraction.tracked_deletions) == (154, 127)

    def test_reads_the_text_with_every_change_accepted(self, extraction):
        text = extraction.text
        # A word-level change: "education" inserted, "must" deleted next to it.
        assert "regulation fund target in education for allocation capacity" in text
        assert "educationmust" not in text
        assert "government building district review regulation" not in text  # a w:del
        assert "Baseline annual shall infrastructure resilience endorsement" not in text
        assert "NEW: In must may monitoring regulation building framework" in text  # a w:ins
        # A moved paragraph appears once, at its new place.
        assert text.count("Fund health monitoring provincial committee and for regulation") == 1

    def test_matches_word_xml_read_independently(self, extraction):
        """Every body paragraph is its w:t text outside deletions and moved-away text."""
        with zipfile.ZipFile(CORPUS / "redline-v1-v2.docx") as archive:
            body = etree.fromstring(archive.read("word/document.xml")).find(W + "body")
        expected = []
        for p in body.iterchildren(W + "p"):
            text = "".join(
                p.xpath(
                    ".//w:t[not(ancestor::w:del) and not(ancestor::w:moveFrom)]/text()",
                    namespaces={"w": W[1:-1]},
                )
            )
            if text.strip():
                expected.append(text)

        assert paragraphs(extraction) == expected
        assert sum(block.kind == "table" for block in extraction.body) == 20

    def test_paragraphs_with_changes_keep_them_and_they_add_up_to_the_text(self, extraction):
        marked = [block for block in extraction.body if block.changes]
        assert len(marked) > 50
        for block in marked:
            assert "".join(t for op, t, _, _ in block.changes if op != "delete") == block.text
            assert {op for op, *_ in block.changes} > {"equal"}
            assert {author for op, _, author, _ in block.changes if op != "equal"} == {"Reviewer"}

    def test_headings_have_levels(self, extraction):
        first, second = extraction.body[0], extraction.body[10]
        assert (first.text, first.style, first.level) == (
            "Chapter 1: Budget shall climate capacity",
            "Heading 1",
            1,
        )
        assert (second.style, second.level) == ("Heading 2", 2)

    def test_word_count_and_properties(self, extraction):
        assert extraction.word_count == len(extraction.text.replace(" | ", " ").split())
        assert extraction.properties["title"] == "National Water Policy"
        assert extraction.properties["author"] == "Technical Working Group"


class TestDirection:
    @pytest.mark.parametrize(
        "text",
        [
            "سياسة الهجرة الوطنية الشاملة",  # Arabic
            "پالیسی ملی جامع مهاجرت افغانستان",  # Dari
            "سمندر پار پاکستانیوں کی فلاح و بہبود کی قومی پالیسی",  # Urdu
            "د افغانستان د مهاجرت ملي جامع پالیسي",  # Pashto
            "وزارت UNHCR و IOM با همکاری نهادهای ملی",  # Dari opening with Latin acronyms
        ],
    )
    def test_arabic_script_text_is_rtl_without_any_marking(self, text):
        [block] = built(md.paragraph(text)).body
        assert block.direction == RTL

    @pytest.mark.parametrize(
        ("text", "direction"),
        [
            ("abcd ابجده", RTL),  # five Arabic letters of nine
            ("abcd ابجد", LTR),  # half is not most
            ("abcde ابجد", LTR),
            # Digits and punctuation are not letters (a date in Persian digits).
            ("\u06f1\u06f4\u06f0\u06f3/\u06f0\u06f5/\u06f0\u06f1 — 2024 ابج", RTL),
            ("2024-05-01", LTR),
            ("", LTR),
        ],
    )
    def test_most_letters_decide(self, text, direction):
        assert direction_of(text) == direction

    def test_mostly_latin_text_with_an_arabic_word_stays_ltr(self):
        [block] = built(md.paragraph("The National Migration Policy (سیاست) was endorsed.")).body
        assert block.direction == LTR

    def test_the_paragraphs_own_marking_decides_for_latin_text(self):
        extraction = built(
            md.paragraph("Marked right to left", bidi=True)
            + md.paragraph("Marked off", bidi="0")
            + md.paragraph("From its style", style="Arabic")
            + md.paragraph("Style overridden", style="Arabic", bidi="false")
            + md.paragraph("Plain"),
            styles=md.HEADINGS_STYLES,
        )
        assert [b.direction for b in extraction.body] == [RTL, LTR, RTL, LTR, LTR]

    def test_arabic_script_text_round_trips_exactly(self):
        texts = [
            "سياسةُ الهجرةِ الوطنيةُ",  # with vowel marks
            "پالیسی ملی مهاجرت می‌شود",  # Dari, with a zero-width non-joiner
            "بیرون ملک پاکستانیوں کی فلاح ۱۲۳",  # Urdu, with Extended Arabic-Indic digits
        ]
        extraction = extract(io.BytesIO(md.python_docx_bytes(*texts)))
        stored = Extraction.from_dict(json.loads(json.dumps(extraction.as_dict())))

        assert paragraphs(stored) == texts
        for got, sent in zip(paragraphs(stored), texts, strict=True):
            assert unicodedata.normalize("NFC", got) == unicodedata.normalize("NFC", sent)
        assert {block.direction for block in stored.body} == {RTL}


def test_content_controls_are_read_at_every_level():
    extraction = built(
        md.content_control(md.paragraph("Block-level control"))
        + md.paragraph("Country: ", md.content_control(md.run("Pakistan")), ".")
        + md.table([md.content_control(md.run("in a cell")), "plain"])
    )
    assert [(b.text, b.rows) for b in extraction.body] == [
        ("Block-level control", []),
        ("Country: Pakistan.", []),
        ("", [["in a cell", "plain"]]),
    ]


def test_a_text_box_is_read_once_right_after_its_anchor():
    extraction = built(
        md.paragraph("Before")
        + md.paragraph("Anchor ", md.text_box(md.paragraph("Boxed note"), md.paragraph("line 2")))
        + md.paragraph("After")
    )
    assert paragraphs(extraction) == ["Before", "Anchor ", "Boxed note", "line 2", "After"]
    assert extraction.word_count == 7


def test_footnotes_and_endnotes_without_separators():
    extraction = built(
        md.paragraph("Body text."),
        footnotes=md.notes("footnote", "Source: census 2023."),
        endnotes=md.notes("endnote", "Adopted by cabinet.", "Second note."),
    )
    assert extraction.footnotes == ["Source: census 2023."]
    assert extraction.endnotes == ["Adopted by cabinet.", "Second note."]
    assert extraction.text == "Body text."
    assert extraction.word_count == 2


def test_tracked_insertion_kept_and_deletion_dropped():
    empty = f'<w:ins w:id="7" {md.CHANGE}><w:r><w:rPr><w:b/></w:rPr></w:r></w:ins>'
    extraction = built(
        md.paragraph("Returnees ", md.inserted("shall "), md.deleted("may "), "be registered.")
        + md.paragraph("Nothing inserted", empty, empty.replace("w:ins", "w:del"))
    )
    assert paragraphs(extraction) == ["Returnees shall be registered.", "Nothing inserted"]
    assert (extraction.tracked_insertions, extraction.tracked_deletions) == (1, 1)


def test_a_paragraph_keeps_its_tracked_changes_beside_its_accepted_text():
    other = 'w:author="Editor" w:date="2024-02-03T10:00:00Z"'
    extraction = built(
        md.paragraph("Returnees ", md.inserted("shall "), md.deleted("may "), "be registered.")
        + md.paragraph("Untouched.")
        + md.paragraph(
            f'<w:del w:id="9" {other}><w:r><w:delText>Old</w:delText><w:tab/></w:r></w:del>', "New"
        )
    )
    first, untouched, third = extraction.body

    assert first.text == "Returnees shall be registered."
    assert first.changes == [
        ["equal", "Returnees ", "", ""],
        ["insert", "shall ", "Reviewer", "2024-01-01T00:00:00Z"],
        ["delete", "may ", "Reviewer", "2024-01-01T00:00:00Z"],
        ["equal", "be registered.", "", ""],
    ]
    assert untouched.changes == []
    assert third.changes == [
        ["delete", "Old\t", "Editor", "2024-02-03T10:00:00Z"],
        ["equal", "New", "", ""],
    ]


def test_an_extraction_stored_before_comments_and_changes_were_kept_still_loads():
    stored = {
        "body": [
            {
                "kind": "paragraph",
                "text": "Text.",
                "style": "Normal",
                "level": 0,
                "direction": "ltr",
                "rows": [],
            }
        ],
        "comments": [{"author": "Reviewer", "text": "Check this."}],
        "tracked_insertions": 1,
    }
    extraction = Extraction.from_dict(stored)

    assert (extraction.body[0].comments, extraction.body[0].changes) == ([], [])
    assert extraction.comments == [Comment(author="Reviewer", text="Check this.")]
    assert Extraction.from_dict(extraction.as_dict()) == extraction


def test_moves_deleted_paragraph_marks_and_rows_are_accepted():
    change = md.CHANGE
    move_from = f'<w:moveFrom w:id="3" {change}><w:r><w:t>Moved text.</w:t></w:r></w:moveFrom>'
    move_to = f'<w:moveTo w:id="4" {change}><w:r><w:t>Moved text.</w:t></w:r></w:moveTo>'
    deleted_mark = f'<w:rPr><w:del w:id="5" {change}/></w:rPr>'
    deleted_row = f'<w:tr><w:trPr><w:del w:id="6" {change}/></w:trPr><w:tc><w:p/></w:tc></w:tr>'
    extraction = built(
        md.paragraph(move_from)
        + md.paragraph("First half, ", properties=deleted_mark)
        + md.paragraph("second half.")
        + md.paragraph(move_to)
        + md.table(["kept row"]).replace("</w:tbl>", deleted_row + "</w:tbl>")
    )
    assert [(b.text, b.rows) for b in extraction.body] == [
        ("First half, second half.", []),
        ("Moved text.", []),
        ("", [["kept row"]]),
    ]
    assert (extraction.tracked_insertions, extraction.tracked_deletions) == (0, 2)


def test_changes_are_counted_in_headers_and_notes_but_not_in_comments():
    extraction = built(
        md.paragraph("Text"),
        headers=[("Draft ", md.inserted("two"))],
        footers=[("Page ", md.deleted("one"))],
        footnotes=md.notes("footnote", ("Census ", md.inserted("2023"))),
        comments=md.comments(("Reviewer", ("Fine ", md.inserted("now")))),
    )
    assert (extraction.headers, extraction.footers) == (["Draft two"], ["Page"])
    assert extraction.footnotes == ["Census 2023"]
    assert extraction.comments == [Comment(author="Reviewer", text="Fine now", id="0")]
    assert (extraction.tracked_insertions, extraction.tracked_deletions) == (2, 1)


def test_field_codes_dropped_results_kept_and_special_characters():
    simple_field = '<w:fldSimple w:instr=" DATE ">' + md.run("1 May 2024") + "</w:fldSimple>"
    characters = (
        "<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:noBreakHyphen/><w:t>d</w:t>"
        '<w:sym w:font="Wingdings" w:char="F0E0"/><w:cr/><w:t>e</w:t></w:r>'
    )
    extraction = built(
        md.paragraph("Page ", md.field("PAGE \\* MERGEFORMAT", "3"))
        + md.paragraph(simple_field)
        + md.paragraph(characters)
    )
    assert paragraphs(extraction) == ["Page 3", "1 May 2024", "a\tb\nc-d\ne"]


def test_headings_take_the_name_word_shows_and_a_level():
    extraction = built(
        md.paragraph("Chapter", style="Heading1")
        + md.paragraph("Section", style="Heading2")
        + md.paragraph("Inherits its level", style="ChapterTitle")
        + md.paragraph("Outline level set directly", properties='<w:outlineLvl w:val="2"/>')
        + md.paragraph("Demoted", style="Heading1", properties='<w:outlineLvl w:val="9"/>')
        + md.paragraph("Unknown style", style="Missing"),
        styles=md.HEADINGS_STYLES,
    )
    assert [(b.style, b.level) for b in extraction.body] == [
        ("Heading 1", 1),
        ("Heading 2", 2),
        ("Chapter Title", 1),
        ("Normal", 3),
        ("Heading 1", 0),
        ("Normal", 0),
    ]


def test_empty_and_repeated_headers_are_listed_once():
    extraction = built(
        md.paragraph("Body"), headers=["Draft", "", "Draft"], footers=["Page", "Confidential"]
    )
    assert extraction.headers == ["Draft"]
    assert extraction.footers == ["Page", "Confidential"]


def test_core_properties_of_a_built_document():
    core = {"title": "سیاست ملی مهاجرت", "creator": "ICMPD", "revision": "7"}
    extraction = built(md.paragraph("Body"), core=core)
    assert extraction.properties == dict.fromkeys(PROPERTIES, "") | {
        "title": "سیاست ملی مهاجرت",
        "author": "ICMPD",
        "revision": "7",
    }


def test_extraction_round_trips_through_json():
    extraction = built(
        md.paragraph("عنوان", style="Heading1") + md.table(["a", "b"], ["", "c\nd"]),
        styles=md.HEADINGS_STYLES,
        footnotes=md.notes("footnote", "note"),
        comments=md.comments(("Reviewer", "Check")),
    )
    stored = Extraction.from_dict(json.loads(json.dumps(extraction.as_dict())))

    assert stored == extraction
    assert isinstance(stored.body[0], Block)
    assert stored.body[0].direction == RTL
    assert stored.comments == [Comment(author="Reviewer", text="Check", id="0")]


def test_hidden_text_is_left_out():
    document = Document()
    paragraph = document.add_paragraph("Visible text.")
    hidden = paragraph.add_run(" SECRET HIDDEN NOTE")
    hidden.font.hidden = True
    buffer = io.BytesIO()
    document.save(buffer)
    assert extract(buffer).lines() == ["Visible text."]


def test_an_outline_level_that_is_not_a_number_is_ignored():
    document = Document()
    paragraph = document.add_paragraph("Article one")
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "²")
    paragraph._p.get_or_add_pPr().append(outline)
    buffer = io.BytesIO()
    document.save(buffer)
    block = extract(buffer).body[0]
    assert (block.text, block.level) == ("Article one", 0)


def test_blocks_without_comments_or_changes_are_stored_without_those_fields():
    extraction = built(
        md.paragraph("Plain.") + md.paragraph("Returnees ", md.inserted("shall "), "register.")
    )
    plain, marked = extraction.as_dict()["body"]

    assert "comments" not in plain
    assert "changes" not in plain
    assert marked["changes"][1] == ["insert", "shall ", "Reviewer", "2024-01-01T00:00:00Z"]
    assert Extraction.from_dict(extraction.as_dict()) == extraction
