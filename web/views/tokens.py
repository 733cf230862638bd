"""A person's API tokens and calendar feed address.

A new token, or a new feed address, is shown once, in the answer to the
form that made it, and is kept nowhere it could be read again (neither the
database, which holds only its digest, nor the session); every answer to a
signed-in person is ``Cache-Control: private, no-store``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from api import calendar_feed, tokens
from api.models import ApiToken
from policyflow import refusals
from web.forms.tokens import TokenForm

TEMPLATE = "web/tokens.html"


def _page(request, *, form=None, new_token=None, new_feed_url=None, status=200):
    context = {
        "form": form or TokenForm(),
        "tokens": list(tokens.tokens_of(request.user)),
        "new_token": new_token,
        "feed": calendar_feed.feed_of(request.user),
        "new_feed_url": new_feed_url,
    }
    return render(request, TEMPLATE, context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def token_page(request):
    """The person's tokens; a posted form makes one and shows it this once."""
    if request.method != "POST":
        return _page(request)
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    try:
        row, token = tokens.create_token(
            request.user,
            name=form.cleaned_data["name"],
            lifetime_days=form.cleaned_data["lifetime_days"],
        )
    except ValidationError as error:
        refusals.put_on_form(form, error)
        return _page(request, form=form, status=400)
    return _page(request, new_token={"row": row, "token": token})


@require_POST
@login_required
def revoke_token(request, pk):
    """Revoke one of the person's tokens; anyone else's answers 404 and stays as it is."""
    try:
        row = tokens.revoke_token(request.user, pk)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": row.name})
    return redirect("api_tokens")


@require_POST
@login_required
def make_calendar_feed(request):
    """A new feed address, shown this once; the one before, if any, stops working."""
    url = calendar_feed.make_feed(request.user)
    return _page(request, new_feed_url=url)


@require_POST
@login_required
def stop_calendar_feed(request):
    calendar_feed.stop_feed(request.user)
    messages.success(request, _("Your calendar feed is stopped: its address no longer works."))
    return redirect("api_tokens")
