"""Pages and downloads for versions, official letters and records. Thin: selectors, services.

Files are private: every download checks that the user may see the policy
and answers 404 otherwise, so a foreign user cannot even learn that a
version exists.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from documents import selectors, services
from documents.docx.preview import has_marks, outline, preview_html
from documents.downloads import (
    evidence_file,
    marked_up_copy_file,
    record_file,
    translation_file,
    version_file,
)
from policyflow.formats import languages


@require_GET
@login_required
def download_version(request, pk):
    version = selectors.version_for(request.user, pk)
    return version_file(version)


@require_GET
@login_required
def download_letter(request, pk):
    return evidence_file(selectors.letter_for(request.user, pk))


@require_GET
@login_required
def preview_version(request, pk):
    version = selectors.version_for(request.user, pk)
    return render(
        request,
        "documents/preview.html",
        {
            "version": version,
            "policy": version.policy,
            "preview": preview_html(selectors.content_of(version)),
            "outline": outline(selectors.content_of(version)),
            "marks_shown": has_marks(selectors.content_of(version)),
            **_language_of(version.policy.project.version_language),
        },
    )


def _language_of(code):
    """How the page marks the document's language: ``lang`` and ``dir``."""
    return {
        "language": code,
        "language_name": languages.language_name(code),
        "direction": languages.direction(code),
    }


@require_GET
@login_required
def download_translation(request, pk):
    return translation_file(selectors.translation_for(request.user, pk))


@require_GET
@login_required
def preview_translation(request, pk):
    translation = selectors.translation_for(request.user, pk)
    content = selectors.translation_content(translation)
    return render(
        request,
        "documents/preview.html",
        {
            "version": translation.version,
            "translation": translation,
            "policy": translation.version.policy,
            "preview": preview_html(content),
            "outline": outline(content),
            "marks_shown": has_marks(content),
            **_language_of(translation.language),
        },
    )


@require_GET
@login_required
def compare_translations(request, older, newer):
    older = selectors.translation_for(request.user, older)
    newer = selectors.translation_for(request.user, newer)
    if older.version.number > newer.version.number:
        older, newer = newer, older
    html, summary = services.translation_comparison_html(older, newer)
    return render(
        request,
        "documents/compare_translations.html",
        {
            "policy": newer.version.policy,
            "older": older,
            "newer": newer,
            "comparison": html,
            "summary": summary,
            **_language_of(newer.language),
        },
    )


@require_GET
@login_required
def download_marked_up_copy(request, pk):
    return marked_up_copy_file(selectors.marked_up_copy_for(request.user, pk))


@require_GET
@login_required
def marked_up_copy(request, pk):
    """The reviewer's changes against the reviewed version, and their comments by paragraph."""
    copy = selectors.marked_up_copy_for(request.user, pk)
    html, summary = services.marked_up_comparison_html(copy)
    return render(
        request,
        "documents/marked_up.html",
        {
            "policy": copy.version.policy,
            "copy": copy,
            "review": copy.review,
            "comparison": html,
            "summary": summary,
        },
    )


@require_GET
@login_required
def compare_versions(request, older, newer):
    older = selectors.version_for(request.user, older)
    newer = selectors.version_for(request.user, newer)
    html, summary = services.comparison_html(older, newer)
    return render(
        request,
        "documents/compare.html",
        {
            "policy": newer.policy,
            "older": older,
            "newer": newer,
            "comparison": html,
            "summary": summary,
        },
    )


@require_GET
@login_required
def download_redline(request, older, newer):
    older = selectors.version_for(request.user, older)
    newer = selectors.version_for(request.user, newer)
    record = services.redline_record(older, newer, actor=request.user)
    return record_file(record)


@require_GET
@login_required
def download_record(request, pk):
    record = selectors.record_for(request.user, pk)
    return record_file(record)


@require_POST
@login_required
def portfolio_report(request):
    record = services.make_portfolio_report(actor=request.user)
    return redirect("documents:record", pk=record.pk)
