"""Comparing two versions of a policy, from their stored extractions."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from documents.docx import compare as engine
from documents.docx.compare_html import comparison_html as render_html
from documents.docx.redline import redline_docx


def compare(older, newer):
    """What changed from ``older`` to ``newer`` (two versions of one policy)."""
    if older.policy_id != newer.policy_id:
        raise ValidationError(_("Only versions of the same policy can be compared."))
    return engine.compare(older.content.lines(), newer.content.lines())


def comparison_html(older, newer):
    """The comparison as HTML, and its summary counts (one comparison, not two)."""
    comparison = compare(older, newer)
    return render_html(comparison), comparison.summary


def redline_report(older, newer):
    """The comparison as a .docx (bytes), with insertions and deletions marked."""
    return redline_docx(
        compare(older, newer),
        title=older.policy.title,
        older_label=_("version %(number)s") % {"number": older.number},
        newer_label=_("version %(number)s") % {"number": newer.number},
    )
