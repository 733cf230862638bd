"""The Celery application. Configuration lives in settings (CELERY_*)."""

import os

from celery import Celery
from celery.signals import task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policyflow.settings")

app = Celery("policyflow")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def close_old_connections(sender=None, task=None, **kwargs):
    """Honour CONN_MAX_AGE and connection health checks in workers, as requests do."""
    if not getattr(task.request, "is_eager", False):
        from django.db import close_old_connections as close

        close()
