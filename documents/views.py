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
from documents.downloads import evidence_file, record_file, version_file


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
