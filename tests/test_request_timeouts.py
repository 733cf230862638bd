"""A request waiting on a row lock answers "busy" in seconds; the site keeps answering.

Another connection holds ``SELECT … FOR UPDATE`` on a policy, as a long
transaction would. A web request acting on that policy gives up after
``REQUEST_LOCK_TIMEOUT`` with a 503 page that says to try again, records
nothing, and the other pages still answer meanwhile.
"""

import contextlib
import time

import psycopg
import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.urls import reverse

from policyflow.middleware import UserErrorMiddleware
from tests.notifications.workers import database_url
from workflow.models import AuditEntry, Policy


@contextlib.contextmanager
def row_locked(policy):
    """The policy's row, locked FOR UPDATE by another connection until the block ends."""
    with psycopg.connect(database_url(connection.settings_dict)) as other:
        # Without a lock timeout the request would wait for ever in this very
        # thread: PostgreSQL ends the holder after a while instead.
        other.execute("SET idle_in_transaction_session_timeout = '15s'")
        other.execute("SELECT 1 FROM workflow_policy WHERE id = %s FOR UPDATE", [policy.pk])
        yield
        with contextlib.suppress(psycopg.Error):
            other.rollback()


@pytest.fixture
def coordinator_client(client, cast, settings):
    settings.REQUEST_LOCK_TIMEOUT = 1
    client.force_login(cast.coordinator)
    # A new connection, as a web process opens: it gets the web's timeouts.
    connection.close()
    return client


def withdraw(client, policy):
    return client.post(
        reverse("web:action", args=[policy.pk, "withdraw"]),
        {"revision": policy.revision, "comment": "Mandate ended.", "confirmed": "1"},
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_request_waiting_on_a_locked_policy_answers_busy(coordinator_client, new_policy, caplog):
    audit_before = AuditEntry.objects.filter(policy=new_policy).count()

    with row_locked(new_policy):
        started = time.monotonic()
        response = withdraw(coordinator_client, new_policy)
        waited = time.monotonic() - started
        # Reading is never blocked by the lock; neither is any other page.
        policy_page = coordinator_client.get(reverse("web:policy", args=[new_policy.pk]))
        dashboard = coordinator_client.get(reverse("web:dashboard"))

    print(f"\nthe locked action answered {response.status_code} after {waited:.1f} s")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Someone else is changing the same record at this moment." in page
    assert "Try again in a few seconds." in page
    busy = [r for r in caplog.records if r.name in ("django.request", "policyflow.middleware")]
    assert [(r.levelname, r.getMessage()) for r in busy] == [
        (
            "WARNING",
            f"POST {response.request['PATH_INFO']} gave up waiting on the database (lock timeout).",
        ),
    ]
    assert policy_page.status_code == 200
    assert dashboard.status_code == 200
    new_policy.refresh_from_db()
    assert new_policy.state == Policy.State.DRAFTING
    assert AuditEntry.objects.filter(policy=new_policy).count() == audit_before

    # The lock gone, the same action goes through.
    assert withdraw(coordinator_client, new_policy).status_code == 303
    new_policy.refresh_from_db()
    assert new_policy.state == Policy.State.WITHDRAWN


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_web_connections_carry_the_timeouts(coordinator_client, new_policy, settings):
    settings.REQUEST_STATEMENT_TIMEOUT = 7
    coordinator_client.get(reverse("web:dashboard"))

    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        lock_timeout = cursor.fetchone()[0]
        cursor.execute("SHOW statement_timeout")
        statement_timeout = cursor.fetchone()[0]

    assert (lock_timeout, statement_timeout) == ("1s", "7s")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cause", "reason"),
    [
        (psycopg.errors.QueryCanceled, "The server took too long to answer."),
        (psycopg.errors.LockNotAvailable, "Someone else is changing the same record"),
    ],
)
def test_a_timeout_becomes_the_busy_page(cast, cause, reason):
    request = RequestFactory().post("/policies/1/actions/withdraw/")
    request.user = cast.coordinator
    error = OperationalError("canceling statement")
    error.__cause__ = cause("canceling statement")

    response = UserErrorMiddleware(lambda request: None).process_exception(request, error)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert reason in response.content.decode()


@pytest.mark.django_db
def test_other_database_errors_stay_server_errors(cast):
    request = RequestFactory().get("/")
    request.user = cast.coordinator
    error = OperationalError("server closed the connection unexpectedly")
    error.__cause__ = psycopg.errors.AdminShutdown("terminating connection")

    assert UserErrorMiddleware(lambda request: None).process_exception(request, error) is None
