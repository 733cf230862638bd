"""Webhooks: written with the change, signed, sent to a real receiver, retried,
and never sent to an address that is not public unless the setting allows it."""

import base64
import datetime
import hashlib
import hmac
import json
import shutil
import socket
import subprocess
import time
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from notifications import services, webhooks
from notifications.models import OutboxMessage, WebhookEndpoint
from tests.notifications.receiver import Receiver, ipv6_loopback_available
from workflow import notify
from workflow import services as workflow
from workflow.models import AuditEntry, Policy
from workflow.webhooks import register_webhook, remove_webhook

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status
State = Policy.State


@pytest.fixture
def receiver():
    """``receiver(answers=..., host=...)``: a receiver, stopped after the test."""
    started = []

    def start(answers=(), host="127.0.0.1", tls=None):
        started.append(Receiver(answers, host, tls))
        return started[-1]

    yield start
    for one in started:
        one.stop()


@pytest.fixture
def private_targets(settings):
    """The receivers run on loopback: allow them, as a deployment on one host would."""
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    return settings


def expected_signature(secret, message_id, timestamp, body):
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{message_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def due_now(row):
    """Past the backoff, as if its time had come."""
    OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=row.created_at)


def test_a_transition_delivers_one_signed_post(
    cast, new_policy, walk, receiver, private_targets, django_capture_on_commit_callbacks
):
    hooks = receiver()
    endpoint = register_webhook(
        cast.coordinator,
        cast.implementer,
        "Project dashboard",
        f"{hooks.url}/hooks/policyflow?source=pf",
        ["submitted_for_review"],
    )
    assert endpoint.secret.startswith("whsec_")
    assert len(base64.b64decode(endpoint.secret.removeprefix("whsec_"))) == 32
    walk.upload(new_policy)  # version_uploaded: not subscribed to

    before = int(time.time())
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform_transition(
            new_policy, "submit_for_review", actor=cast.drafter, acknowledged=True
        )
    after = int(time.time())

    row = OutboxMessage.objects.get(channel=OutboxMessage.Channel.WEBHOOK)
    entry = AuditEntry.objects.get(action="submit_for_review")
    assert row.key == f"submitted_for_review:{new_policy.pk}:{entry.pk}:e{endpoint.pk}:webhook"
    assert (row.status, row.attempts, row.endpoint, row.recipient) == (
        Status.DELIVERED,
        1,
        endpoint,
        None,
    )
    assert len(hooks.requests) == 1
    request = hooks.requests[0]
    assert request["path"] == "/hooks/policyflow?source=pf"
    headers = request["headers"]
    assert headers["content-type"] == "application/json"
    assert headers["webhook-id"] == row.key
    timestamp = int(headers["webhook-timestamp"])
    assert before <= timestamp <= after
    assert headers["webhook-signature"] == expected_signature(
        endpoint.secret, row.key, timestamp, request["body"]
    )
    assert request["body"] == row.body

    payload = json.loads(request["body"])
    new_policy.refresh_from_db()
    assert payload["type"] == "submitted_for_review"
    assert datetime.datetime.fromisoformat(payload["timestamp"]).tzinfo is not None
    assert payload["data"] == {
        "policy": {
            "id": new_policy.pk,
            "title": new_policy.title,
            "short_title": new_policy.short_title,
            "country": "PK",
            "state": "expert_review",
            "revision": new_policy.revision,
            "project": cast.project.pk,
        },
        "version": 1,
        "actor": cast.drafter.username,
        "comment": "",
        "url": f"http://127.0.0.1:8000/policies/{new_policy.pk}/",
    }


def test_only_the_endpoints_that_want_the_event_get_a_row(cast, new_policy, walk, private_targets):
    other_project = cast.project.implementer.implemented_projects.create(name="Another project")
    wanted = [
        register_webhook(
            cast.coordinator,
            cast.implementer,
            "All",
            "http://127.0.0.1:9/",
            ["reopened", "withdrawn"],
        ),
        register_webhook(
            cast.coordinator,
            cast.implementer,
            "This project",
            "http://127.0.0.1:9/",
            ["withdrawn"],
            projects=[cast.project],
        ),
    ]
    register_webhook(
        cast.coordinator, cast.implementer, "Other event", "http://127.0.0.1:9/", ["endorsed"]
    )
    register_webhook(
        cast.coordinator,
        cast.implementer,
        "Other project",
        "http://127.0.0.1:9/",
        ["withdrawn"],
        projects=[other_project],
    )
    off = register_webhook(
        cast.coordinator, cast.implementer, "Off", "http://127.0.0.1:9/", ["withdrawn"]
    )
    remove_webhook(cast.coordinator, off)
    other_implementer = cast.other_implementer_coordinator.memberships.get().organization
    register_webhook(
        cast.other_implementer_coordinator,
        other_implementer,
        "Theirs",
        "http://127.0.0.1:9/",
        ["withdrawn"],
    )

    workflow.perform_transition(new_policy, "withdraw", actor=cast.coordinator, comment="Ended.")

    rows = OutboxMessage.objects.filter(channel=OutboxMessage.Channel.WEBHOOK)
    assert sorted(rows.values_list("endpoint__name", flat=True)) == sorted(e.name for e in wanted)
    assert set(rows.values_list("event", flat=True)) == {"withdrawn"}
    # Announcing the same occurrence again writes nothing more.
    entry = AuditEntry.objects.get(action="withdraw")
    with transaction.atomic():
        notify.announce(new_policy, "withdrawn", occurrence=entry.pk, actor=cast.coordinator)
    assert rows.count() == 2


