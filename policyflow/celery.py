"""The Celery application. Configuration lives in settings (CELERY_*).

Two additions to the worker, both about losing the broker:

- ``Consumer`` reconnects at least every ``RECONNECT_MAX_SECONDS`` (kombu
  otherwise backs off to 30 s between attempts) and says so once: Celery
  warns that the connection was lost, the retries are logged at debug level
  instead of as one ERROR each.
- ``SweepOnConnect`` asks for an outbox sweep each time the worker has
  (re)connected: what was not published, or vanished with the broker, is
  delivered as soon as the broker is back, not at the next beat.
"""

import logging
import os

from celery import Celery, bootsteps
from celery.signals import task_prerun
from celery.worker.consumer import Consumer as CeleryConsumer

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policyflow.settings")

logger = logging.getLogger(__name__)
RECONNECT_MAX_SECONDS = 2
SWEEP_TASK = "notifications.sweep_outbox"

app = Celery("policyflow")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class Consumer(CeleryConsumer):
    def ensure_connected(self, conn):
        ensure = conn.ensure_connection
        first = self.first_connection_attempt

        def ensure_connection(errback, max_retries, **options):
            failures = 0

            def on_error(exc, interval):
                nonlocal failures
                failures += 1
                # A lost connection was announced already; a first one was not.
                log = logger.warning if first and failures == 1 else logger.debug
                log(
                    "Cannot reach the broker at %s (%s); retrying until it is back.",
                    conn.as_uri(),
                    exc,
                )

            options.update(interval_start=1, interval_step=1, interval_max=RECONNECT_MAX_SECONDS)
            return ensure(on_error, max_retries, **options)

        conn.ensure_connection = ensure_connection
        return super().ensure_connected(conn)


class SweepOnConnect(bootsteps.StartStopStep):
    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, consumer):
        try:
            consumer.app.send_task(SWEEP_TASK, kwargs={"grace_seconds": 0}, retry=False)
        except Exception as error:  # the broker went again; the next connect sweeps
            logger.warning("Could not ask for an outbox sweep (%s).", error)


app.steps["consumer"].add(SweepOnConnect)


@task_prerun.connect
def close_old_connections(sender=None, task=None, **kwargs):
    """Honour CONN_MAX_AGE and connection health checks in workers, as requests do."""
    if not getattr(task.request, "is_eager", False):
        from django.db import close_old_connections as close

        close()
