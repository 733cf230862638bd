"""Running tasks after commit, by name, without a request ever waiting on Redis.

Without a broker (the embedded default) the task runs in this process
once the transaction commits. With one, it is published from a
background thread: if Redis is down or slow, the request has long
returned, and a periodic sweep does the work later (the outbox sweeper,
the endorsement-record sweep). Tasks are named, not imported, so an app
can start another's work without depending on it.
"""

import logging
import time
from concurrent.futures import ThreadPoolExecutor

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)
DELIVER_TASK = "notifications.deliver_outbox"
SWEEP_TASK = "notifications.sweep_outbox"

_publisher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-publish")
# After a failed publish, publishing pauses this long: each attempt on a
# hung broker costs seconds. The first publish that works again also asks
# for a sweep, for the rows left unpublished meanwhile.
PAUSE_AFTER_FAILURE = 5.0
_paused_until = 0.0
_missed = False


def run_after_commit(task_name, *args):
    def run():
        if current_app.conf.task_always_eager:
            current_app.tasks[task_name].apply(args=args, throw=True)
        else:
            _publisher.submit(_publish, task_name, args)

    transaction.on_commit(run, robust=True)


def deliver_after_commit(keys):
    run_after_commit(DELIVER_TASK, keys)


def _publish(task_name, args):
    global _paused_until, _missed
    if time.monotonic() < _paused_until:
        logger.info("The broker failed a moment ago; the sweeper will do %s.", task_name)
        return
    try:
        current_app.send_task(task_name, args=args, retry=False)
        if _missed:
            current_app.send_task(SWEEP_TASK, kwargs={"grace_seconds": 0}, retry=False)
            _missed = False
    except Exception as error:  # the broker is down: a sweep does it later
        _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE
        _missed = True
        logger.warning("Could not publish %s (%s); the sweeper will.", task_name, error)


def resume_publishing():
    """Forget a recent failure: the next publish is tried at once."""
    global _paused_until, _missed
    _paused_until = 0.0
    _missed = False