def test_a_receiver_failing_twice_gets_exactly_one_delivery_at_the_third_attempt(
    cast, new_policy, receiver, private_targets, django_capture_on_commit_callbacks
):
    hooks = receiver(answers=[500, 500])
    register_webhook(cast.coordinator, cast.implementer, "Flaky", hooks.url, ["withdrawn"])
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform_transition(
            new_policy, "withdraw", actor=cast.coordinator, comment="Ended."
        )
    row = OutboxMessage.objects.get(channel=OutboxMessage.Channel.WEBHOOK)
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert "HTTP 500" in row.last_error
    assert row.next_attempt_at > row.created_at

    services.deliver()  # not due yet: the backoff holds it
    assert len(hooks.requests) == 1

    due_now(row)
    services.deliver()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 2)

    due_now(row)
    services.sweep(grace=datetime.timedelta(0))
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.DELIVERED, 3)
    assert [r["answer"] for r in hooks.requests] == [500, 500, 204]
    assert len(hooks.successes) == 1
    assert {r["headers"]["webhook-id"] for r in hooks.requests} == {row.key}
    assert {r["body"] for r in hooks.requests} == {row.body}

    services.sweep(grace=datetime.timedelta(0))
    assert len(hooks.requests) == 3


def test_failures_end_dead_with_the_last_error(cast, new_policy, receiver, private_targets):
    private_targets.NOTIFICATION_MAX_ATTEMPTS = 2
    hooks = receiver(answers=[503, 503])
    register_webhook(cast.coordinator, cast.implementer, "Down", hooks.url, ["withdrawn"])
    workflow.perform_transition(new_policy, "withdraw", actor=cast.coordinator, comment="Ended.")
    row = OutboxMessage.objects.get(channel=OutboxMessage.Channel.WEBHOOK)
    services.deliver()
    due_now(row)
    services.deliver()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.DEAD, 2)
    assert row.last_error.startswith("DeliveryFailed: HTTP 503")


def test_a_rolled_back_change_writes_no_webhook_and_sends_nothing(
    cast, new_policy, receiver, private_targets, django_capture_on_commit_callbacks
):
    hooks = receiver()
    register_webhook(cast.coordinator, cast.implementer, "All", hooks.url, ["withdrawn"])

    def withdraw_then_fail():
        with transaction.atomic():
            workflow.perform_transition(
                new_policy, "withdraw", actor=cast.coordinator, comment="Ended."
            )
            assert OutboxMessage.objects.filter(channel="webhook").count() == 1
            raise RuntimeError("something after it failed")

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            withdraw_then_fail()
        as_it_is = Policy.objects.get(pk=new_policy.pk)
        with pytest.raises(PermissionDenied):
            workflow.perform_transition(as_it_is, "withdraw", actor=cast.observer, comment="No.")

    assert not OutboxMessage.objects.filter(channel="webhook").exists()
    assert Policy.objects.get(pk=new_policy.pk).state == State.DRAFTING
    services.sweep(grace=datetime.timedelta(0))
    assert hooks.requests == []


def test_a_deactivated_endpoint_is_not_sent_what_was_waiting(
    cast, new_policy, receiver, private_targets
):
    hooks = receiver()
    endpoint = register_webhook(
        cast.coordinator, cast.implementer, "Soon off", hooks.url, ["withdrawn"]
    )
    workflow.perform_transition(new_policy, "withdraw", actor=cast.coordinator, comment="Ended.")
    remove_webhook(cast.coordinator, endpoint)
    services.deliver()
    row = OutboxMessage.objects.get(channel="webhook")
    assert (row.status, row.last_error) == (Status.SKIPPED, services.ENDPOINT_INACTIVE)
    assert hooks.requests == []


# -- where a webhook may go ------------------------------------------------------


def endpoint_at(url):
    return WebhookEndpoint.objects.create(
        name="Target", url=url, secret=webhooks.new_secret(), events=["ping"], owner="org/1"
    )


def send_one(url):
    endpoint_at(url)
    services.enqueue(
        "ping",
        recipients=[],
        key="ping:1",
        context={},
        webhook=services.Webhook(owner="org/1", topic="", payload={"type": "ping"}),
    )
    services.deliver()
    return OutboxMessage.objects.get(channel="webhook")


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/",
        "http://localhost:{port}/",
        "http://[::ffff:127.0.0.1]:{port}/",
        "http://[::1]:{port6}/",
        "http://10.1.2.3:{port}/",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_addresses_that_are_not_public_are_refused_and_dead_at_once(target, receiver, settings):
    settings.WEBHOOK_TIMEOUT = 1  # were any connection tried, it would not wait long
    hooks = receiver()
    hooks6 = receiver(host="::1") if ipv6_loopback_available() else None
    if "{port6}" in target and hooks6 is None:
        pytest.skip("no IPv6 loopback here")
    url = target.format(port=hooks.port, port6=hooks6.port if hooks6 else 0)

    row = send_one(url)

    assert (row.status, row.attempts) == (Status.DEAD, 1)
    assert row.last_error.startswith("RefusedTarget: ")
    assert "not a public address" in row.last_error
    assert hooks.requests == []
    assert hooks6 is None or hooks6.requests == []


