"""Personal API tokens: they act as their owner only, while usable, within a rate."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from api import tokens
from api.models import ApiToken
from api.throttling import PerCredentialThrottle
from workflow.models import Policy

pytestmark = pytest.mark.django_db
State = Policy.State
ME = "/api/v1/me/"


def bearer(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def assert_refused_as_not_signed_in(response):
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["code"] == "authentication_failed"


def test_a_new_token_acts_as_its_owner(cast):
    row, token = tokens.create_token(cast.bureau_member, name="report script")
    response = bearer(token).get(ME)
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == cast.bureau_member.username
    assert body["token"]["name"] == "report script"
    assert body["token"]["prefix"] == row.prefix
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_a_token_lasts_the_setting_unless_told(cast, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 30
    row, _token = tokens.create_token(cast.drafter, name="default")
    assert row.expires_at - row.created_at == datetime.timedelta(days=30)
    row, _token = tokens.create_token(cast.drafter, name="short", lifetime_days=2)
    assert row.expires_at - row.created_at == datetime.timedelta(days=2)


def test_only_the_digest_is_stored(cast):
    row, token = tokens.create_token(cast.drafter, name="stored")
    stored = ApiToken.objects.filter(pk=row.pk).values().get()
    assert all(token not in str(value) for value in stored.values())
    assert stored["digest"] == tokens.digest_of(token)
    assert token.startswith(stored["prefix"])
    assert len(stored["prefix"]) < len(token) // 4


def test_an_expired_token_is_refused(cast):
    row, token = tokens.create_token(cast.drafter, name="old")
    assert bearer(token).get(ME).status_code == 200
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    assert_refused_as_not_signed_in(bearer(token).get(ME))


def test_a_revoked_token_is_refused(cast):
    row, token = tokens.create_token(cast.drafter, name="revoked")
    tokens.revoke_token(cast.drafter, row.pk)
    assert ApiToken.objects.get(pk=row.pk).revoked_at is not None
    assert_refused_as_not_signed_in(bearer(token).get(ME))


def test_the_token_of_an_account_made_inactive_is_refused(cast):
    _row, token = tokens.create_token(cast.drafter, name="leaver")
    cast.drafter.is_active = False
    cast.drafter.save(update_fields=["is_active"])
    assert_refused_as_not_signed_in(bearer(token).get(ME))


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer two words",
        "Bearer not-a-policyflow-token",
        "Bearer pft_guessed",
        "Bearer pft_é",
    ],
)
def test_a_malformed_or_unknown_token_is_refused(cast, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header.encode().decode("latin-1"))
    assert_refused_as_not_signed_in(client.get(ME))


def test_no_credentials_are_refused(db):
    response = APIClient().get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_one_persons_token_never_acts_as_another(cast, policy_in):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    _row, a = tokens.create_token(cast.foreign_member, name="A")
    _row, b = tokens.create_token(cast.bureau_member, name="B")
    assert bearer(a).get(ME).json()["username"] == cast.foreign_member.username
    assert bearer(b).get(ME).json()["username"] == cast.bureau_member.username
    address = f"/api/v1/policies/{policy.pk}/"
    assert bearer(b).get(address).status_code == 200
    response = bearer(a).get(address)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_revoking_another_persons_token_changes_nothing(cast):
    row, token = tokens.create_token(cast.drafter, name="mine")
    with pytest.raises(ApiToken.DoesNotExist):
        tokens.revoke_token(cast.reviewer, row.pk)
    assert ApiToken.objects.get(pk=row.pk).revoked_at is None
    assert bearer(token).get(ME).status_code == 200


def test_a_token_needs_a_name_and_an_active_owner(cast):
    with pytest.raises(ValidationError):
        tokens.create_token(cast.drafter, name="  ")
    with pytest.raises(ValidationError):
        tokens.create_token(cast.drafter, name="x" * (tokens.NAME_MAX_LENGTH + 1))
    cast.drafter.is_active = False
    cast.drafter.save(update_fields=["is_active"])
    with pytest.raises(PermissionDenied):
        tokens.create_token(cast.drafter, name="leaver")
    assert not ApiToken.objects.exists()


# -- the rate limit -------------------------------------------------------------------


@pytest.fixture
def three_a_minute(monkeypatch):
    # DRF reads the rates when the class is defined: the setting alone would not do.
    monkeypatch.setattr(PerCredentialThrottle, "THROTTLE_RATES", {"api": "3/minute"})
    cache.clear()
    yield
    cache.clear()


def test_past_the_rate_a_token_is_answered_429_with_retry_after(cast, three_a_minute):
    _row, token = tokens.create_token(cast.drafter, name="busy")
    client = bearer(token)
    assert [client.get(ME).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(ME)
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60


def test_each_token_has_its_own_budget(cast, three_a_minute):
    """A rate is counted per token, so one busy script does not stop its owner's
    others; each token is still bound, and revoking it stops it at once."""
    _row, first = tokens.create_token(cast.drafter, name="first")
    _row, second = tokens.create_token(cast.drafter, name="second")
    for _ in range(3):
        assert bearer(first).get(ME).status_code == 200
    assert bearer(first).get(ME).status_code == 429
    assert bearer(second).get(ME).status_code == 200
    _row, others = tokens.create_token(cast.reviewer, name="someone else's")
    assert bearer(others).get(ME).status_code == 200


# -- the command ----------------------------------------------------------------------


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_prints_only_a_working_token(cast):
    out, _err = run(cast.endorser.username, "--name", "cabinet sync", "--days", "7")
    token = out.strip()
    assert out == token + "\n"
    row = ApiToken.objects.get(user=cast.endorser)
    assert row.name == "cabinet sync"
    assert row.expires_at - row.created_at == datetime.timedelta(days=7)
    assert row.digest == tokens.digest_of(token)
    assert bearer(token).get(ME).json()["username"] == cast.endorser.username


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--name", "x"], "No user is called 'nobody'."),
        (["drafter", "--name", "   "], "Give the token a name"),
        (["drafter", "--name", "x", "--days", "0"], "at least one day"),
    ],
)
def test_the_command_refuses_clearly(cast, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not ApiToken.objects.exists()


def test_the_command_refuses_an_inactive_account(cast):
    cast.drafter.is_active = False
    cast.drafter.save(update_fields=["is_active"])
    with pytest.raises(CommandError, match="inactive"):
        run("drafter", "--name", "leaver")
    assert not ApiToken.objects.exists()
