"""Comparing two versions of a policy, from their stored extractions."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from documents.docx import compare as engine
from documents.docx.compare_html import comparison_html as render_html
from documents.docx.redline import RedlineTooLarge, redline_docx
from documents.docx.structure import Extraction
from documents.models import GeneratedRecord
from documents.selectors import content_of
from documents.services.records import _store as store_record


def compare(older, newer):
    """What changed from ``older`` to ``newer`` (two versions of one policy)."""
    if older.policy_id != newer.policy_id:
        raise ValidationError(_("Only versions of the same policy can be compared."))
    return engine.compare(content_of(older).lines(), content_of(newer).lines())


def compare_translations(older, newer):
    """What changed between two versions' translations into one language."""
    if older.language != newer.language or older.version.policy_id != newer.version.policy_id:
        raise ValidationError(
            _("Only translations of one policy into the same language can be compared.")
        )
    return engine.compare(
        Extraction.from_dict(older.extraction).lines(),
        Extraction.from_dict(newer.extraction).lines(),
    )


def translation_comparison_html(older, newer):
    """The comparison of two translations into one language as HTML, and its summary."""
    comparison = compare_translations(older, newer)
    return render_html(comparison), comparison.summary


def marked_up_comparison_html(copy):
    """The reviewer's changes: the reviewed version against their marked-up copy
    (its tracked changes accepted), as HTML, and the summary."""
    comparison = engine.compare(
        content_of(copy.version).lines(), Extraction.from_dict(copy.extraction).lines()
    )
    return render_html(comparison), comparison.summary


def comparison_html(older, newer):
    """The comparison as HTML, and its summary counts (one comparison, not two)."""
    comparison = compare(older, newer)
    return render_html(comparison), comparison.summary


def redline_report(older, newer):
    """The newer version's .docx with the changes from ``older`` as Word revisions (bytes).

    The revisions are the newer version's uploader's, dated when it was
    uploaded. Refused (``ValidationError``, code ``redline_too_large``) when
    the changes hold more text than a report is written for.
    """
    if older.policy_id != newer.policy_id:
        raise ValidationError(_("Only versions of the same policy can be compared."))
    with newer.file.open("rb") as stored:
        newer_docx = stored.read()
    uploader = newer.uploaded_by
    try:
        return redline_docx(
            content_of(older),
            newer_docx,
            title=older.policy.title,
            older_label=_("version %(number)s") % {"number": older.number},
            newer_label=_("version %(number)s") % {"number": newer.number},
            author=(uploader.get_full_name() or uploader.get_username()) if uploader else "",
            date=newer.uploaded_at,
        )
    except RedlineTooLarge as error:
        raise ValidationError(
            _(
                "These versions differ in too much text for a Word document of the changes; "
                "compare them on the comparison page instead."
            ),
            code="redline_too_large",
        ) from error


def redline_record(older, newer, *, actor):
    """The redline of the pair as a stored record, made by the first to ask for it.

    Versions never change, so neither does their redline: every later
    request is handed the same file instead of costing a worker the
    comparison and the writing again.
    """
    existing = _redline_of(older, newer)
    if existing is not None:
        return existing
    content = redline_report(older, newer)  # refuses versions of two policies
    record = GeneratedRecord(
        kind=GeneratedRecord.Kind.REDLINE,
        policy=newer.policy,
        older_version=older,
        newer_version=newer,
        created_by=actor,
        file_name=(
            f"{slugify(newer.policy.short_title) or 'policy'}"
            f"-v{older.number}-v{newer.number}-changes.docx"
        ),
    )
    try:
        return store_record(record, content)
    except IntegrityError:
        # Made meanwhile by another request: theirs stands.
        return _redline_of(older, newer)


def _redline_of(older, newer):
    return GeneratedRecord.objects.filter(
        kind=GeneratedRecord.Kind.REDLINE, older_version=older, newer_version=newer
    ).first()
