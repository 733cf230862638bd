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

What is still unresolved in the file is shown where it is: a paragraph's
tracked changes as ``<ins>`` / ``<del>`` (its text with the insertions
kept and the deletions left out is the stored, accepted text), titled
with who made them and when; each comment right after the block it is
anchored in, with its author and date. Comments of an extraction stored
before anchors were kept, or anchored outside the body, follow the
document under "Comments". The only attribute values built from the
document are those titles, escaped.
"""

from dataclasses import dataclass
from html import escape

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

from documents.docx.structure import RTL
from policyflow.formats.dates import day


def anchor(position):
    """The id of the body block at ``position`` (1-based, tables counted).

    A version never changes, so ``#p-<n>`` names the same paragraph for
    as long as the version exists: links in comments and emails keep working.
    Headers, footers, footnotes and endnotes are ``#hd-<n>``, ``#ft-<n>``,
    ``#fn-<n>`` and ``#en-<n>`` (1-based, in the order the extraction lists them);
    search results link to all of these.
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
    """The document as an HTML fragment: the body, then headers, footers, notes and comments."""
    comments = {comment.id: comment for comment in extraction.comments if comment.id}
    shown = set()
    parts = []
    for position, block in enumerate(extraction.body, start=1):
        parts.append(_block(block, position))
        anchored = [comments[i] for i in block.comments if i in comments and i not in shown]
        if anchored:
            shown.update(comment.id for comment in anchored)
            parts.append(f'<div class="doc-comments" dir="auto">{_comments(anchored)}</div>')
    for title, texts, prefix in (
        (gettext("Headers"), extraction.headers, "hd"),
        (gettext("Footers"), extraction.footers, "ft"),
    ):
        if texts:
            paragraphs = "".join(
                f'<p id="{prefix}-{n}" dir="auto">{_text(text)}</p>'
                for n, text in enumerate(texts, start=1)
            )
            parts.append(_aside(title, paragraphs))
    for title, texts, prefix in (
        (gettext("Footnotes"), extraction.footnotes, "fn"),
        (gettext("Endnotes"), extraction.endnotes, "en"),
    ):
        if texts:
            items = "".join(
                f'<li id="{prefix}-{n}" dir="auto">{_text(text)}</li>'
                for n, text in enumerate(texts, start=1)
            )
            parts.append(_aside(title, f'<ol dir="auto">{items}</ol>'))
    others = [comment for comment in extraction.comments if comment.id not in shown]
    if others:
        parts.append(_aside(gettext("Comments"), _comments(others)))
    return "\n".join(parts)


def has_marks(extraction):
    """Whether the preview shows tracked changes or comments where they are."""
    return any(block.changes or block.comments for block in extraction.body)


def _block(block, position):
    id_ = f' id="{anchor(position)}"'
    if block.kind == "table":
        rows = "".join(
            '<tr dir="auto">'
            + "".join(
                f'<td dir="auto">{_cell(cell, _at(_at(block.changes, r), c))}</td>'
                for c, cell in enumerate(row)
            )
            + "</tr>"
            for r, row in enumerate(block.rows)
        )
        return f'<table{id_} dir="auto">{rows}</table>'
    tag = f"h{min(block.level, 6)}" if block.level else "p"
    css_class = ' class="rtl"' if block.direction == RTL else ""
    content = _changes(block.changes) if block.changes else _text(block.text)
    return f'<{tag}{id_} dir="auto"{css_class}>{content}</{tag}>'


def _at(items, index):
    return items[index] if index < len(items) else []


def _cell(text, segments):
    return _changes(segments) if segments else _text(text)


def _changes(segments):
    """A paragraph's text with its tracked changes marked."""
    out = []
    for op, text, author, date in segments:
        if op in ("insert", "delete"):
            tag = "ins" if op == "insert" else "del"
            out.append(f'<{tag} title="{_change_title(op, author, date)}">{_text(text)}</{tag}>')
        else:
            out.append(_text(text))
    return "".join(out)


def _change_title(op, author, date):
    """An escaped attribute value: who made a change, and when if Word recorded it."""
    values = {"author": author or gettext("an unknown author"), "date": _date(date)}
    if op == "insert":
        if values["date"]:
            title = gettext("Inserted by %(author)s, %(date)s") % values
        else:
            title = gettext("Inserted by %(author)s") % values
    elif values["date"]:
        title = gettext("Deleted by %(author)s, %(date)s") % values
    else:
        title = gettext("Deleted by %(author)s") % values
    return escape(title, quote=True)


def _comments(comments):
    items = []
    for comment in comments:
        author = f"<bdi>{escape(comment.author or gettext('an unknown author'))}</bdi>"
        shown_date = _date(comment.date)
        if shown_date:
            by = escape(gettext("Comment by %(author)s, %(date)s")) % {
                "author": author,
                "date": escape(shown_date),
            }
        else:
            by = escape(gettext("Comment by %(author)s")) % {"author": author}
        items.append(
            f'<p class="doc-comment" dir="auto"><span class="doc-comment-by">{by}</span> '
            f"{_text(comment.text)}</p>"
        )
    return "".join(items)


def _date(value):
    """The date of a W3CDTF timestamp as the reader's language writes dates; "" if none."""
    try:
        moment = parse_datetime(value) if value else None
    except ValueError:
        moment = None
    return day(moment.date()) if moment else ""


def _aside(title, content):
    return f'<aside dir="auto"><h2 dir="auto">{escape(title)}</h2>{content}</aside>'


def _text(text):
    """Escaped text; line breaks inside a paragraph or cell stay line breaks."""
    return escape(text).replace("\n", "<br>")
