"""The places of a version's text that search indexes, read from its extraction.

The accepted text, as intake stored it (``documents.docx.structure``):
tracked insertions kept, deletions left out, content controls and text
boxes in the body where Word shows them. Each body block (a paragraph, or
a table's rows) is one place, numbered as the preview's ``#p-<n>``
anchors; footnotes, endnotes, headers and footers are places of their own.
Comments left in the file are not the text and are not searched.
"""

from workflow.models import SearchEntry
from workflow.search.index import Passage

Kind = SearchEntry.Kind


def passages(extraction):
    """``[Passage]`` of an ``Extraction``, in document order."""
    found = [
        Passage(Kind.TEXT, position, "\n".join(block.lines()))
        for position, block in enumerate(extraction.body, start=1)
    ]
    for kind, texts in (
        (Kind.FOOTNOTE, extraction.footnotes),
        (Kind.ENDNOTE, extraction.endnotes),
        (Kind.HEADER, extraction.headers),
        (Kind.FOOTER, extraction.footers),
    ):
        found.extend(Passage(kind, position, text) for position, text in enumerate(texts, 1))
    return [passage for passage in found if passage.text.strip()]
