"""How a private file is handed out: the one answer every download gives.

Versions and records are served as attachments under a safe name, as Word
documents, and never kept by a browser's or a proxy's cache; the pages
and the API both answer with ``private_attachment``.
"""

from django.http import FileResponse
from django.utils.cache import patch_cache_control

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def private_attachment(fileobj, name):
    """A private download of ``fileobj`` as ``name``: never kept by a browser's or proxy's cache."""
    response = FileResponse(fileobj, as_attachment=True, filename=name, content_type=DOCX_TYPE)
    patch_cache_control(response, private=True, no_store=True)
    return response


def version_file(version):
    """A version's bytes, served under its safe download name."""
    return private_attachment(version.file.open("rb"), version.download_name)


def record_file(record):
    """A generated record's bytes, served under its file name."""
    return private_attachment(record.file.open("rb"), record.file_name)


def translation_file(translation):
    """A translation's bytes, served under its safe download name."""
    return private_attachment(translation.file.open("rb"), translation.download_name)


def marked_up_copy_file(copy):
    """A reviewer's marked-up copy, served under its safe download name."""
    return private_attachment(copy.file.open("rb"), copy.download_name)
