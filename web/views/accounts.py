"""Signing in, and the language a person reads policyflow in."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from notifications.services import languages_of, set_language_preference


# Checked before the redirect of someone signed in, which would answer any method.
@method_decorator(require_http_methods(["GET", "HEAD", "POST"]), name="dispatch")
class LoginView(auth_views.LoginView):
    """Django's sign-in page, for people who may already be signed in.

    Someone signed in is sent on to ``next`` at once. When ``next`` is the
    sign-in page itself (a bookmark, a link copied while signed out), that
    would send them round in circles, which Django refuses with an error:
    they go to the dashboard (``LOGIN_REDIRECT_URL``) instead.
    """

    redirect_authenticated_user = True

    def get_redirect_url(self):
        url = super().get_redirect_url()  # "" unless ``next`` is safe
        if url and urlsplit(url).path == self.request.path:
            return ""
        return url

    def form_valid(self, form):
        # The language chosen before, on whatever device, comes back with the person.
        response = super().form_valid(form)
        user = form.get_user()
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            languages_of([user.pk])[user.pk],
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response

    def get_context_data(self, **kwargs):
        # How many failed attempts lock an account, to say so on the page.
        return super().get_context_data(failure_limit=settings.AXES_FAILURE_LIMIT, **kwargs)


@require_POST
def choose_language(request):
    """Django's language switch; a signed-in person's choice is also remembered,
    for their next sign-in and for the notifications written to them."""
    response = set_language(request)
    if request.user.is_authenticated:
        set_language_preference(request.user, request.POST.get("language", ""))
    return response
