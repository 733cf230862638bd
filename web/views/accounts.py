"""The sign-in page."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views


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

    def get_context_data(self, **kwargs):
        # How many failed attempts lock an account, to say so on the page.
        return super().get_context_data(failure_limit=settings.AXES_FAILURE_LIMIT, **kwargs)
