"""Registering a policy and changing its details: the coordinators' pages.

The form only shapes the input; ``workflow.services`` decides. Its
refusals land on the form (``policyflow.refusals.put_on_form``): a
``ValidationError`` on the fields it names (400), ``TransitionBlocked``
and ``ConcurrentChange`` above the form (409). An edit posts the revision
it was loaded at, so that saving over someone else's newer change is
refused, not silently done.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from policyflow import refusals
from web.forms.policy import PolicyEditForm, PolicyForm
from workflow import permissions, services
from workflow.models import Organization, Policy, Theme

TEMPLATE = "web/editing/policy_form.html"


@require_http_methods(["GET", "POST"])
@login_required
def create_policy(request):
    if not permissions.may_register_policies(request.user):
        raise PermissionDenied(_("Only coordinators register policies."))
    posted = request.method == "POST"
    form = PolicyForm(request.POST if posted else None, user=request.user)
    context = {"nav": "policies", "form": form}

    def register():
        policy = services.register_policy(actor=request.user, **form.service_values())
        messages.success(request, _("“%(title)s” is registered.") % {"title": policy.short_title})
        return redirect("web:policy", pk=policy.pk)

    status, saved = _save(form, register, context) if posted else (200, None)
    return saved or render(request, TEMPLATE, context, status=status)


def _save(form, save, context):
    """Run ``save`` (one service call, answering with a response) for a valid
    ``form``: ``(200, response)``, or the status of a refusal put on the form."""
    if not form.is_valid():
        return 400, None
    try:
        return 200, save()
    except refusals.REFUSALS as exception:
        refusal = refusals.classify(exception)
        if refusal.kind == refusals.Kind.PERMISSION_DENIED:
            raise  # Django's 403 page
        refusals.put_on_form(form, exception)
        # Someone else was faster: offer to load the details as they are now.
        context["stale"] = refusal.kind == refusals.Kind.CONCURRENT_CHANGE
        return refusal.status, None


def _policy_to_edit(user, pk):
    """The policy if ``user`` may see it (else 404) and change it (else 403)."""
    people = get_user_model().objects.only("pk")
    organizations = Organization.objects.only("pk")
    assigned = [
        Prefetch("themes", queryset=Theme.objects.only("pk")),
        Prefetch("required_supporters", queryset=organizations),
        Prefetch("drafters", queryset=people),
        Prefetch("reviewers", queryset=people),
    ]
    policy = get_object_or_404(
        Policy.objects.visible_to(user)
        .select_related("project", "lead_ministry")
        .prefetch_related(*assigned),
        pk=pk,
    )
    if not permissions.may_edit_details(policy, user):
        raise PermissionDenied(_("Only the policy's coordinators may change its details."))
    return policy


@require_http_methods(["GET", "POST"])
@login_required
def edit_policy(request, pk):
    policy = _policy_to_edit(request.user, pk)
    posted = request.method == "POST"
    context = {"nav": "policies", "policy": policy}
    if policy.state == Policy.State.ENDORSED:
        # Part of the official record: no form, and a post is refused.
        return render(
            request, TEMPLATE, {**context, "endorsed": True}, status=409 if posted else 200
        )

    form = PolicyEditForm(request.POST if posted else None, user=request.user, policy=policy)
    context["form"] = form

    def update():
        shown = policy.revision = form.cleaned_data["revision"]
        services.update_policy(policy, actor=request.user, **form.service_values())
        if policy.revision == shown:
            messages.info(request, _("Nothing was changed."))
        else:
            messages.success(request, _("The policy's details are saved."))
        return redirect("web:policy", pk=policy.pk)

    status, saved = _save(form, update, context) if posted else (200, None)
    return saved or render(request, TEMPLATE, context, status=status)
