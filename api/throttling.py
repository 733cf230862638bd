"""Rate limits per credential, counted in the shared cache."""

from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken


class PerCredentialThrottle(SimpleRateThrottle):
    """``API_THROTTLE_RATE`` requests per token; a browser session counts per
    person, and an anonymous caller per address."""

    scope = "api"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
