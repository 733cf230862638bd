"""Checks an upload passes before anything is stored.

Only the outer checks live here for now (size, emptiness, a Word
container); every failure is a ``ValidationError`` a drafter understands.
"""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def validate_upload(uploaded_file):
    size = uploaded_file.size
    if not size:
        raise ValidationError(_("The file is empty."), code="empty")
    limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s MiB; the limit is %(limit)s MiB.")
            % {"size": round(size / 2**20, 1), "limit": round(limit / 2**20, 1)},
            code="too_large",
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(8)
    uploaded_file.seek(0)
    if head == OLE_SIGNATURE:
        raise ValidationError(
            _("The file is password-protected or in the old .doc format; save it as .docx."),
            code="ole",
        )
    if not zipfile.is_zipfile(uploaded_file):
        raise ValidationError(_("The file is not a Word (.docx) document."), code="not_zip")
    uploaded_file.seek(0)
    with zipfile.ZipFile(uploaded_file) as archive:
        if "word/document.xml" not in archive.namelist():
            raise ValidationError(_("The file is not a Word (.docx) document."), code="not_docx")
    uploaded_file.seek(0)
