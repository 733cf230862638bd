"""How a private file is handed out: the one answer every download gives.

Versions, letters and records are served as attachments under a safe name, as Word
documents, and never kept by a browser's or a proxy's cache; the pages
and the API both answer with ``private_attachment``.
"""

from django.http import FileResponse
from django.utils.cache import patch_cache_control

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"


def private_attachment(fileobj, name, content_type=DOCX_TYPE):
    """A private download of ``fileobj`` as ``name``: never kept by a browser's or proxy's cache."""
    response = FileResponse(fileobj, as_attachment=True, filename=name, content_type=content_type)
    patch_cache_control(response, private=True, no_store=True)
    return response


def version_file(version):
    """A version's bytes, served under its safe download name."""
    return private_attachment(version.file.open("rb"), version.download_name)


def evidence_file(evidence):
    """An official letter's bytes, exactly as received, under its safe name and its
    kind's content type (a PDF or a Word document)."""
    return private_attachment(
        evidence.file.open("rb"), evidence.download_name, evidence.content_type
    )


def record_file(record):
    """A generated record's bytes, served under its file name."""
    return private_attachment(record.file.open("rb"), record.file_name)
