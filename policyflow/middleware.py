"""Refusals a user can cause become a clear 4xx page, in one place.

Views let the services' exceptions through; forms turn them into form
errors themselves. Whatever reaches here is answered as
``policyflow.refusals`` says, with the refusal's own message, never a 500.
(``PermissionDenied`` is left to Django's own 403 page.)

A request that waited too long on the database is one of them: on
PostgreSQL, every connection a web process opens gives up on a row lock
after ``REQUEST_LOCK_TIMEOUT`` seconds and on a statement after
``REQUEST_STATEMENT_TIMEOUT``, so one long transaction cannot hold every
web worker; the request is answered "busy, try again" (503, Retry-After).
Workers and management commands load no middleware and wait as long as
their work needs.
"""

import logging

from django.conf import settings
from django.db import OperationalError, connection
from django.db.backends.signals import connection_created
from django.shortcuts import render
from django.utils.translation import gettext as _

from policyflow import refusals

logger = logging.getLogger(__name__)

LOCK_NOT_AVAILABLE = "55P03"
QUERY_CANCELED = "57014"
RETRY_AFTER_SECONDS = 5


def apply_request_timeouts(connection, **kwargs):
    """Set the web's lock and statement timeouts on a PostgreSQL connection."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('lock_timeout', %s, false), "
            "set_config('statement_timeout', %s, false)",
            [
                f"{int(settings.REQUEST_LOCK_TIMEOUT * 1000)}ms",
                f"{int(settings.REQUEST_STATEMENT_TIMEOUT * 1000)}ms",
            ],
        )


def _waited_too_long(exception):
    """The lock or statement timeout that ended the query, or None."""
    if isinstance(exception, OperationalError):
        state = getattr(exception.__cause__, "sqlstate", None)
        if state in (LOCK_NOT_AVAILABLE, QUERY_CANCELED):
            return state
    return None


class UserErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # Loaded once per web process, before it serves: its connections get
        # the timeouts as they open. One already open in this thread is
        # closed, to reopen with them on its next use; inside a transaction
        # (a test's) it cannot be, and gets them now.
        connection_created.connect(apply_request_timeouts, dispatch_uid="request-timeouts")
        if connection.connection is not None:
            if connection.in_atomic_block:
                apply_request_timeouts(connection)
            else:
                connection.close()

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, refusals.REFUSALS):
            refusal = refusals.classify(exception)
            if refusal.kind == refusals.Kind.PERMISSION_DENIED:
                return None  # Django's 403 page
            return render(request, "refused.html", {"refusal": refusal}, status=refusal.status)
        waited = _waited_too_long(exception)
        if waited:
            return self._busy(request, waited)
        return None

    def _busy(self, request, waited):
        logger.warning(
            "%s %s gave up waiting on the database (%s).",
            request.method,
            request.path,
            "lock timeout" if waited == LOCK_NOT_AVAILABLE else "statement timeout",
        )
        if waited == LOCK_NOT_AVAILABLE:
            reason = _("Someone else is changing the same record at this moment.")
        else:
            reason = _("The server took too long to answer.")
        response = render(request, "busy.html", {"reason": reason}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        # Logged above, with its cause: not again as a server error.
        response._has_been_logged = True
        return response
