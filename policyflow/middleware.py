"""Refusals a user can cause become a clear 4xx page, in one place.

Views let the services' exceptions through; forms turn them into form
errors themselves. Whatever reaches here is answered with the refusal's
own message, never a 500. (``PermissionDenied`` is Django's own 403.)
"""

from django.core.exceptions import ValidationError
from django.shortcuts import render

from workflow.exceptions import ConcurrentChange, TransitionBlocked


def _messages(exception):
    if isinstance(exception, ValidationError):
        return exception.messages
    return exception.reasons


class UserErrorMiddleware:
    STATUS = ((ValidationError, 400), (ConcurrentChange, 409), (TransitionBlocked, 409))

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        for kind, status in self.STATUS:
            if isinstance(exception, kind):
                return render(
                    request,
                    "refused.html",
                    {"reasons": _messages(exception), "status": status},
                    status=status,
                )
        return None
