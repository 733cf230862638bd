"""The coordinators' webhooks page: register, rotate the secret, turn on and off.

Every change goes through ``workflow.webhooks``, which decides who may and
what is valid; its refusals land on the form (``put_on_form``). Someone who
manages no webhooks gets 403; an endpoint of another organisation is 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from policyflow import refusals
from web.forms.webhooks import WebhookForm
from web.selectors.webhooks import webhooks_page
from workflow import webhooks

TEMPLATE = "web/webhooks/list.html"


def _ensure_manages(user):
    if not webhooks.may_manage_webhooks(user):
        raise PermissionDenied(_("Only coordinators manage webhooks."))


@require_http_methods(["GET", "POST"])
@login_required
def webhook_list(request):
    _ensure_manages(request.user)
    posted = request.method == "POST"
    form = WebhookForm(request.POST if posted else None, user=request.user)
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            try:
                endpoint = webhooks.register_webhook(request.user, **form.service_values())
            except ValidationError as refusal:
                refusals.put_on_form(form, refusal)
            else:
                messages.success(
                    request,
                    _("The webhook “%(name)s” is registered. Copy its secret below.")
                    % {"name": endpoint.name},
                )
                return redirect("web:webhooks")
    context = {"nav": "webhooks", "form": form, "endpoints": webhooks_page(request.user)}
    return render(request, TEMPLATE, context, status=status)


def _endpoint(request, pk):
    _ensure_manages(request.user)
    return get_object_or_404(webhooks.endpoints_managed_by(request.user), pk=pk)


@require_POST
@login_required
def rotate_secret(request, pk):
    endpoint = webhooks.rotate_webhook_secret(request.user, _endpoint(request, pk))
    messages.success(
        request,
        _("“%(name)s” has a new secret; deliveries are signed with it from now on.")
        % {"name": endpoint.name},
    )
    return redirect("web:webhooks")


@require_POST
@login_required
def deactivate(request, pk):
    endpoint = webhooks.remove_webhook(request.user, _endpoint(request, pk))
    messages.success(
        request, _("“%(name)s” is off: nothing more is sent to it.") % {"name": endpoint.name}
    )
    return redirect("web:webhooks")


@require_POST
@login_required
def activate(request, pk):
    endpoint = webhooks.update_webhook(request.user, _endpoint(request, pk), is_active=True)
    messages.success(request, _("“%(name)s” is on again.") % {"name": endpoint.name})
    return redirect("web:webhooks")
