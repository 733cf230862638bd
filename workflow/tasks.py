"""Celery tasks of the workflow app. They only call services."""

from celery import shared_task

from workflow import reminders


@shared_task(name="workflow.send_reminders")
def send_reminders():
    return len(reminders.send_reminders())
