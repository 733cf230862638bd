"""Celery tasks of the notifications app. They only call services."""

from celery import shared_task

from notifications import services


@shared_task(name="notifications.deliver_outbox", acks_late=True, reject_on_worker_lost=True)
def deliver_outbox(keys):
    return services.deliver(keys=keys, limit=len(keys) or 1)


@shared_task(name="notifications.sweep_outbox", acks_late=True, reject_on_worker_lost=True)
def sweep_outbox():
    return services.sweep()
