"""What the policy page posts: a transition, a review, a support decision, a new version.

Every endpoint does the same: find the policy among those the user may
see (404 otherwise), check the form's shape, hand the posted revision and
input to one service, and on success say what happened and go back to the
page. A refusal re-renders the page, freshly loaded, with the refusal
where it belongs: a form error (400), the reasons an action is blocked
(409), or the news that someone else changed the policy meanwhile (409);
what the user typed stays in the form, as long as the page still offers
it. ``PermissionDenied`` is left to Django (403).

People also reach these addresses by GET: the language switch and the
sign-in page send them back to the address they last saw, which after a
refused post is the endpoint's. A GET is sent on to the policy page.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from documents import services as documents
from web.forms.actions import OUT_OF_DATE, ReviewForm, SupportForm, TransitionForm, UploadForm
from web.selectors.policy_page import (
    posted_organization,
    posted_version,
    visible_policy,
)
from web.views.policy import Refusal, render_policy_page
from workflow import services
from workflow.exceptions import ConcurrentChange, TransitionBlocked
from workflow.models import AuditEntry, Policy


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
    form = TransitionForm(name, request.POST)

    def act():
        services.perform_transition(
            policy,
            name,
            actor=request.user,
            comment=form.cleaned_data["comment"],
            **form.transition_fields(),
        )
        return _("%(action)s. The policy is now in the state “%(state)s”.") % {
            "action": AuditEntry.Action(name).label,
            "state": policy.get_state_display(),
        }

    return _submit(request, policy, form, act)


@policy_endpoint
def record_review(request, policy):
    form = ReviewForm(request.POST)

    def act():
        version = _version(policy, form)
        review = services.record_review(
            policy,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
            version=version,
        )
        return _("Your review of version %(number)s is recorded: %(decision)s.") % {
            "number": version.number,
            "decision": review.get_decision_display().lower(),
        }

    return _submit(request, policy, form, act)


@policy_endpoint
def record_support(request, policy):
    form = SupportForm(request.POST, organization_pk=request.POST.get("organization"))

    def act():
        organization = posted_organization(policy, request.user, form.cleaned_data["organization"])
        if organization is None:
            # Named by id only: an institution one does not speak for stays unnamed.
            raise PermissionDenied(
                _("You may not record a decision for that organisation on this policy.")
            )
        version = _version(policy, form)
        support = services.record_support(
            policy,
            actor=request.user,
            organization=organization,
            decision=form.cleaned_data["decision"],
            statement=form.cleaned_data["statement"],
            version=version,
        )
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


def _version(policy, form):
    """The version the form was filled in on; it must be one of this policy's."""
    version = posted_version(policy, form.cleaned_data["version"])
    if version is None:
        raise ValidationError(OUT_OF_DATE)
    return version


def _submit(request, policy, form, act, *, error_field=None):
    """Run ``act`` (one service call) for a valid ``form``; answer as the module says."""
    if not form.is_valid():
        return render_policy_page(request, policy.pk, status=400, bound={form.key: form})
    policy.revision = form.cleaned_data["revision"]
    try:
        message = act()
    except ValidationError as error:
        form.refuse(error, error_field)
        return render_policy_page(request, policy.pk, status=400, bound={form.key: form})
    except ConcurrentChange as change:
        # The posted form belongs to a picture of the policy that is gone. What
        # the user typed stays in it, carrying the new revision: they can look
        # at the policy as it is now and send it again.
        reasons = [r for r in change.reasons if r != str(ConcurrentChange.default_message)]
        return render_policy_page(
            request,
            policy.pk,
            status=409,
            bound={form.key: form},
            refusal=Refusal("changed", reasons),
        )
    except TransitionBlocked as blocked:
        return render_policy_page(
            request,
            policy.pk,
            status=409,
            bound={form.key: form},
            refusal=Refusal("blocked", blocked.reasons),
        )
    messages.success(request, message)
    response = redirect("web:policy", pk=policy.pk)
    response.status_code = 303  # See Other: reloading the page does not post again
    return response
