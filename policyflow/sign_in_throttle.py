"""Sign-in rates: a cap per account across addresses, and per address across accounts.

django-axes locks an (account, address) pair after ``AXES_FAILURE_LIMIT``
failures in a row. On its own that lets someone with many addresses guess
one account's password without end, and one address try a few passwords
on every account (password spraying). Locking a whole account or address
instead would let anyone lock anyone out, so these caps slow down rather
than lock: past ``SIGN_IN_FAILURES_PER_ACCOUNT`` failures on one account
(or ``SIGN_IN_FAILURES_PER_ADDRESS`` from one address) within
``SIGN_IN_WINDOW_MINUTES``, a sign-in answers 429 with ``Retry-After``
until the oldest of those failures leaves the window. A refused attempt is
not checked, so it is not counted and never prolongs the wait; the right
password waits too, so the answer says nothing about the password.

The failures are django-axes' own failure log, so every process of the
server counts the same rows.
"""

import datetime
import math
import unicodedata

from axes.models import AccessFailureLog
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from policyflow.client_address import client_address

# The views whose POST checks a password.
SIGN_IN_VIEWS = {"login", "admin:login"}
# Failure rows older than this are removed: the window needs far less, and
# the admin's failure log keeps a day of history.
KEEP_FAILURES = datetime.timedelta(days=1)


def username_of(request, credentials=None):
    """The account a sign-in names, as the sign-in form reads it.

    Django's form strips and NFKC-normalises the username before looking
    it up, so " amina" and "amina" are one account and must count as one.
    django-axes counts by this too (``AXES_USERNAME_CALLABLE``).
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    username = (credentials or {}).get(field)
    if username is None and request is not None:
        username = request.POST.get(field)
    if username is None:
        return None
    return unicodedata.normalize("NFKC", str(username)).strip()


def wait_before_next_attempt(username, address, now=None):
    """How long a sign-in to ``username`` from ``address`` must wait, or None."""
    now = now or timezone.now()
    window = datetime.timedelta(minutes=settings.SIGN_IN_WINDOW_MINUTES)
    recent = AccessFailureLog.objects.filter(attempt_time__gt=now - window)
    waits = []
    for failures, cap in (
        (
            recent.filter(username=username) if username else None,
            settings.SIGN_IN_FAILURES_PER_ACCOUNT,
        ),
        (
            recent.filter(ip_address=address) if address else None,
            settings.SIGN_IN_FAILURES_PER_ADDRESS,
        ),
    ):
        if failures is None:
            continue
        # Free again when the cap-th newest failure leaves the window.
        oldest_counted = failures.order_by("-attempt_time").values_list("attempt_time", flat=True)[
            cap - 1 : cap
        ]
        waits.extend(at + window - now for at in oldest_counted)
    return max(waits, default=None)


class SignInThrottleMiddleware:
    """Answers 429 to a sign-in past either cap, before any password is checked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method != "POST" or match is None or match.view_name not in SIGN_IN_VIEWS:
            return None
        now = timezone.now()
        AccessFailureLog.objects.filter(attempt_time__lt=now - KEEP_FAILURES).delete()
        wait = wait_before_next_attempt(username_of(request), client_address(request), now)
        if wait is None:
            return None
        seconds = max(1, math.ceil(wait.total_seconds()))
        response = render(
            request,
            "registration/throttled.html",
            {"minutes": math.ceil(seconds / 60)},
            status=429,
        )
        response["Retry-After"] = str(seconds)
        return response
