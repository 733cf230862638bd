"""What the pages share: signing in again when a session ran out during an htmx request."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect


def login_required_htmx(view):
    """``login_required`` that also serves the pages' htmx requests.

    htmx swaps whatever a request answers into its target, a plain redirect
    to the sign-in page included: a table or a notification would turn into
    a sign-in form. An htmx request from someone not signed in is told to
    load the sign-in page as a whole (``HX-Redirect``), and to come back to
    the page they were on, not to the fragment's address.
    """
    plain = login_required(view)

    @wraps(view)
    def checked(request, *args, **kwargs):
        if request.htmx and not request.user.is_authenticated:
            sign_in = redirect_to_login(_page_address(request))
            return HttpResponseClientRedirect(sign_in.url)
        return plain(request, *args, **kwargs)

    return checked


def _page_address(request):
    """The address of the page that sent the htmx request, else the request's own."""
    page = request.htmx.current_url_abs_path  # None when it names another site
    if page and url_has_allowed_host_and_scheme(page, allowed_hosts={request.get_host()}):
        return page
    return request.get_full_path()
