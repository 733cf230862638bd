"""Notification delivery through real workers, beside a no-op task baseline.

    .venv/bin/python bench/notifications_bench.py

One ``celery worker --concurrency 2`` (two prefork processes) serves both:
(a) baseline: 2,000 no-op tasks, published one by one;
(b) 2,000 notifications, each in the app and by email (the file backend),
    written to the outbox in one transaction and published after commit
    as production does, one delivery task per notification: the same
    number of tasks as (a), each doing a delivery's work;
(c) the same 2,000 notifications as transitions publish them: one task
    per event for its recipients, 3 on average.
A rate is items per second from the first publish to the last completion
(a Redis counter for (a), delivered outbox rows for (b) and (c)); target:
(b) at least 50 % of (a). The script makes its own PostgreSQL database and
redis-server on 127.0.0.1 and removes both, whatever happens.
"""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import redis
from celery import shared_task

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOTIFICATIONS = 2_000
RECIPIENTS = 100
# Recipients per event in (c): a policy's way to endorsement notifies 21
# people over 8 events in the event table (upload 3, submit 3, clear 4,
# two supports 1 each, all support in 2, endorse 7).
FAN_OUT = 3
WARM_UP = 40
TARGET = 0.5
TIMEOUT = 300  # seconds any one phase may take before the run is called failed
POSTGRES = "postgres://postgres@127.0.0.1:5432"
NOOP_COUNTER = "bench:noop:done"

_counter = None


@shared_task(name="bench.noop", acks_late=True, reject_on_worker_lost=True)
def noop():
    """Does nothing but say it is done, so that the bench sees when the last one is."""
    global _counter
    if _counter is None:
        _counter = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"], socket_timeout=3)
    _counter.incr(NOOP_COUNTER)


def create_database(name):
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')


def drop_database(name):
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def recipients():
    from django.contrib.auth import get_user_model

    users = get_user_model()
    users.objects.bulk_create(
        users(username=f"person{n}", first_name="Person", email=f"person{n}@example.org")
        for n in range(RECIPIENTS)
    )
    return list(users.objects.order_by("pk"))


def write_and_publish(people, first, count, per_event):
    """Enqueue ``count`` notifications, ``per_event`` to an event, in one
    transaction; return the commit time.

    The outbox rows and their publish callbacks are made inside it; the
    publishes start at commit, from the background publisher, as after a
    real transition.
    """
    from django.db import transaction

    from notifications import services

    with transaction.atomic():
        for number in range(first, first + count, per_event):
            services.enqueue(
                "submitted_for_review",
                # Consecutive numbers: no two events in flight share a recipient.
                recipients=[
                    people[n % len(people)]
                    for n in range(number, min(number + per_event, first + count))
                ],
                key=f"bench:{number}",
                link=f"http://127.0.0.1:8000/policies/{number}/",
                context={
                    "headline": "Review requested",
                    "sentence": f"Version {number} is ready for review.",
                    "policy_title": "National Comprehensive Migration Policy",
                    "country": "Afghanistan",
                    "version_number": number,
                    "actor_name": "Farid Karimi",
                    "comment": "",
                },
            )
        started = time.time()
    return started


def delivered_rows():
    from notifications.models import OutboxMessage

    return OutboxMessage.objects.filter(status=OutboxMessage.Status.DELIVERED).count()


def last_delivery():
    from django.db.models import Max

    from notifications.models import OutboxMessage

    return OutboxMessage.objects.aggregate(last=Max("delivered_at"))["last"].timestamp()


def run_noops(broker, count):
    """Publish ``count`` no-op tasks; return the seconds until the last has run."""
    from celery import current_app

    from tests.notifications.workers import wait_until

    broker.set(NOOP_COUNTER, 0)
    started = time.perf_counter()
    for _ in range(count):
        current_app.send_task("bench.noop")
    wait_until(
        lambda: int(broker.get(NOOP_COUNTER) or 0) >= count,
        timeout=TIMEOUT,
        interval=0.002,
        what=f"{count} no-op tasks",
    )
    return time.perf_counter() - started


