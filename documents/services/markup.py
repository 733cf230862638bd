"""A review with the reviewer's marked-up copy of the version they reviewed.

The review is the workflow's (``workflow.services``: who may review, the
four-eyes rule, what the decision leads to); the copy is a .docx and goes
through the intake here first. Both are written in one transaction: the
workflow's service runs inside this one's, so a refused review stores no
copy and a copy that cannot be stored leaves no review. The workflow
never imports the intake; the intake calls into the workflow, as
``add_version`` does.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from documents.docx.markup import anchor_comments, anchored_texts
from documents.selectors import content_of
from documents.services.intake import stored_name_of, take_in
from workflow import clock, services
from workflow.guard import service_write
from workflow.models import MarkedUpCopy


def record_review_with_copy(policy, *, actor, marked_up_copy=None, decide=False, **review):
    """Record a review (``services.record_review``, or ``services.decide_review``
    with ``decide``) and keep ``marked_up_copy`` with it, when one is sent.

    The copy is validated and read before anything is written; a hostile
    or unreadable file refuses the whole review with the intake's code.
    """
    record = services.decide_review if decide else services.record_review
    if marked_up_copy is None:
        return record(policy, actor=actor, **review)
    digest, content = take_in(marked_up_copy)
    anchored = anchored_texts(marked_up_copy)
    stored_name = None
    try:
        with transaction.atomic(), service_write():
            saved = record(policy, actor=actor, **review)
            version = saved.version
            if digest == version.sha256:
                raise ValidationError(
                    _(
                        "This file is version %(number)s as it was uploaded, without marks; "
                        "send the copy you marked up."
                    )
                    % {"number": version.number},
                    code="duplicate",
                )
            copy = MarkedUpCopy(
                review=saved,
                version=version,
                original_name=stored_name_of(marked_up_copy),
                size=marked_up_copy.size,
                sha256=digest,
                extraction=content.as_dict(),
                comments=anchor_comments(content_of(version), content, anchored),
                tracked_insertions=content.tracked_insertions,
                tracked_deletions=content.tracked_deletions,
                uploaded_at=clock.now(),
            )
            marked_up_copy.seek(0)
            copy.file.save("upload.docx", marked_up_copy, save=False)
            stored_name = copy.file.name
            copy.save()
    except BaseException:
        if stored_name:
            copy.file.storage.delete(stored_name)
        raise
    return saved
