"""An HTML preview of a version, rendered from its stored extraction.

The renderer writes every tag itself and passes all document text through
``html.escape``; it never emits links, images, scripts, styles or event
attributes, so the fragment is safe by construction and needs no
sanitiser.

Direction: every block carries ``dir="auto"``, so the browser lays out each
paragraph by its first strong character, which is right for Arabic, Dari,
Pashto and Urdu text. A paragraph the extraction found right-to-left also
gets ``class="rtl"``: Word lays out a paragraph marked RTL right-to-left
even when it opens with a Latin word ("UNHCR ..."), which ``dir="auto"``
alone would get wrong; the page's stylesheet turns the class into
``direction: rtl``.
"""

from dataclasses import dataclass
from html import escape

from django.utils.translation import gettext

from documents.docx.structure import RTL


def anchor(position):
    """The id of the body block at ``position`` (1-based, tables counted).

    A version never changes, so ``#p-<n>`` names the same paragraph for
    as long as the version exists: links in comments and emails keep working.
    """
    return f"p-{position}"


@dataclass(frozen=True)
class Heading:
    anchor: str
    level: int  # 1-6
    text: str


def outline(extraction):
    """The document's headings, in order, each with the anchor of its block."""
    return [
        Heading(anchor(position), min(block.level, 6), block.text)
        for position, block in enumerate(extraction.body, start=1)
        if block.kind == "paragraph" and block.level and block.text.strip()
    ]


def preview_html(extraction):
    """The document as an HTML fragment: the body, then headers, footers and notes."""
    parts = [_block(block, position) for position, block in enumerate(extraction.body, start=1)]
    for title, texts in (
        (gettext("Headers"), extraction.headers),
        (gettext("Footers"), extraction.footers),
    ):
        if texts:
            paragraphs = "".join(f'<p dir="auto">{_text(text)}</p>' for text in texts)
            parts.append(_aside(title, paragraphs))
    for title, texts in (
        (gettext("Footnotes"), extraction.footnotes),
        (gettext("Endnotes"), extraction.endnotes),
    ):
        if texts:
            items = "".join(f'<li dir="auto">{_text(text)}</li>' for text in texts)
            parts.append(_aside(title, f'<ol dir="auto">{items}</ol>'))
    return "\n".join(parts)


def _block(block, position):
    id_ = f' id="{anchor(position)}"'
    if block.kind == "table":
        rows = "".join(
            '<tr dir="auto">'
            + "".join(f'<td dir="auto">{_text(cell)}</td>' for cell in row)
            + "</tr>"
            for row in block.rows
        )
        return f'<table{id_} dir="auto">{rows}</table>'
    tag = f"h{min(block.level, 6)}" if block.level else "p"
    css_class = ' class="rtl"' if block.direction == RTL else ""
    return f'<{tag}{id_} dir="auto"{css_class}>{_text(block.text)}</{tag}>'


def _aside(title, content):
    return f'<aside dir="auto"><h2 dir="auto">{escape(title)}</h2>{content}</aside>'


def _text(text):
    """Escaped text; line breaks inside a paragraph or cell stay line breaks."""
    return escape(text).replace("\n", "<br>")
