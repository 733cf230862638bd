"""The redline report: a comparison as a Word document to download and send.

Insertions are underlined in blue and deletions struck through in red, the
convention of Word's own "compare documents", so readers in a ministry
need no legend to read it (one is given anyway). Only the changes are
shown, each with one unchanged paragraph of context on either side, in grey.
"""

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
    make_right_to_left,
    new_document,
)

INSERTED_COLOR = RGBColor(0x00, 0x4C, 0xB3)
DELETED_COLOR = RGBColor(0xC0, 0x00, 0x00)
CONTEXT_COLOR = RGBColor(0x80, 0x80, 0x80)
CONTEXT_PARAGRAPHS = 1


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
        for item in changes_in_context(comparison.blocks, CONTEXT_PARAGRAPHS):
            if isinstance(item, int):
                _add_omission(document, item)
            else:
                _add_block(document, item)

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


def _add_omission(document, count):
    label = ngettext(
        "… %(count)s unchanged paragraph …", "… %(count)s unchanged paragraphs …", count
    ) % {"count": count}
    _context(add_text(document.add_paragraph(), label)).italic = True


def _add_block(document, block):
    paragraph = document.add_paragraph()
    if block.kind == CHANGED:
        for op, text in block.segments:
            run = add_text(paragraph, text)
            if op == INSERT:
                _inserted(run)
            elif op == DELETE:
                _deleted(run)
        text = "".join(text for _, text in block.segments)
    else:
        run = add_text(paragraph, block.text)
        style = {ADDED: _inserted, REMOVED: _deleted}.get(block.kind, _context)
        style(run)
        text = block.text
    if is_right_to_left(text):
        make_right_to_left(paragraph)


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
