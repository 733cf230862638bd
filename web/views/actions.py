"""What the policy page posts: a transition, a review, a support decision, a new version.

Every endpoint does the same: find the policy among those the user may
see (404 otherwise), check the form's shape, hand the posted revision and
input to one service, and on success say what happened and go back to the
page. A refusal re-renders the page, freshly loaded, with the refusal
where it belongs: a form error (400), the reasons an action is blocked
(409), or the news that someone else changed the policy meanwhile (409);
what the user typed stays in the form, as long as the page still offers
it (``policyflow.refusals`` says which status each refusal answers).
``PermissionDenied`` is left to Django (403).

Acts that cannot be taken back (an institution's decision, an endorsement,
a withdrawal) first answer with a confirm step: the service is rehearsed
(run and rolled back, so a refusal shows on the form at once), then a page
says what will happen and who will be told, with a button that posts the
same data again with ``confirmed=1``. No script is involved.

People also reach these addresses by GET: the language switch and the
sign-in page send them back to the address they last saw, which after a
refused post is the endpoint's. A GET is sent on to the policy page.
"""

import dataclasses
import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from documents import services as documents
from policyflow import refusals
from web import pending_letters
from web.forms.actions import (
    NOT_SPOKEN_FOR,
    ReviewForm,
    SupportForm,
    TransitionForm,
    TranslationForm,
    UploadForm,
    VersionWithdrawalForm,
)
from web.selectors import confirmation
from web.selectors.policy_page import visible_policy
from web.views.policy import render_policy_page
from workflow import services, transitions
from workflow.models import Policy, Review


def policy_endpoint(view):
    """An endpoint of a form on the policy page.

    It serves signed-in users only, finds the policy among those the user may
    see (404 otherwise), and calls ``view(request, policy, ...)`` for a POST;
    a GET (or HEAD) goes to the policy page, any other method is 405.
    """

    @require_http_methods(["GET", "HEAD", "POST"])
    @login_required
    @functools.wraps(view)
    def endpoint(request, pk, **kwargs):
        policy = visible_policy(request.user, pk)
        if request.method != "POST":
            return redirect("web:policy", pk=policy.pk)
        return view(request, policy, **kwargs)

    return endpoint


@policy_endpoint
def take_action(request, policy, name):
    form = TransitionForm(name, request.POST, request.FILES)
    letter_field = form.letter_field()
    letter = None
    if letter_field and form.is_valid():
        letter = pending_letters.PendingLetter(
            request,
            policy,
            form,
            letter_field,
            pending_letters.transition_intake(policy, request.user, name, letter_field),
        )

    def fields():
        given = form.transition_fields()
        if letter is not None:
            given[letter_field] = letter.get()
        return given

    def act():
        services.perform_transition(
            policy,
            name,
            actor=request.user,
            comment=form.cleaned_data["comment"],
            acknowledged=form.was_acknowledged(),
            **fields(),
        )
        if letter is not None:
            letter.done()
        return _("%(action)s. The policy is now in the state “%(state)s”.") % {
            "action": transitions.step(name).recorded_as,
            "state": policy.get_state_display(),
        }

    def confirm():
        summary = confirmation.transition_confirmation(
            policy,
            request.user,
            name,
            fields=form.transition_fields(),
            acknowledged=form.was_acknowledged(),
        )
        return _with_letter(summary, letter)

    needs_confirming = transitions.step(name).confirmed
    return _submit(
        request,
        policy,
        form,
        act,
        confirm=confirm if needs_confirming else None,
        error_field=letter_field,
        carried=letter.carried if letter is not None else None,
    )


@policy_endpoint
def record_review(request, policy):
    form = ReviewForm(request.POST, request.FILES, policy=policy)

    def act():
        version = form.cleaned_data["version"]
        review = documents.record_review_with_copy(
            policy,
            actor=request.user,
            decide=True,
            marked_up_copy=form.cleaned_data.get("marked_up_copy"),
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
            version=version,
            acknowledged=form.was_acknowledged(),
        )
        recorded = _("Your review of version %(number)s is recorded: %(decision)s.") % {
            "number": version.number,
            "decision": review.get_decision_display().lower(),
        }
        if review.decision == Review.Decision.CHANGES_REQUESTED:
            return recorded + " " + _("The draft is back with the drafters, with your comment.")
        if policy.state != Policy.State.EXPERT_REVIEW:
            cleared = _("The review is cleared; the policy is now in the state “%(state)s”.")
            return recorded + " " + cleared % {"state": policy.get_state_display()}
        return recorded + " " + _("The review is not cleared yet; see what it waits for.")

    return _submit(request, policy, form, act, error_field="marked_up_copy")


