"""System checks of policyflow's own settings (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Warning, register


@register("tasks", deploy=True)
def tasks_leave_the_request(app_configs, **kwargs):
    """Production runs its tasks in a worker, not inside the request that queues them.

    Without a broker every task runs in-process (the embedded default, for
    a laptop): a request that notifies someone then waits on the SMTP
    server, and a slow mail server slows every page that sends mail.
    Only settings are read; nothing connects to the broker.
    """
    if settings.DEBUG or settings.CELERY_BROKER_URL:
        return []
    return [
        Warning(
            "CELERY_BROKER_URL is not set while DEBUG is off: every task runs inside "
            "the request that queues it, emails sent over SMTP included.",
            hint="Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) and run a "
            "Celery worker and beat.",
            id="policyflow.W001",
        )
    ]


@register("caches", deploy=True)
def rate_limits_are_shared(app_configs, **kwargs):
    """Production counts the API's rate limits in one cache for every process.

    Without ``CACHE_URL`` each gunicorn worker keeps its own counts in its
    own memory, so a token may make the allowed number of requests once per
    worker. Only settings are read; nothing connects to the cache.
    """
    if settings.DEBUG or settings.CACHE_URL:
        return []
    return [
        Warning(
            "CACHE_URL is not set while DEBUG is off: each web process counts the API's "
            "rate limits on its own.",
            hint="Set CACHE_URL (e.g. redis://127.0.0.1:6379/1).",
            id="policyflow.W002",
        )
    ]
