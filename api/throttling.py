"""Rate limits per credential, counted in the shared cache."""

import logging

from redis.exceptions import RedisError
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken

logger = logging.getLogger(__name__)


class PerCredentialThrottle(SimpleRateThrottle):
    """``API_THROTTLE_RATE`` requests per token; a browser session counts per
    person, and an anonymous caller per address.

    When the cache cannot be reached the request is served uncounted: a
    rate limit protects the service, and must not be what takes it down.
    """

    scope = "api"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except RedisError as error:
            logger.warning("API rate limit not counted, the cache is unreachable: %s", error)
            return True
