"""No copy of a signed-in person's pages or files kept by browsers or proxies.

Policy drafts, comments and records are confidential until endorsed, and a
shared computer or a caching proxy must not keep them. Every response to a
signed-in user is marked ``Cache-Control: private, no-store`` (the download
views of versions and records mark their files so themselves as well).
"""

from django.utils.cache import patch_cache_control


class PrivateResponsesMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Drops any "public" the view set: "private" wins.
            patch_cache_control(response, private=True, no_store=True)
        return response