def run_notifications(people, first, count, per_event=1):
    """Deliver ``count`` notifications (two outbox rows each); return the seconds taken."""
    from tests.notifications.workers import wait_until

    expected = delivered_rows() + 2 * count
    started = write_and_publish(people, first, count, per_event)
    # Polling slowly keeps the database free for the workers; the end is
    # read from the rows afterwards (the same clock: this machine's).
    wait_until(
        lambda: delivered_rows() >= expected,
        timeout=TIMEOUT,
        interval=0.25,
        what=f"{count} notifications",
    )
    return last_delivery() - started


def check_deliveries(mail_dir):
    """Everything delivered exactly once: one inbox entry and one email per key."""
    from notifications import services
    from notifications.models import Notification, OutboxMessage
    from tests.notifications.workers import message_ids

    rows = OutboxMessage.objects.all()
    email_keys = rows.filter(channel="email").values_list("key", flat=True)
    in_app_keys = rows.filter(channel="in_app").values_list("key", flat=True)
    sent = message_ids(mail_dir)
    problems = []
    if rows.exclude(status=OutboxMessage.Status.DELIVERED).exists():
        problems.append("some outbox rows are not delivered")
    if set(Notification.objects.values_list("key", flat=True)) != set(in_app_keys):
        problems.append("the inbox does not match the in-app rows")
    if sent != {services.message_id(key): 1 for key in email_keys}:
        problems.append("the emails do not match the email rows one to one")
    return problems


def main():
    from tests.notifications.workers import RedisServer, Worker, worker_env

    # Undone in reverse order, each step even if another fails.
    with contextlib.ExitStack() as cleanup:
        scratch = Path(tempfile.mkdtemp(prefix="policyflow-notify-bench-"))
        cleanup.callback(shutil.rmtree, scratch, ignore_errors=True)
        database = f"policyflow_bench_{uuid.uuid4().hex[:8]}"
        create_database(database)
        cleanup.callback(drop_database, database)
        broker = RedisServer(scratch / "redis")
        cleanup.callback(broker.stop)
        broker.start()

        env = worker_env(
            database_url=f"{POSTGRES}/{database}", broker_url=broker.url, var_dir=scratch / "var"
        )
        os.environ.update(env)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        import django
        from django.db import connections

        django.setup()
        cleanup.callback(connections.close_all)
        people = recipients()
        worker = Worker(
            env,
            scratch / "logs",
            concurrency=2,
            pool="prefork",
            extra_args=["--include", "bench.notifications_bench"],
        )
        cleanup.callback(worker.stop)
        worker.start()

        print(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
        print("Workers: 2 prefork processes; PostgreSQL and a private redis-server on 127.0.0.1")
        # Warm both paths: imports, database connections, the first mail file.
        run_noops(broker.client(), WARM_UP)
        run_notifications(people, 0, WARM_UP)
        baseline = run_noops(broker.client(), NOTIFICATIONS)
        one_each = run_notifications(people, WARM_UP, NOTIFICATIONS)
        fanned_out = run_notifications(people, WARM_UP + NOTIFICATIONS, NOTIFICATIONS, FAN_OUT)
        problems = check_deliveries(scratch / "var" / "mail")
        return report(baseline, one_each, fanned_out, problems)


def report(baseline, one_each, fanned_out, problems):
    base_rate = NOTIFICATIONS / baseline
    ratio = baseline / one_each
    print()
    print(f"{'measure':<62}{'figure':>10}{'target':>10}")
    lines = [
        (f"(a) baseline: {NOTIFICATIONS:,} no-op tasks", baseline, "tasks"),
        (f"(b) {NOTIFICATIONS:,} notifications, one task each", one_each, "notif."),
        (f"(c) {NOTIFICATIONS:,} notifications, {FAN_OUT} to a task", fanned_out, "notif."),
    ]
    for label, seconds, unit in lines:
        print(f"{f'{label} in {seconds:.2f} s':<62}{NOTIFICATIONS / seconds:>6.0f} /s  ({unit})")
    print(f"{'    (b) to (a)':<62}{ratio:>10.0%}{f'>= {TARGET:.0%}':>10}")
    print(f"{'    (c) to (a)':<62}{NOTIFICATIONS / fanned_out / base_rate:>10.0%}")
    for problem in problems:
        print(f"    PROBLEM: {problem}")
    met = ratio >= TARGET and not problems
    print("\nAll targets met." if met else "\nSome targets NOT met.")
    return met


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
