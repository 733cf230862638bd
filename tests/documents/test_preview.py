"""The HTML preview: escaped text, direction on every block, nothing active, an outline."""

import io
import re

from django.utils import translation

from documents.docx.extract import extract
from documents.docx.preview import Heading, outline, preview_html
from documents.docx.structure import LTR, RTL, Block, Extraction
from tests.documents import make_docs as md

ARABIC = "سياسة الهجرة الوطنية الشاملة"
ALLOWED_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "aside", "ol", "li"}


def start_tags(html):
    return re.findall(r"<([a-z0-9]+)([^>]*)>", html)


def rendered(*texts):
    return preview_html(extract(io.BytesIO(md.python_docx_bytes(*texts))))


def test_document_text_is_escaped():
    html = rendered("<script>alert(1)</script>", 'a "quoted" <b>bold</b> & <img src=x onerror=y>')

    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&quot;quoted&quot; &lt;b&gt;bold&lt;/b&gt; &amp; &lt;img src=x onerror=y&gt;" in html
    assert {tag for tag, _ in start_tags(html)} == {"p"}


def test_every_block_reads_its_own_direction_and_nothing_active_is_emitted():
    extraction = Extraction(
        body=[
            Block(kind="paragraph", text="Title", style="Heading 1", level=1),
            Block(kind="paragraph", text=ARABIC, direction=RTL),
            Block(kind="table", rows=[["a", "b"], ["", "c"]]),
        ],
        headers=["Draft"],
        footers=["Page"],
        footnotes=["A note"],
        endnotes=["An endnote"],
    )
    tags = start_tags(preview_html(extraction))

    assert {tag for tag, _ in tags} == ALLOWED_TAGS - {"h3", "h4", "h5", "h6"}
    for tag, attributes in tags:
        assert 'dir="auto"' in attributes, tag
        allowed = r'\s*(dir="auto"|class="rtl"|id="(p|hd|ft|fn|en)-\d+")'
        assert re.sub(allowed, "", attributes) == "", tag


def test_headings_map_to_their_level_and_deep_ones_stop_at_h6():
    html = preview_html(
        Extraction(
            body=[
                Block(kind="paragraph", text="Chapter", level=1),
                Block(kind="paragraph", text="Section", level=2),
                Block(kind="paragraph", text="Deep", level=8),
                Block(kind="paragraph", text="Body", style="Normal"),
            ]
        )
    )
    assert html.splitlines() == [
        '<h1 id="p-1" dir="auto">Chapter</h1>',
        '<h2 id="p-2" dir="auto">Section</h2>',
        '<h6 id="p-3" dir="auto">Deep</h6>',
        '<p id="p-4" dir="auto">Body</p>',
    ]


def test_tables_and_line_breaks():
    html = preview_html(Extraction(body=[Block(kind="table", rows=[["a & b", "line 1\nline 2"]])]))

    assert html == (
        '<table id="p-1" dir="auto"><tr dir="auto"><td dir="auto">a &amp; b</td>'
        '<td dir="auto">line 1<br>line 2</td></tr></table>'
    )


def test_right_to_left_text_is_unchanged_and_marked():
    extraction = Extraction(
        body=[
            Block(kind="paragraph", text=ARABIC, direction=RTL),
            Block(kind="paragraph", text="UNHCR و IOM", direction=RTL),
            Block(kind="paragraph", text="English", direction=LTR),
        ]
    )
    assert preview_html(extraction).splitlines() == [
        f'<p id="p-1" dir="auto" class="rtl">{ARABIC}</p>',
        '<p id="p-2" dir="auto" class="rtl">UNHCR و IOM</p>',
        '<p id="p-3" dir="auto">English</p>',
    ]


def test_arabic_from_a_real_document_reaches_the_page_unchanged():
    html = rendered("Introduction", ARABIC)

    assert f'<p id="p-2" dir="auto" class="rtl">{ARABIC}</p>' in html


def test_headers_footers_and_notes_follow_the_body_under_translated_titles():
    extraction = extract(
        io.BytesIO(
            md.docx_bytes(
                md.paragraph("Body"),
                headers=["Draft for consultation"],
                footers=["Confidential"],
                footnotes=md.notes("footnote", "Source <census>"),
                endnotes=md.notes("endnote", "Annex"),
            )
        )
    )
    with translation.override("en"):
        html = preview_html(extraction)

    assert html.splitlines() == [
        '<p id="p-1" dir="auto">Body</p>',
        '<aside dir="auto"><h2 dir="auto">Headers</h2>'
        '<p id="hd-1" dir="auto">Draft for consultation</p></aside>',
        '<aside dir="auto"><h2 dir="auto">Footers</h2><p id="ft-1" dir="auto">Confidential</p>'
        "</aside>",
        '<aside dir="auto"><h2 dir="auto">Footnotes</h2><ol dir="auto">'
        '<li id="fn-1" dir="auto">Source &lt;census&gt;</li></ol></aside>',
        '<aside dir="auto"><h2 dir="auto">Endnotes</h2><ol dir="auto">'
        '<li id="en-1" dir="auto">Annex</li></ol></aside>',
    ]


def test_an_empty_document_gives_an_empty_fragment():
    assert preview_html(Extraction()) == ""


