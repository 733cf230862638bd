"""The redline report: a comparison as a Word document to download and send.

Insertions are underlined in blue and deletions struck through in red, the
convention of Word's own "compare documents", so readers in a ministry
need no legend to read it (one is given anyway). Only the changes are
shown, each with one unchanged paragraph of context on either side, in grey.

The changes are written as WordprocessingML text and parsed once, not
paragraph by paragraph through python-docx: its ``add_paragraph`` looks
for the section properties among all the body's children on every call,
so a report of thousands of changed paragraphs cost seconds, growing with
the square of its length. The work is bounded whatever the comparison
holds: past ``MAX_SEGMENTS`` marked pieces or ``WORD_BY_WORD_SECONDS`` of
writing, a changed paragraph is shown whole (old struck, new underlined);
past ``MAX_CHARACTERS`` of text, no report is written at all
(``RedlineTooLarge``) and the comparison page remains.
"""

import time
from datetime import UTC, datetime

from django.utils.translation import gettext, ngettext
from docx.shared import RGBColor

from documents.docx.compare import (
    ADDED,
    CHANGED,
    DELETE,
    INSERT,
    REMOVED,
    Comparison,
)
from documents.docx.compare_html import changes_in_context
from documents.docx.records import (
    add_footer,
    add_heading,
    add_paragraph,
    add_table,
    add_text,
    document_bytes,
    is_right_to_left,
    new_document,
    paragraph_xml,
    parse_xml_children,
)

INSERTED_COLOR = RGBColor(0x00, 0x4C, 0xB3)
DELETED_COLOR = RGBColor(0xC0, 0x00, 0x00)
CONTEXT_COLOR = RGBColor(0x80, 0x80, 0x80)
CONTEXT_PARAGRAPHS = 1
# Marked pieces (runs) the changes may take: about 0.5 s of work. Real
# revisions of a 200-page policy use a few thousand.
MAX_SEGMENTS = 200_000
# Time the changes may spend being written word by word (real revisions
# take a small part of it).
WORD_BY_WORD_SECONDS = 0.5
# Text the changes may hold: about 7 times a 200-page policy rewritten from
# end to end, and a few seconds of writing.
MAX_CHARACTERS = 8_000_000

# Run properties in schema order (w:i, w:strike, w:color, w:u, w:rtl).
_INSERTED_RPR = f'<w:color w:val="{INSERTED_COLOR}"/><w:u w:val="single"/>'
_DELETED_RPR = f'<w:strike/><w:color w:val="{DELETED_COLOR}"/>'
_CONTEXT_RPR = f'<w:color w:val="{CONTEXT_COLOR}"/>'
_OMISSION_RPR = f'<w:i/><w:color w:val="{CONTEXT_COLOR}"/>'
_MARKS = {INSERT: _INSERTED_RPR, DELETE: _DELETED_RPR}


class RedlineTooLarge(ValueError):
    """The changes hold more text than a report is written for."""


def redline_docx(
    comparison: Comparison,
    *,
    title: str,
    older_label: str,
    newer_label: str,
    when: datetime | None = None,
) -> bytes:
    """The report as .docx bytes; ``when`` (default: now) dates it, and the
    same arguments give the same bytes."""
    when = when or datetime.now(UTC)
    document = new_document(title, generated_at=when)
    add_heading(document, title, level=0)
    add_paragraph(
        document,
        gettext("Changes from %(older)s to %(newer)s")
        % {"older": older_label, "newer": newer_label},
        style="Subtitle",
    )
    summary = comparison.summary
    add_table(
        document,
        [gettext("Change"), gettext("Count")],
        [
            (gettext("Paragraphs changed"), summary.paragraphs_changed),
            (gettext("Paragraphs added"), summary.paragraphs_added),
            (gettext("Paragraphs removed"), summary.paragraphs_removed),
            (gettext("Words added"), summary.words_added),
            (gettext("Words removed"), summary.words_removed),
        ],
    )

    add_heading(document, gettext("Changes"), level=1)
    if not summary.has_changes:
        add_paragraph(document, gettext("No differences between the two versions."))
    else:
        _add_legend(document)
        _add_changes(document, changes_in_context(comparison.blocks, CONTEXT_PARAGRAPHS))

    add_footer(document, when)
    return document_bytes(document)


def _add_legend(document):
    legend = document.add_paragraph()
    add_text(legend, gettext("Key:") + " ")
    _inserted(add_text(legend, gettext("inserted text")))
    add_text(legend, ", ")
    _deleted(add_text(legend, gettext("deleted text")))
    add_text(legend, ", ")
    _context(add_text(legend, gettext("unchanged text shown for context")))
    add_text(legend, ".")


def _add_changes(document, items):
    """Every shown block and omission, written as XML and added to the body at once."""
    budget, characters = MAX_SEGMENTS, 0
    deadline = time.monotonic() + WORD_BY_WORD_SECONDS
    paragraphs = []
    for item in items:
        if isinstance(item, int):
            label = ngettext(
                "… %(count)s unchanged paragraph …", "… %(count)s unchanged paragraphs …", item
            ) % {"count": item}
            paragraphs.append(paragraph_xml([(_OMISSION_RPR, label)]))
            continue
        if item.kind == CHANGED:
            segments = item.segments
            if len(segments) > budget or time.monotonic() > deadline:
                budget = 0
                segments = ((DELETE, item.older_text), (INSERT, item.newer_text))
            budget -= len(segments)
            runs = [(_MARKS.get(op, ""), text) for op, text in segments]
            text = "".join(text for _, text in segments)
        else:
            marks = {ADDED: _INSERTED_RPR, REMOVED: _DELETED_RPR}.get(item.kind, _CONTEXT_RPR)
            runs, text = [(marks, item.text)], item.text
        characters += len(text)
        if characters > MAX_CHARACTERS:
            raise RedlineTooLarge(characters)
        paragraphs.append(paragraph_xml(runs, right_to_left=is_right_to_left(text)))
    section = document.element.body.sectPr
    for paragraph in parse_xml_children("".join(paragraphs)):
        section.addprevious(paragraph)


def _inserted(run):
    run.font.underline = True
    run.font.color.rgb = INSERTED_COLOR
    return run


def _deleted(run):
    run.font.strike = True
    run.font.color.rgb = DELETED_COLOR
    return run


def _context(run):
    run.font.color.rgb = CONTEXT_COLOR
    return run
