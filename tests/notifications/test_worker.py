"""A transition reaches the inbox and the mailbox through a real Celery worker.

The test process publishes to Redis (a database number of its own on the
shared server) from the background publisher, as a web process would; a
``celery -A policyflow worker`` subprocess on production settings reads
the test database and writes its mail to files. Nothing is delivered in
this process: its own email backend is locmem and stays empty.
"""

import pytest
import redis
from celery import current_app
from django.core import mail
from django.db import connection

from notifications import dispatch, services
from notifications.models import Notification, OutboxMessage
from tests.notifications.workers import (
    Worker,
    database_url,
    message_ids,
    publishing_to,
    wait_until,
    worker_env,
)
from workflow.services import perform_transition

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
Status = OutboxMessage.Status
# The shared Redis is used by others too: this test keeps to its own database.
BROKER_URL = "redis://127.0.0.1:6379/13"
DELIVERY_TASKS = ("notifications.deliver_outbox", "notifications.sweep_outbox")


@pytest.fixture
def broker():
    client = redis.Redis.from_url(BROKER_URL, socket_timeout=3, socket_connect_timeout=2)
    client.flushdb()  # leftovers of an earlier, interrupted run
    with publishing_to(current_app, BROKER_URL):
        yield BROKER_URL
        # Let queued publishes finish before the broker URL is put back.
        dispatch._publisher.submit(lambda: None).result(timeout=30)
    client.flushdb()


@pytest.fixture
def worker(broker, tmp_path):
    env = worker_env(
        database_url=database_url(connection.settings_dict),
        broker_url=broker,
        var_dir=tmp_path / "var",
    )
    process = Worker(env, tmp_path / "logs", concurrency=2)
    try:
        yield process.start()
    finally:
        process.stop()


def test_the_worker_runs_delivery_with_late_acks(worker):
    """A worker killed mid-task must leave its message to be redelivered."""
    replies = wait_until(
        lambda: current_app.control.inspect(destination=[worker.name], timeout=3).registered(
            "acks_late", "reject_on_worker_lost"
        ),
        timeout=20,
        what="the worker to answer",
    )
    registered = replies[worker.name]
    for task in DELIVERY_TASKS:
        assert f"{task} [acks_late=True reject_on_worker_lost=True]" in registered


def test_a_transition_notifies_in_the_app_and_by_email_through_the_worker(
    worker, new_policy, walk, cast, tmp_path
):
    walk.upload(new_policy)

    perform_transition(new_policy, "submit_for_review", actor=cast.drafter)

    submitted = OutboxMessage.objects.filter(event="submitted_for_review")
    # The two reviewers and the coordinator, each in the app and by email.
    assert submitted.count() == 6
    wait_until(
        lambda: not OutboxMessage.objects.filter(status=Status.PENDING).exists(),
        timeout=30,
        what=lambda: f"the worker to deliver the outbox:\n{worker.log_text()[-3000:]}",
    )
    # Every row (the upload's too) went through the worker at the first attempt.
    rows = OutboxMessage.objects.all()
    assert set(rows.values_list("status", "attempts")) == {(Status.DELIVERED, 0)}

    assert sorted(Notification.objects.values_list("key", flat=True)) == sorted(
        rows.filter(channel="in_app").values_list("key", flat=True)
    )
    notes = Notification.objects.filter(event="submitted_for_review")
    assert {n.recipient for n in notes} == {cast.reviewer, cast.second_reviewer, cast.coordinator}
    assert all(new_policy.title in n.title for n in notes)

    mail_dir = tmp_path / "var" / "mail"
    email_keys = rows.filter(channel="email").values_list("key", flat=True)
    assert message_ids(mail_dir) == {services.message_id(key): 1 for key in email_keys}
    text = b"".join(path.read_bytes() for path in mail_dir.glob("*.log")).decode()
    for person in (cast.reviewer, cast.second_reviewer, cast.coordinator):
        assert f"To: {person.email}" in text
    assert "Review requested" in text
    assert mail.outbox == []  # this process delivered nothing itself
