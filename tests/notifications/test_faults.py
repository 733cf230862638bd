"""Nothing is lost when workers die and the broker restarts under load;
what a fault delays comes back within seconds.

300 transitions are fired in ten batches. Between batches the worker's pool
processes, or the whole worker, are SIGKILLed and restarted, and the
broker (a redis-server of this test's own, without persistence) is shut
down and started again on the same port, so queued delivery tasks vanish
and publishes fail. Then everything is started again and the sweeper does
what beat does every minute in production. The outcome must be: every
outbox row delivered; one in-app notification per key; one email per key,
except where a killed process had sent a mail and not yet marked its row
(the crash window, at most one per killed process).

The tests after it take one fault at a time, measure how long after it
ends the outbox is delivered, and print the figure: a broker outage, a
delivery killed or cut from its database half-way, a whole worker killed.
"""

import contextlib
import datetime
import re
import time

import pytest
from celery import current_app
from django.db import connection
from django.db.models import Count

from notifications import dispatch, services
from notifications.models import Notification, OutboxMessage
from tests.notifications.workers import (
    Beat,
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
# Short leases so that rows held by a killed worker come back quickly;
# the later tests run with the production default.
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


# One fault at a time ------------------------------------------------------------

HELD_MAIL_BACKEND = "tests.notifications.held_mail.EmailBackend"
LEVEL = re.compile(r"^\[[^\]]*: (\w+)/", re.MULTILINE)


class Parts:
    """A private broker, a worker whose mail can be held mid-delivery, maybe beat."""

    def __init__(self, tmp_path):
        self.mail_dir = tmp_path / "var" / "mail"
        self.hold = tmp_path / "hold-mail"
        self.broker = RedisServer(tmp_path / "redis")
        self.env = worker_env(
            database_url=database_url(connection.settings_dict),
            broker_url=self.broker.url,
            var_dir=tmp_path / "var",
            EMAIL_BACKEND=HELD_MAIL_BACKEND,
            HOLD_MAIL=self.hold,
        )
        self.worker = Worker(self.env, tmp_path / "logs", concurrency=2)
        self.beat = Beat(self.env, tmp_path / "beat")

    def hold_mail(self):
        self.hold.touch()

    def release_mail(self):
        self.hold.unlink()

    def claimed_and_held(self):
        """Wait until a delivery has leased the email rows and stopped at the first one."""
        emails = OutboxMessage.objects.filter(channel="email", status=Status.PENDING)
        wait_until(
            lambda: (
                emails.exists()
                and not emails.filter(lease_until__isnull=True).exists()
                and not OutboxMessage.objects.filter(
                    channel="in_app", status=Status.PENDING
                ).exists()
            ),
            timeout=30,
            what=lambda: f"a delivery to hold its emails:\n{self.worker.log_text()[-3000:]}",
        )
        time.sleep(0.5)  # well inside the first send
        return list(emails.values_list("pk", flat=True))

    def delivered_after(self, started, timeout):
        """Seconds from ``started`` until no row is pending."""
        wait_until(
            lambda: not OutboxMessage.objects.filter(status=Status.PENDING).exists(),
            timeout=timeout,
            interval=0.1,
            what=lambda: f"the outbox to be delivered:\n{self.worker.log_text()[-3000:]}",
        )
        return time.monotonic() - started


@pytest.fixture
def parts(tmp_path, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "var" / "mail"
    parts = Parts(tmp_path)
    try:
        parts.broker.start()
        with publishing_to(current_app, parts.broker.url):
            parts.worker.start()
            try:
                yield parts
            finally:
                if not parts.broker.running:
                    parts.broker.start()
                dispatch._publisher.submit(lambda: None).result(timeout=60)
    finally:
        with contextlib.suppress(FileNotFoundError):
            parts.release_mail()
        parts.beat.stop()
        parts.worker.stop()
        parts.broker.stop()


def notify_four_times(policy, cast, walk):
    walk.upload(policy)
    workflow.perform_transition(policy, "submit_for_review", actor=cast.drafter)
    workflow.perform_transition(policy, "request_revision", actor=cast.reviewer, comment="More.")
    workflow.perform_transition(policy, "withdraw", actor=cast.coordinator, comment="On hold.")
    workflow.perform_transition(policy, "reopen", actor=cast.coordinator)


def submit_with_mail_held(parts, policy, cast, walk):
    """One delivery (the submission's) stops at its first email."""
    walk.upload(policy)
    parts.delivered_after(time.monotonic(), timeout=30)
    parts.hold_mail()
    workflow.perform_transition(policy, "submit_for_review", actor=cast.drafter)


def assert_each_delivered_once(parts, *, crash_window=0):
    rows = OutboxMessage.objects.all()
    assert set(rows.values_list("status", flat=True)) == {Status.DELIVERED}
    assert set(Notification.objects.values_list("key", flat=True)) == set(
        rows.filter(channel="in_app").values_list("key", flat=True)
    )
    sent = message_ids(parts.mail_dir)
    wanted = {
        services.message_id(key)
        for key in rows.filter(channel="email").values_list("key", flat=True)
    }
    assert set(sent) == wanted
    assert sum(count - 1 for count in sent.values()) <= crash_window
    return sent


def test_a_broker_outage_logs_one_warning_and_its_backlog_goes_out_when_it_returns(
    parts, cast, new_policy, walk, caplog
):
    log_before = len(parts.worker.log_text())
    parts.broker.stop()
    wait_until(
        lambda: "Connection to broker lost" in parts.worker.log_text()[log_before:],
        timeout=15,
        what="the worker to notice",
    )

    notify_four_times(new_policy, cast, walk)
    dispatch._publisher.submit(lambda: None).result(timeout=60)
    assert failed_publishes(caplog) >= 1
    pending = OutboxMessage.objects.filter(status=Status.PENDING).count()
    time.sleep(10)  # the worker keeps trying meanwhile
    parts.broker.start()
    back = time.monotonic()
    after = parts.delivered_after(back, timeout=60)

    print(f"\nbroker outage: {pending} rows delivered {after:.1f} s after the broker was back")
    assert pending > 10
    assert_each_delivered_once(parts)
    log = parts.worker.log_text()[log_before:]
    levels = LEVEL.findall(log)
    assert levels.count("WARNING") == 1, log
    assert "ERROR" not in levels, log
    assert "CRITICAL" not in levels, log
    assert "Traceback" not in log
    assert "DeprecationWarning" not in log


def test_a_delivery_killed_half_way_gives_its_rows_back_at_once(parts, cast, new_policy, walk):
    submit_with_mail_held(parts, new_policy, cast, walk)
    held = parts.claimed_and_held()

    assert parts.worker.kill_pool() == 2
    killed = time.monotonic()
    parts.release_mail()
    after = parts.delivered_after(killed, timeout=60)

    print(f"\nkilled delivery: its {len(held)} emails delivered {after:.1f} s after the kill")
    assert_each_delivered_once(parts)
    interrupted = OutboxMessage.objects.filter(pk__in=held)
    assert set(interrupted.values_list("attempts", "last_error")) == {(1, services.INTERRUPTED)}
    assert parts.worker.running


def test_a_delivery_cut_from_its_database_gives_its_rows_back_at_once(
    parts, cast, new_policy, walk
):
    submit_with_mail_held(parts, new_policy, cast, walk)
    held = parts.claimed_and_held()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchone()[0] >= 1
    cut = time.monotonic()
    parts.release_mail()
    after = parts.delivered_after(cut, timeout=60)

    print(f"\ncut connection: its {len(held)} emails delivered {after:.1f} s after the cut")
    # The email being sent when the connection went is sent again (the crash window).
    assert_each_delivered_once(parts, crash_window=1)
    interrupted = OutboxMessage.objects.filter(pk__in=held)
    assert set(interrupted.values_list("attempts", "last_error")) == {(1, services.INTERRUPTED)}


def test_a_worker_killed_half_way_has_its_rows_swept_after_one_lease(
    parts, cast, new_policy, walk, settings
):
    parts.beat.start()
    submit_with_mail_held(parts, new_policy, cast, walk)
    held = parts.claimed_and_held()

    parts.worker.kill()  # main process and pool: its message stays unacknowledged
    killed = time.monotonic()
    parts.release_mail()
    parts.worker.start()  # as supervisord or Docker would
    after = parts.delivered_after(killed, timeout=settings.NOTIFICATION_LEASE_SECONDS + 60)

    print(
        f"\nkilled worker: its {len(held)} emails delivered {after:.1f} s after the kill "
        f"(lease {settings.NOTIFICATION_LEASE_SECONDS} s, sweep every "
        f"{settings.CELERY_BEAT_SCHEDULE['sweep-outbox']['schedule']:.0f} s)"
    )
    assert_each_delivered_once(parts)
    interrupted = OutboxMessage.objects.filter(pk__in=held)
    assert set(interrupted.values_list("attempts", "last_error")) == {(1, services.INTERRUPTED)}
