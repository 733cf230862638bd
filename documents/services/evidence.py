"""The intake of an official letter: a letter of support, or an endorsement decree.

``validate_evidence`` is the one door a letter comes in by: a PDF goes
through ``documents/pdf`` and a .docx through the same intake as a
version, before anything is stored. It answers a ``workflow.evidence.Letter``,
which the workflow's services store with the decision it proves, under
the policy's lock: the workflow never imports the intake, and never gets
a file that has not been through it.
"""

import hashlib
import io
import os

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from documents.docx.extract import extract, plain_text
from documents.docx.validate import unreadable, validate_docx
from documents.pdf.refusals import refusal
from documents.pdf.validate import MAX_TEXT_CHARS, check_size, is_pdf, validate_pdf
from workflow import permissions, transitions
from workflow.evidence import LETTER_FIELDS, Letter

PDF_ACCEPT = ".pdf,application/pdf"
DOCX_ACCEPT = ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LETTER_ACCEPT = f"{PDF_ACCEPT},{DOCX_ACCEPT}"


def validate_evidence(uploaded_file):
    """Check ``uploaded_file`` as an official letter; the ``Letter`` it is, or the
    ``ValidationError`` (with its ``code``) saying why it is refused.

    Its name says what it claims to be (.pdf or .docx) and its bytes must
    agree: a Word document named .pdf, or a PDF named .docx, is refused.
    """
    name = os.path.basename(getattr(uploaded_file, "name", "") or "")[:255]
    extension = os.path.splitext(name)[1].lower()
    try:
        size = check_size(uploaded_file, settings.EVIDENCE_MAX_UPLOAD_BYTES)
        uploaded_file.seek(0)
        content = uploaded_file.read(size + 1)
    finally:
        uploaded_file.seek(0)
    if extension == ".pdf":
        facts = validate_pdf(
            io.BytesIO(content),
            max_bytes=settings.EVIDENCE_MAX_UPLOAD_BYTES,
            max_pages=settings.EVIDENCE_MAX_PAGES,
            open_timeout=settings.DOCUMENT_OPEN_TIMEOUT,
        )
        kind, pages, text, links = "pdf", facts.pages, facts.text, tuple(facts.uris)
    elif extension == ".docx":
        if is_pdf(content):
            raise refusal("pdf_named_docx")
        kind, pages, links = "docx", None, ()
        text = _docx_text(content)
    else:
        raise refusal("unsupported_type", name=name or "?")
    return Letter(
        kind=kind,
        original_name=name,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        pages=pages,
        text=text,
        links=links,
    )


def _docx_text(content):
    data = io.BytesIO(content)
    validate_docx(
        data,
        max_bytes=settings.EVIDENCE_MAX_UPLOAD_BYTES,
        open_timeout=settings.DOCUMENT_OPEN_TIMEOUT,
    )
    try:
        extraction = extract(data)
    except Exception as error:  # a part python-docx never reads, and we do
        raise unreadable() from error
    text = plain_text(extraction.body) if extraction.body else ""
    if not text.strip():
        raise ValidationError(
            _("This document has no text in its body. Attach the letter itself."), code="no_text"
        )
    return text[:MAX_TEXT_CHARS]


# -- what the doors call -------------------------------------------------------
# Who is asking is checked before the intake reads a byte, as for versions:
# nobody else can make the server parse a file. The service checks it again,
# with everything else, under the policy's lock.


def support_letter(policy, *, actor, organization, uploaded_file):
    """The ``Letter`` of an institution's decision, or None without a file."""
    if uploaded_file is None:
        return None
    if not permissions.may_view(policy, actor) or not permissions.may_record_support(
        policy, actor, organization
    ):
        raise PermissionDenied(
            _("You may not record a decision for %(organization)s on this policy.")
            % {"organization": organization.name}
        )
    return validate_evidence(uploaded_file)


def transition_letters(policy, name, *, actor, fields):
    """``fields`` of transition ``name`` with each uploaded letter (``LETTER_FIELDS``)
    taken in as a ``Letter``; the other fields as they are."""
    step = transitions.step(name)
    taken = dict(fields)
    for field in LETTER_FIELDS & set(step.fields):
        if taken.get(field) is None:
            continue
        if not permissions.may_view(policy, actor) or not step.may(policy, actor):
            raise PermissionDenied(_("You may not take this action on this policy."))
        taken[field] = validate_evidence(taken[field])
    return taken
