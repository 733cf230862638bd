"""Nothing is lost when workers die and the broker restarts under load.

300 transitions are fired in ten batches. Between batches the worker's pool
processes, or the whole worker, are SIGKILLed and restarted, and the
broker (a redis-server of this test's own, without persistence) is shut
down and started again on the same port, so queued delivery tasks vanish
and publishes fail. Then everything is started again and the sweeper does
what beat does every minute in production. The outcome must be: every
outbox row delivered; one in-app notification per key; one email per key,
except where a killed process had sent a mail and not yet marked its row
(the crash window, at most one per killed process).
"""

import contextlib
import datetime
import time

import pytest
from celery import current_app
from django.db import connection
from django.db.models import Count

from notifications import dispatch, services
from notifications.models import Notification, OutboxMessage
from tests.notifications.workers import (
    RedisServer,
    Worker,
    database_url,
    message_ids,
    publishing_to,
    wait_until,
    worker_env,
)
from workflow import services as workflow

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
Status = OutboxMessage.Status

POLICIES = 15
TRANSITIONS = 300
BATCHES = 10
# Short leases so that rows held by a killed worker come back within the
# test; production keeps NOTIFICATION_LEASE_SECONDS above the task time limit.
LEASE_SECONDS = 8


class Chaos:
    """The private broker and the worker, and what has been done to them."""

    def __init__(self, broker, worker, mail_dir):
        self.broker = broker
        self.worker = worker
        self.mail_dir = mail_dir
        self.killed_processes = 0  # pool processes killed, busy or not
        self.worker_kills = 0
        self.broker_restarts = 0
        self.swept = 0  # rows the final sweeps delivered

    def kill_worker(self):
        self.killed_processes += self.worker.kill()
        self.worker_kills += 1

    def start_worker(self):
        self.worker.start()

    def start_worker_and_kill_it_at_work(self):
        self._start_on_backlog()
        self.kill_worker()

    def start_worker_and_kill_a_child_at_work(self):
        self._start_on_backlog()
        self.killed_processes += self.worker.kill_child()

    def _start_on_backlog(self):
        """Start the worker and return as soon as it delivers from its backlog,
        so that a kill lands in the middle of it. A worker that finished
        first is killed all the same: that is chaos too, only milder."""
        delivered = OutboxMessage.objects.filter(status=Status.DELIVERED)
        before = delivered.count()
        self.worker.start(wait=False)
        with contextlib.suppress(TimeoutError):
            wait_until(lambda: delivered.count() > before, timeout=30, interval=0.02)

    def stop_broker(self):
        self.broker.stop()

    def start_broker(self):
        self.broker.start()
        self.broker_restarts += 1

    def everything_up(self):
        if not self.broker.running:
            self.start_broker()
        if not self.worker.running:
            self.start_worker()


# What happens after each batch; the next batch runs in the state it leaves.
SCHEDULE = [
    ["kill_worker"],  # batch 2: tasks wait in Redis with no worker
    # A new worker dies in the middle of that backlog, holding leased rows
    # and unacknowledged messages.
    ["start_worker_and_kill_it_at_work", "start_worker"],
    ["stop_broker"],  # batch 4: every publish fails
    ["start_broker"],
    ["kill_worker"],  # batch 6: tasks wait in Redis with no worker ...
    ["stop_broker", "start_broker", "start_worker"],  # ... and vanish with it
    ["kill_worker", "stop_broker"],  # batch 8: nothing runs
    ["start_broker", "start_worker"],
    ["kill_worker"],
    # One pool process dies mid-task: the main process rejects the task
    # back to the queue (reject_on_worker_lost) and forks a new one.
    ["start_worker_and_kill_a_child_at_work"],
]


@pytest.fixture
def chaos(tmp_path, settings):
    mail_dir = tmp_path / "var" / "mail"
    # The sweeps in this process deliver like the worker: files, same lease.
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = mail_dir
    settings.NOTIFICATION_LEASE_SECONDS = LEASE_SECONDS
    broker = RedisServer(tmp_path / "redis")
    worker = None
    try:
        broker.start()
        env = worker_env(
            database_url=database_url(connection.settings_dict),
            broker_url=broker.url,
            var_dir=tmp_path / "var",
            NOTIFICATION_LEASE_SECONDS=LEASE_SECONDS,
        )
        worker = Worker(env, tmp_path / "logs", concurrency=2, pool="prefork")
        with publishing_to(current_app, broker.url):
            worker.start()
            try:
                yield Chaos(broker, worker, mail_dir)
            finally:
                # Publishes still queued here drain in milliseconds with the
                # broker up, seconds each without it.
                if not broker.running:
                    broker.start()
                dispatch._publisher.submit(lambda: None).result(timeout=60)
    finally:
        if worker is not None:
            worker.stop()
        broker.stop()


