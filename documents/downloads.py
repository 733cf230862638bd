"""How a private file is handed out: the one answer every download gives.

Versions, letters and records are served as attachments under a safe name, as Word
documents, and never kept by a browser's or a proxy's cache; the pages
and the API both answer with ``private_attachment``, after they have
checked who asks.

From local disk the file is streamed. From object storage
(``policyflow.storage.PrivateS3Storage``) the answer is a redirect to a
signed link that expires within minutes and makes the object store answer
with the same attachment headers, so that no web process spends its time
relaying bytes.
"""

from django.http import FileResponse, HttpResponseRedirect
from django.utils.cache import patch_cache_control

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"


def private_attachment(stored, name, *, content_type=DOCX_TYPE):
    """A private download of ``stored`` as ``name``: never kept by a browser's or proxy's cache.

    ``stored`` is a model's file (``FieldFile``), opened or not, or any open
    file object; only a model's file in object storage is redirected.
    """
    link = _attachment_url(stored, name, content_type)
    if link is not None:
        if not getattr(stored, "closed", True):
            stored.close()
        response = HttpResponseRedirect(link)
    else:
        if not hasattr(stored, "read") or getattr(stored, "closed", False):
            stored = stored.open("rb")
        response = FileResponse(
            stored, as_attachment=True, filename=name, content_type=content_type
        )
    patch_cache_control(response, private=True, no_store=True)
    return response


def _attachment_url(stored, name, content_type):
    storage = getattr(stored, "storage", None)
    if not hasattr(storage, "attachment_url"):
        return None
    return storage.attachment_url(stored.name, filename=name, content_type=content_type)


def version_file(version):
    """A version's bytes, served under its safe download name."""
    return private_attachment(version.file, version.download_name)


def evidence_file(evidence):
    """An official letter's bytes, exactly as received, under its safe name and its
    kind's content type (a PDF or a Word document)."""
    return private_attachment(
        evidence.file, evidence.download_name, content_type=evidence.content_type
    )


def record_file(record):
    """A generated record's bytes, served under its file name."""
    return private_attachment(record.file, record.file_name)


def translation_file(translation):
    """A translation's bytes, served under its safe download name."""
    return private_attachment(translation.file, translation.download_name)


def marked_up_copy_file(copy):
    """A reviewer's marked-up copy, served under its safe download name."""
    return private_attachment(copy.file, copy.download_name)
