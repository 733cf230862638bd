"""The policy page: where a policy stands, its record, and what the reader may do now.

The action endpoints (``web.views.actions``) re-render this page when the
services refuse, with the refusal in the form or the alert it belongs to.
"""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from policyflow.refusals import Kind
from web.forms.actions import (
    ReviewForm,
    SupportForm,
    TransitionForm,
    TranslationForm,
    UploadForm,
    VersionWithdrawalForm,
    stored_number,
)
from web.selectors.policy_page import policy_page, versions_to_compare
from workflow.exceptions import ConcurrentChange


@dataclass(frozen=True)
class Alert:
    """Why the last action was not taken, for the alert at the top of the page.

    ``kind`` is the refusal's (``policyflow.refusals.Kind``): "invalid" (a
    form has errors), "transition_blocked" (the state or an unmet condition
    forbids it) or "concurrent_change" (someone else was faster).
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
    """The page as the database has it now; ``bound`` forms replace the empty ones.

    ``refusal`` (``policyflow.refusals.Refusal``) says why the posted form
    was not acted on; without it, the form's own errors do.
    """
    page = policy_page(pk, request.user)
    posted = dict(bound or {})
    forms = _page_forms(page, request.user, posted)
    return render(
        request,
        "web/policy/detail.html",
        {
            "nav": "policies",
            "page": page,
            "policy": page.policy,
            "refusal": _alert(refusal, bound, posted),
            **forms,
        },
        status=status,
    )


def _alert(refusal, bound, unshown):
    """The alert for ``refusal`` or for the errors of the ``bound`` forms;
    ``unshown`` holds those the page no longer offers."""
    if refusal is not None and refusal.kind != Kind.INVALID:
        # The alert's heading says what a bare ConcurrentChange would.
        reasons = [r for r in refusal.reasons if r != str(ConcurrentChange.default_message)]
        return Alert(refusal.kind, reasons)
    if not bound:
        return None
    if unshown:
        # The page no longer offers the posted form: its errors go to the alert.
        return Alert(Kind.INVALID, [m for form in unshown.values() for m in _messages(form)])
    return Alert(Kind.INVALID, form_key=next(iter(bound)))


def _page_forms(page, user, bound):
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
        review = take(
            ReviewForm(policy=page.policy, initial={"revision": revision, "version": current.pk})
        )
        review.warn(page.unresolved)
    supports = [
        (
            organization,
            take(
                SupportForm(
                    policy=page.policy,
                    user=user,
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
            VersionWithdrawalForm(
                policy=page.policy, initial={"revision": revision, "version": current.pk}
            )
        )
    translation = None
    if page.may_translate:
        translation = take(
            TranslationForm(
                policy=page.policy,
                missing=[code for code, _name, present in page.languages if present is None],
                initial={"revision": revision, "version": current.pk},
            )
        )
    return {
        "translation_form": translation,
        "withdraw_version_form": withdraw_version,
        "action_forms": actions,
        "review_form": review,
        "support_forms": supports,
        "upload_form": upload,
    }


def _messages(form):
    return [message for errors in form.errors.values() for message in errors]