def test_the_same_addresses_are_reached_when_the_setting_allows_it(receiver, private_targets):
    hooks = receiver()
    row = send_one(f"http://localhost:{hooks.port}/")
    assert row.status == Status.DELIVERED
    assert len(hooks.requests) == 1


def _rebinding(port):
    """A resolver under which hooks.example.org is a public address, but the
    connection to that address lands on loopback (DNS rebinding, or a hijacked
    route): only the check of the connected peer can see it."""
    real = socket.getaddrinfo
    public = "93.184.216.34"

    def resolve(host, *args, **kwargs):
        if host == "hooks.example.org":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (public, port))]
        if host == public:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, *args, **kwargs)

    return mock.patch("socket.getaddrinfo", resolve)


def test_a_name_that_resolves_public_but_connects_to_loopback_is_refused(receiver, settings):
    settings.WEBHOOK_TIMEOUT = 2
    hooks = receiver()
    with _rebinding(hooks.port):
        row = send_one(f"http://hooks.example.org:{hooks.port}/")
    assert (row.status, row.attempts) == (Status.DEAD, 1)
    assert "reached 127.0.0.1" in row.last_error
    assert hooks.requests == []


def test_the_rebinding_resolver_does_reach_the_receiver_when_allowed(receiver, private_targets):
    """The control of the test above: the same resolver, the setting on."""
    hooks = receiver()
    with _rebinding(hooks.port):
        row = send_one(f"http://hooks.example.org:{hooks.port}/")
    assert row.status == Status.DELIVERED
    assert hooks.requests[0]["headers"]["host"] == f"hooks.example.org:{hooks.port}"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("127.8.9.10", False),
        ("::1", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("224.0.0.1", False),
        ("ff02::1", False),
        ("240.0.0.1", False),
        ("0.0.0.0", False),
        ("::", False),
        ("::ffff:10.0.0.1", False),
        ("::ffff:127.0.0.1", False),
        ("100.64.0.1", False),
        ("8.8.8.8", True),
        ("93.184.216.34", True),
        ("2606:4700:4700::1111", True),
        ("::ffff:8.8.8.8", True),
    ],
)
def test_which_addresses_are_public(address, public):
    assert webhooks.is_public(address) is public


def test_a_redirect_is_not_followed(receiver, private_targets):
    hooks = receiver(answers=[302])
    row = send_one(f"{hooks.url}/hook")
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert "HTTP 302" in row.last_error
    assert "not followed" in row.last_error
    assert [r["path"] for r in hooks.requests] == ["/hook"]


def test_a_receiver_that_hangs_past_the_timeout_fails(receiver, private_targets):
    private_targets.WEBHOOK_TIMEOUT = 0.5
    hooks = receiver(answers=["hang"])
    row = send_one(hooks.url)
    hooks.released.set()
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert "timed out" in row.last_error
    assert len(hooks.requests) == 1


def test_a_receiver_answering_a_byte_at_a_time_is_cut_off(receiver, private_targets):
    """Each byte comes well within the timeout; the whole answer would not."""
    private_targets.WEBHOOK_TIMEOUT = 0.4
    hooks = receiver(answers=["drip"])
    row = send_one(hooks.url)
    hooks.released.set()
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert "took longer than 1.2 s in all" in row.last_error


def test_the_signature_is_the_standard_webhooks_one():
    """The example of the Standard Webhooks reference libraries."""
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    message_id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    timestamp = 1614265330
    body = '{"test": 2432232314}'
    assert webhooks.signature(secret, message_id, timestamp, body) == (
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


# -- HTTPS ---------------------------------------------------------------------------


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for the name ``localhost`` (and no other)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def test_https_verifies_the_certificate_against_the_host_name(
    receiver, private_targets, certificate, monkeypatch
):
    hooks = receiver(tls=certificate)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # trust it, as a CA

    row = send_one(f"https://localhost:{hooks.port}/")
    assert row.status == Status.DELIVERED
    assert len(hooks.requests) == 1

    # The same server and certificate under another name: refused by the check.
    OutboxMessage.objects.all().delete()
    WebhookEndpoint.objects.all().delete()
    row = send_one(f"https://127.0.0.1:{hooks.port}/")
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert "CERTIFICATE_VERIFY_FAILED" in row.last_error
    assert len(hooks.requests) == 1


def test_https_refuses_a_certificate_nobody_vouches_for(receiver, private_targets, certificate):
    hooks = receiver(tls=certificate)
    row = send_one(f"https://localhost:{hooks.port}/")
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert "CERTIFICATE_VERIFY_FAILED" in row.last_error
    assert hooks.requests == []
