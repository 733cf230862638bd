"""The API's rate limit counts in the shared cache: Redis when configured."""

import uuid

import pytest
import redis

from api.throttling import PerCredentialThrottle

pytestmark = pytest.mark.django_db


def redis_cache(location):
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": uuid.uuid4().hex,  # each run counts afresh
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 3},
        }
    }


@pytest.fixture
def three_a_minute(monkeypatch):
    monkeypatch.setattr(PerCredentialThrottle, "THROTTLE_RATES", {"api": "3/minute"})


@pytest.mark.usefixtures("three_a_minute")
def test_two_processes_count_one_budget_in_redis(api_client, cast, settings):
    """Two clients of one token count against one budget, as two web processes
    sharing Redis would."""
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings.CACHES = redis_cache("redis://127.0.0.1:6379/0")
    client = api_client(cast.drafter)
    statuses = [client.get("/api/v1/me/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/me/")
    assert refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0


@pytest.mark.usefixtures("three_a_minute")
def test_an_unreachable_cache_serves_requests_uncounted(api_client, cast, settings, caplog):
    settings.CACHES = redis_cache("redis://127.0.0.1:1/0")  # nothing listens there
    client = api_client(cast.drafter)
    assert [client.get("/api/v1/me/").status_code for _ in range(4)] == [200] * 4
    assert "rate limit not counted" in caplog.text
