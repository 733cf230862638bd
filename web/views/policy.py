"""The policy page: where a policy stands, its record, and what the reader may do now.

The action endpoints (``web.views.actions``) re-render this page when the
services refuse, with the refusal in the form or the alert it belongs to.
"""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from web.forms.actions import (
    ReviewForm,
    SupportForm,
    TransitionForm,
    UploadForm,
    VersionWithdrawalForm,
    stored_number,
)
from web.selectors.policy_page import policy_page, versions_to_compare


@dataclass(frozen=True)
class Refusal:
    """Why the last action was not taken, for the alert at the top of the page.

    ``kind``: "invalid" (a form has errors), "blocked" (the state or an
    unmet condition forbids it) or "changed" (someone else was faster).
    """

    kind: str
    reasons: list = field(default_factory=list)
    form_key: str = ""


@require_GET
@login_required
def policy_detail(request, pk):
    return render_policy_page(request, pk)


@require_GET
@login_required
def compare(request, pk):
    """Two versions picked on the policy page, shown by the documents' comparison page."""
    older, newer = versions_to_compare(
        request.user,
        pk,
        stored_number(request.GET.get("older")),
        stored_number(request.GET.get("newer")),
    )
    return redirect("documents:compare", older=older.pk, newer=newer.pk)


def render_policy_page(request, pk, *, status=200, bound=None, refusal=None):
    """The page as the database has it now; ``bound`` forms replace the empty ones."""
    page = policy_page(pk, request.user)
    posted = dict(bound or {})
    forms = _page_forms(page, posted)
    if refusal is None and bound:
        if posted:
            # The page no longer offers the posted form: its errors go to the alert.
            refusal = Refusal("invalid", [m for form in posted.values() for m in _messages(form)])
        else:
            refusal = Refusal("invalid", form_key=next(iter(bound)))
    return render(
        request,
        "web/policy/detail.html",
        {"nav": "policies", "page": page, "policy": page.policy, "refusal": refusal, **forms},
        status=status,
    )


def _page_forms(page, bound):
    """The forms the user may fill in now. A posted form found in ``bound`` is
    shown instead of the empty one (and taken out of ``bound``)."""
    revision = page.policy.revision
    current = page.current_version

    def take(form):
        posted = bound.pop(form.key, None)
        if posted is None:
            return form
        posted.show_revision(revision)
        return posted

    actions = [
        take(TransitionForm(name, initial={"revision": revision})).warn(page.unresolved)
        for name in page.actions
    ]
    review = None
    if page.may_review:
        review = take(ReviewForm(initial={"revision": revision, "version": current.pk}))
        review.warn(page.unresolved)
    supports = [
        (
            organization,
            take(
                SupportForm(
                    organization_pk=organization.pk,
                    initial={
                        "revision": revision,
                        "version": current.pk,
                        "organization": organization.pk,
                    },
                )
            ),
        )
        for organization in page.support_organizations
    ]
    upload = take(UploadForm(initial={"revision": revision})) if page.may_upload else None
    withdraw_version = None
    if page.may_withdraw_version:
        withdraw_version = take(
            VersionWithdrawalForm(initial={"revision": revision, "version": current.pk})
        )
    return {
        "withdraw_version_form": withdraw_version,
        "action_forms": actions,
        "review_form": review,
        "support_forms": supports,
        "upload_form": upload,
    }


def _messages(form):
    return [message for errors in form.errors.values() for message in errors]
