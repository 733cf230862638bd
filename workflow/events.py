"""Work that follows a committed change, run by name so the apps stay apart.

``workflow`` never imports the apps that react to it: the endorse service
names the task that makes the endorsement record, and the task is found
by that name. With a broker the task is queued; without one (the embedded
default) it runs in this process. Either way it runs only once the change
is committed, and a periodic sweep catches what was not done then.
"""

import logging

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def run_after_commit(task_name, *args):
    def run_task():
        _run(task_name, args)

    transaction.on_commit(run_task, robust=True)


def _run(task_name, args):
    if current_app.conf.task_always_eager:
        current_app.tasks[task_name].apply(args=args, throw=True)
    else:
        try:
            current_app.send_task(task_name, args=args)
        except Exception:  # the broker is down: the periodic sweep will do it
            logger.warning("Could not queue %s%r; the sweep will retry.", task_name, args)