def test_every_body_block_has_a_stable_anchor_and_headings_make_the_outline():
    extraction = Extraction(
        body=[
            Block(kind="paragraph", text="Chapter 1", level=1),
            Block(kind="paragraph", text="Body text"),
            Block(kind="table", rows=[["a"]]),
            Block(kind="paragraph", text="   ", level=2),  # an empty heading is no entry
            Block(kind="paragraph", text=ARABIC, level=2, direction=RTL),
            Block(kind="paragraph", text="Deep <heading>", level=9),
        ]
    )
    html = preview_html(extraction)
    ids = re.findall(r' id="(p-\d+)"', html)
    assert ids == [f"p-{n}" for n in range(1, 7)]
    assert outline(extraction) == [
        Heading("p-1", 1, "Chapter 1"),
        Heading("p-5", 2, ARABIC),
        Heading("p-6", 6, "Deep <heading>"),
    ]
    # The same extraction always gives the same anchors.
    assert re.findall(r' id="(p-\d+)"', preview_html(extraction)) == ids


def test_a_document_without_headings_has_no_outline():
    assert outline(Extraction(body=[Block(kind="paragraph", text="Only text")])) == []


def comment_with(author, text, comment_id, date="2025-06-07T11:20:00Z"):
    return (
        f'<w:comment w:id="{comment_id}" w:author="{author}" w:date="{date}">'
        f"{md.paragraph(text)}</w:comment>"
    )


def test_each_comment_follows_the_paragraph_it_is_anchored_in_escaped_with_author_and_date():
    comments = (
        f"<w:comments {md.NAMESPACES}>"
        + comment_with("Ayesha &lt;Khan&gt;", "Say <b>who</b> pays.", 0)
        + comment_with("Omar", "Second & last.", 1, date="")
        + "</w:comments>"
    )
    extraction = extract(
        io.BytesIO(
            md.docx_bytes(
                md.paragraph("Fees are paid.", '<w:commentRangeStart w:id="0"/>')
                + md.paragraph("Untouched.")
                + md.table(["Cell", '<w:r><w:commentReference w:id="1"/></w:r>']),
                comments=comments,
            )
        )
    )
    with translation.override("en"):
        html = preview_html(extraction)

    assert html.splitlines() == [
        '<p id="p-1" dir="auto">Fees are paid.</p>',
        '<div class="doc-comments" dir="auto"><p class="doc-comment" dir="auto">'
        '<span class="doc-comment-by">Comment by <bdi>Ayesha &lt;Khan&gt;</bdi>, 7 June 2025'
        "</span> Say &lt;b&gt;who&lt;/b&gt; pays.</p></div>",
        '<p id="p-2" dir="auto">Untouched.</p>',
        '<table id="p-3" dir="auto"><tr dir="auto"><td dir="auto">Cell</td>'
        '<td dir="auto"></td></tr></table>',
        '<div class="doc-comments" dir="auto"><p class="doc-comment" dir="auto">'
        '<span class="doc-comment-by">Comment by <bdi>Omar</bdi></span> Second &amp; last.</p>'
        "</div>",
    ]


def test_tracked_changes_are_marked_and_the_text_without_deletions_is_the_stored_text():
    extraction = extract(
        io.BytesIO(
            md.docx_bytes(
                md.paragraph(
                    "Returnees ",
                    md.inserted("<shall> "),
                    md.deleted("may "),
                    "be registered.",
                ).replace('w:author="Reviewer"', 'w:author="R &quot;&lt;x&gt;"', 1)
            )
        )
    )
    with translation.override("en"):
        html = preview_html(extraction)

    assert html == (
        '<p id="p-1" dir="auto">Returnees '
        '<ins title="Inserted by R &quot;&lt;x&gt;, 1 January 2024">&lt;shall&gt; </ins>'
        '<del title="Deleted by Reviewer, 1 January 2024">may </del>be registered.</p>'
    )
    accepted = re.sub(r"<del [^>]*>.*?</del>|<[^>]+>", "", html)
    assert accepted == "Returnees &lt;shall&gt; be registered."
    assert extraction.body[0].text == "Returnees <shall> be registered."
    for tag, attributes in start_tags(html):
        assert re.sub(r'\s*(dir="auto"|id="p-\d+"|title="[^"<>]*")', "", attributes) == "", tag


def test_an_extraction_stored_before_anchors_were_kept_still_previews():
    stored = {
        "body": [
            {
                "kind": "paragraph",
                "text": "Fees are paid.",
                "style": "Normal",
                "level": 0,
                "direction": "ltr",
                "rows": [],
            }
        ],
        "comments": [{"author": "Omar", "text": "Who pays?"}],
        "tracked_insertions": 2,
    }
    with translation.override("en"):
        html = preview_html(Extraction.from_dict(stored))

    assert html.splitlines() == [
        '<p id="p-1" dir="auto">Fees are paid.</p>',
        '<aside dir="auto"><h2 dir="auto">Comments</h2><p class="doc-comment" dir="auto">'
        '<span class="doc-comment-by">Comment by <bdi>Omar</bdi></span> Who pays?</p></aside>',
    ]


def test_tracked_changes_in_a_table_cell_are_marked_too():
    extraction = extract(
        io.BytesIO(
            md.docx_bytes(
                md.table(
                    ["Office", "Staff"],
                    [
                        "Lahore",
                        "".join([md.run("1"), md.deleted("2"), md.inserted("4")]),
                    ],
                )
            )
        )
    )
    [table] = extraction.body
    assert table.rows == [["Office", "Staff"], ["Lahore", "14"]]
    with translation.override("en"):
        html = preview_html(extraction)

    assert (
        '<td dir="auto">1<del title="Deleted by Reviewer, 1 January 2024">2</del>'
        '<ins title="Inserted by Reviewer, 1 January 2024">4</ins></td>'
    ) in html
    assert '<td dir="auto">Office</td>' in html
