"""What the API's downloads may be asked for in ``Accept``.

A download answers with the file itself (``documents.downloads``); a
client that asks for a Word document explicitly is served too, and a
refusal still answers as JSON problem details.
"""

from rest_framework.renderers import JSONRenderer

from documents.downloads import DOCX_TYPE, PDF_TYPE


class DocxRenderer(JSONRenderer):
    """Accepts ``Accept: <Word document>``; only refusals are rendered (as JSON)."""

    media_type = DOCX_TYPE
    format = "docx"
    charset = None


class PdfRenderer(JSONRenderer):
    """Accepts ``Accept: application/pdf``; only refusals are rendered (as JSON)."""

    media_type = PDF_TYPE
    format = "pdf"
    charset = None


DOWNLOAD_RENDERERS = [JSONRenderer, DocxRenderer]
