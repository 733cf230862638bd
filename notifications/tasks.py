"""Celery tasks of the notifications app. They only call services.

Both acknowledge their message only once done (``acks_late``), and a pool
process killed mid-task puts it back in the queue
(``reject_on_worker_lost``): the task then runs again under the same id and
takes back the rows it had leased. A database error (the connection was
cut) retries it the same way, after a short pause.
"""

import datetime

from celery import shared_task
from django.db import DatabaseError

from notifications import services

RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": False,
    "max_retries": 6,
}


@shared_task(
    name="notifications.deliver_outbox",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    **RETRY,
)
def deliver_outbox(self, keys):
    return services.deliver(keys=keys, limit=len(keys) or 1, owner=self.request.id or "")


@shared_task(
    name="notifications.sweep_outbox",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    **RETRY,
)
def sweep_outbox(self, grace_seconds=None):
    """Deliver what was left behind; ``grace_seconds=0`` takes even the newest rows
    (the broker is back, and whatever is pending was never published)."""
    grace = (
        services.SWEEP_GRACE if grace_seconds is None else datetime.timedelta(seconds=grace_seconds)
    )
    return services.sweep(grace=grace, owner=self.request.id or "")
