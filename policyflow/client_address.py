"""The address a request comes from, as the sign-in throttle counts it.

Behind the TLS proxy every request reaches Django from the proxy's own
address, so throttling by REMOTE_ADDR would lock an account for everyone
at once. The proxy appends the address it saw to X-Forwarded-For: the last
entry is the one it vouches for (earlier ones are whatever the client sent).
"""

from django.conf import settings


def client_address(request):
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")