@policy_endpoint
def record_support(request, policy):
    form = SupportForm(
        request.POST,
        request.FILES,
        policy=policy,
        user=request.user,
        organization_pk=request.POST.get("organization"),
    )
    if form.names_another_organization():
        raise PermissionDenied(NOT_SPOKEN_FOR)
    letter = None
    if form.is_valid():
        letter = pending_letters.PendingLetter(
            request,
            policy,
            form,
            "letter",
            pending_letters.support_intake(policy, request.user, form.cleaned_data["organization"]),
        )

    def act():
        organization = form.cleaned_data["organization"]
        version = form.cleaned_data["version"]
        support = services.record_support(
            policy,
            actor=request.user,
            organization=organization,
            decision=form.cleaned_data["decision"],
            statement=form.cleaned_data["statement"],
            version=version,
            letter=letter.get(),
        )
        letter.done()
        message = _(
            "The decision of %(organization)s on version %(number)s is recorded: %(decision)s."
        ) % {
            "organization": organization.name,
            "number": version.number,
            "decision": support.get_decision_display().lower(),
        }
        if policy.state == Policy.State.AWAITING_ENDORSEMENT:
            message += " " + _("All required support is in: the policy now awaits endorsement.")
        return message

    def confirm():
        summary = confirmation.support_confirmation(
            policy, request.user, form.cleaned_data["organization"], form.cleaned_data["decision"]
        )
        return _with_letter(summary, letter)

    return _submit(
        request,
        policy,
        form,
        act,
        confirm=confirm,
        error_field="letter",
        carried=letter.carried if letter is not None else None,
    )


def _with_letter(summary, letter):
    """The confirm step's summary, saying which letter will be attached."""
    sentence = letter.sentence() if letter is not None else None
    if not sentence:
        return summary
    return dataclasses.replace(summary, happens=[*summary.happens, sentence])


@policy_endpoint
def withdraw_version(request, policy):
    form = VersionWithdrawalForm(request.POST, policy=policy)

    def act():
        version = form.cleaned_data["version"]
        documents.withdraw_version(
            policy, actor=request.user, version=version, reason=form.cleaned_data["reason"]
        )
        return _("Version %(number)s is withdrawn; it stays in the history.") % {
            "number": version.number
        }

    return _submit(request, policy, form, act)


@policy_endpoint
def upload_version(request, policy):
    form = UploadForm(request.POST, request.FILES)

    def act():
        version = documents.add_version(
            policy,
            actor=request.user,
            uploaded_file=form.cleaned_data["file"],
            note=form.cleaned_data["note"],
        )
        return _("Version %(number)s (%(name)s) was added.") % {
            "number": version.number,
            "name": version.original_name,
        }

    return _submit(request, policy, form, act, error_field="file")


@policy_endpoint
def upload_translation(request, policy):
    form = TranslationForm(request.POST, request.FILES, policy=policy)

    def act():
        translation = documents.add_translation(
            policy,
            actor=request.user,
            version=form.cleaned_data["version"],
            language=form.cleaned_data["language"],
            uploaded_file=form.cleaned_data["file"],
            reason=form.cleaned_data["reason"],
        )
        return _("The %(language)s translation of version %(number)s (%(name)s) was added.") % {
            "language": translation.language_name,
            "number": translation.version.number,
            "name": translation.original_name,
        }

    return _submit(request, policy, form, act, error_field="file")


class _Rehearsal(Exception):
    """Raised to roll back a service call made only to see whether it would be refused."""


def _rehearse(act):
    """Run ``act`` and undo it: whatever it wrote (rows, outbox) is rolled back,
    and what it would do after commit never runs. Its refusals go through."""
    try:
        with services.letters_removed_on_failure(), transaction.atomic():
            act()
            raise _Rehearsal
    except _Rehearsal:
        pass


def _submit(request, policy, form, act, *, error_field=None, confirm=None, carried=None):
    """Run ``act`` (one service call) for a valid ``form``; answer as the module says.

    With ``confirm`` (which gives the confirm step's ``Confirmation``), a post
    without ``confirmed=1`` is rehearsed and answered with the confirm step;
    ``carried`` gives what it posts back beyond the form's own data (the token
    of a letter kept for it, ``web.pending_letters``).
    """
    if not form.is_valid():
        return render_policy_page(request, policy.pk, status=400, bound={form.key: form})
    policy.revision = form.cleaned_data["revision"]
    try:
        if confirm is not None and request.POST.get("confirmed") != "1":
            _rehearse(act)
            policy.refresh_from_db()
            summary = confirm()
            return _confirm_step(request, policy, summary, carried() if carried else [])
        message = act()
    except refusals.REFUSALS as exception:
        refusal = refusals.classify(exception)
        if refusal.kind == refusals.Kind.PERMISSION_DENIED:
            raise  # Django's 403 page
        if refusal.kind == refusals.Kind.INVALID:
            refusals.put_on_form(form, exception, error_field)
        # Otherwise the posted form belongs to a picture of the policy that is
        # gone, or to an act it does not allow now: what the user typed stays
        # in it, carrying the new revision, under the alert saying why.
        return render_policy_page(
            request, policy.pk, status=refusal.status, bound={form.key: form}, refusal=refusal
        )
    messages.success(request, message)
    response = redirect("web:policy", pk=policy.pk)
    response.status_code = 303  # See Other: reloading the page does not post again
    return response


def _confirm_step(request, policy, summary, extra=()):
    """The page that asks to confirm: the summary, and the same post with ``confirmed=1``."""
    replaced = {name for name, _value in extra}
    carried = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "confirmed", *replaced)
        for value in values
    ]
    carried.extend(extra)
    return render(
        request,
        "web/policy/confirm.html",
        {
            "nav": "policies",
            "policy": policy,
            "summary": summary,
            "carried": carried,
            "action_url": request.path,
        },
    )
