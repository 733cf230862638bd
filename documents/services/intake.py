"""Adding a document version: validate, hash, extract, store, audit."""

import hashlib
import os

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Min, Q
from django.utils.translation import gettext as _

from documents.docx.extract import extract
from documents.docx.validate import unreadable, validate_docx
from documents.passages import passages
from workflow import audit, clock, notify, permissions, rules
from workflow.locking import locked_policy, save_change
from workflow.models import AuditEntry, DocumentVersion, Policy
from workflow.search import index as search_index
from workflow.services import check_length

# A note says what changed in this version: a line or a short paragraph.
NOTE_MAX_LENGTH = 1000


def sha256_of(fileobj):
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1 << 20), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def take_in(uploaded_file):
    """Validate, hash and read an uploaded .docx before a byte of it is stored:
    ``(sha256, Extraction)``, or the intake's refusal (``ValidationError`` with
    its code). Versions, translations and marked-up copies all come in here."""
    validate_docx(
        uploaded_file,
        max_bytes=settings.DOCUMENT_MAX_UPLOAD_BYTES,
        open_timeout=settings.DOCUMENT_OPEN_TIMEOUT,
    )
    digest = sha256_of(uploaded_file)
    try:
        content = extract(uploaded_file)
    except Exception as error:  # a part python-docx never reads, and we do
        raise unreadable() from error
    if not content.word_count:
        # A blank file would go to review, support and endorsement as if it were the draft.
        raise ValidationError(
            _("This document has no text in its body. Upload the draft itself."), code="no_text"
        )
    return digest, content


def stored_name_of(uploaded_file, fallback="document.docx"):
    """The uploaded file's own name, as kept beside it (never a path)."""
    return os.path.basename(uploaded_file.name or "")[:255] or fallback


def _ensure_may_add(policy, actor):
    # Drafters and coordinators see the policy (``Policy.objects.visible_to``):
    # whoever may add a version may view it, so one query answers both.
    if not permissions.may_add_version(policy, actor):
        raise PermissionDenied(_("Only the policy's drafters and coordinators may add versions."))
    rules.require_state(
        policy,
        Policy.State.DRAFTING,
        _("New versions can only be added in drafting; the policy is in %(state)s."),
    )


def add_version(policy, *, actor, uploaded_file, note=""):
    """Store ``uploaded_file`` as the policy's next version; only in drafting.

    Everything that can refuse the file (validation, reading it, the
    duplicate check) happens before a byte is written. If the transaction
    fails after the file reached storage, the file is removed again; a
    rollback further out leaves an orphan for ``remove_orphaned_files``.
    """
    # Who and when first, so that nobody else can make the server read a file.
    _ensure_may_add(policy, actor)
    note = (note or "").strip()
    check_length("note", note, NOTE_MAX_LENGTH)
    digest, content = take_in(uploaded_file)
    stored_name = None
    try:
        with locked_policy(policy) as locked:
            _ensure_may_add(locked, actor)
            # The twin's number and the last number, in one query.
            numbers = locked.versions.aggregate(
                twin=Min("number", filter=Q(sha256=digest)), last=Max("number")
            )
            if numbers["twin"] is not None:
                raise ValidationError(
                    _("This file is identical to version %(number)s.")
                    % {"number": numbers["twin"]},
                    code="duplicate",
                )
            number = (numbers["last"] or 0) + 1
            version = DocumentVersion(
                policy=locked,
                number=number,
                original_name=stored_name_of(uploaded_file),
                size=uploaded_file.size,
                sha256=digest,
                uploaded_by=actor,
                uploaded_at=clock.now(),
                note=note,
                extraction=content.as_dict(),
                word_count=content.word_count,
                tracked_insertions=content.tracked_insertions,
                tracked_deletions=content.tracked_deletions,
                comment_count=len(content.comments),
            )
            uploaded_file.seek(0)
            version.file.save("upload.docx", uploaded_file, save=False)
            stored_name = version.file.name
            version.save()
            search_index.index_version(version, passages(content))
            save_change(locked)
            entry = audit.record(
                locked,
                actor=actor,
                action=AuditEntry.Action.VERSION_ADDED,
                version=version,
                comment=version.note,
                sha256=digest,
            )
            notify.announce(
                locked,
                "version_uploaded",
                occurrence=entry.pk,
                actor=actor,
                version=version,
                comment=version.note,
            )
    except BaseException:
        if stored_name:
            version.file.storage.delete(stored_name)
        raise
    return version
