"""A comparison as the pages show it: an HTML fragment, every text escaped."""

import html
from dataclasses import asdict

from django.utils.translation import gettext, ngettext

from documents.docx.compare import (
    ADDED,
    CHANGED,
    DELETE,
    EQUAL,
    INSERT,
    KEEP,
    REMOVED,
    Comparison,
    Summary,
)


def summary_text(summary: Summary) -> str:
    """The one-line summary shown above a comparison."""
    if not summary.has_changes:
        return gettext("No differences between the two versions.")
    return gettext(
        "Paragraphs: %(paragraphs_changed)s changed, %(paragraphs_added)s added, "
        "%(paragraphs_removed)s removed. "
        "Words: %(words_added)s added, %(words_removed)s removed."
    ) % asdict(summary)


def comparison_html(comparison: Comparison, *, context: int = 2) -> str:
    """An HTML fragment for the pages: the summary, every change, and
    ``context`` unchanged lines around each; longer unchanged runs are
    folded into one line."""
    parts = [_paragraph("summary", html.escape(summary_text(comparison.summary)))]
    for item in changes_in_context(comparison.blocks, context):
        if isinstance(item, int):
            label = ngettext(
                "… %(count)s unchanged paragraph …", "… %(count)s unchanged paragraphs …", item
            ) % {"count": item}
            parts.append(_paragraph("collapsed", html.escape(label)))
        else:
            parts.append(_paragraph(item.kind, _block_html(item)))
    return "\n".join(parts)


def _paragraph(css_class, inner_html):
    return f'<p dir="auto" class="{css_class}">{inner_html}</p>'


def _block_html(block):
    # A whole paragraph added or removed is marked as such, not only by its
    # class: readers and screen readers see <ins>/<del> without any style.
    if block.kind == ADDED:
        return f"<ins>{_text_html(block.text)}</ins>"
    if block.kind == REMOVED:
        return f"<del>{_text_html(block.text)}</del>"
    if block.kind != CHANGED:
        return _text_html(block.text)
    wrappers = {KEEP: "{}", INSERT: "<ins>{}</ins>", DELETE: "<del>{}</del>"}
    return "".join(wrappers[op].format(_text_html(text)) for op, text in block.segments)


def _text_html(text):
    # A line break inside a paragraph (Shift+Enter in Word) stays one.
    return html.escape(text).replace("\n", "<br>")


def changes_in_context(blocks, context):
    """The blocks worth showing, in order: every change with up to
    ``context`` unchanged lines on each side; each run of unchanged lines
    left out becomes its length (an int). A single line is shown rather
    than left out: its marker would take as much room."""
    run = []
    for index, block in enumerate(blocks):
        if block.kind == EQUAL:
            run.append(block)
            continue
        follows_change = index > len(run)
        yield from _fold(run, head=context if follows_change else 0, tail=context)
        run = []
        yield block
    yield from _fold(run, head=context if len(run) < len(blocks) else 0, tail=0)


def _fold(run, *, head, tail):
    head, tail = max(0, head), max(0, tail)
    if len(run) - head - tail <= 1:
        yield from run
        return
    yield from run[:head]
    yield len(run) - head - tail
    yield from run[len(run) - tail :]