def register_policies(cast):
    return [
        workflow.register_policy(
            actor=cast.coordinator,
            project=cast.project,
            title=f"National Labour Migration Policy, part {number}",
            short_title=f"labour migration {number}",
            country="PK",
            lead_ministry=cast.ministry,
            required_supporters=[cast.bureau, cast.agency],
            drafters=[cast.drafter],
            reviewers=[cast.reviewer, cast.second_reviewer],
        )
        for number in range(POLICIES)
    ]


def transitions(policies, cast, walk):
    """300 steps, round robin over the policies, each its own transaction."""
    cycle = [
        ("submit_for_review", cast.drafter, ""),
        ("request_revision", cast.reviewer, "Section 4 needs the 2025 figures."),
        ("withdraw", cast.coordinator, "On hold until the census."),
        ("reopen", cast.coordinator, ""),
    ]
    for step in range(TRANSITIONS // POLICIES):
        name, actor, comment = cycle[step % len(cycle)]
        for policy in policies:

            def act(policy=policy, name=name, actor=actor, comment=comment):
                if name == "submit_for_review":
                    walk.upload(policy)  # the last version was sent back
                workflow.perform_transition(policy, name, actor=actor, comment=comment)

            yield act


def failed_publishes(caplog):
    return sum("the sweeper will" in record.getMessage() for record in caplog.records)


def settle(chaos, timeout):
    """Sweep, as beat would, until no row is pending; rows leased by a killed
    worker come back when their lease runs out."""

    def nothing_pending():
        if not chaos.worker.running:  # it must not have died on its own
            raise AssertionError(f"The worker died:\n{chaos.worker.log_text()[-3000:]}")
        chaos.swept += services.sweep(grace=datetime.timedelta(0))
        return not OutboxMessage.objects.filter(status=Status.PENDING).exists()

    wait_until(nothing_pending, timeout=timeout, interval=1, what="every outbox row to settle")


def test_no_notification_is_lost_when_workers_die_and_the_broker_restarts(
    chaos, cast, walk, caplog
):
    started = time.monotonic()
    policies = register_policies(cast)
    steps = list(transitions(policies, cast, walk))
    assert len(steps) == TRANSITIONS
    batch = TRANSITIONS // BATCHES

    for number, actions in enumerate(SCHEDULE):
        failed_before = failed_publishes(caplog)
        for act in steps[number * batch : (number + 1) * batch]:
            act()
        if not chaos.broker.running:
            # Keep the outage until a publish has met it (each takes seconds to fail).
            wait_until(
                lambda before=failed_before: failed_publishes(caplog) > before,
                timeout=15,
                what="a publish to fail",
            )
        for action in actions:
            getattr(chaos, action)()

    chaos.everything_up()
    dispatch._publisher.submit(lambda: None).result(timeout=120)
    settle(chaos, timeout=LEASE_SECONDS + 120)

    rows = OutboxMessage.objects.all()
    in_app_keys = set(rows.filter(channel="in_app").values_list("key", flat=True))
    email_keys = set(rows.filter(channel="email").values_list("key", flat=True))
    assert rows.count() > 2 * TRANSITIONS
    undelivered = rows.exclude(status=Status.DELIVERED).count()
    notes = set(Notification.objects.values_list("key", flat=True))
    # The unique key makes this 0 by construction; it is counted for the record.
    in_app_duplicates = (
        Notification.objects.values("key").annotate(n=Count("pk")).filter(n__gt=1).count()
    )
    sent = message_ids(chaos.mail_dir)
    wanted = {services.message_id(key) for key in email_keys}
    lost = undelivered + len(in_app_keys - notes) + len(wanted - set(sent))
    duplicate_emails = sum(count - 1 for count in sent.values())

    print(
        f"\n{TRANSITIONS} transitions, {rows.count()} outbox rows, "
        f"{chaos.worker_kills} worker kills, {chaos.killed_processes} pool processes killed, "
        f"{chaos.broker_restarts} broker restarts, {failed_publishes(caplog)} failed publishes, "
        f"{chaos.swept} rows delivered by the sweeper, "
        f"{time.monotonic() - started:.0f} s"
    )
    print(
        f"lost: {lost}, duplicate emails: {duplicate_emails} (crash window), "
        f"in-app duplicates: {in_app_duplicates}"
    )
    assert chaos.worker_kills >= 3
    assert chaos.broker_restarts >= 3
    assert lost == 0
    assert in_app_duplicates == 0
    assert notes == in_app_keys
    assert set(sent) == wanted  # no mail for a key that has no row
    assert duplicate_emails <= chaos.killed_processes
