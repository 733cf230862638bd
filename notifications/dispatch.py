"""Publishing delivery tasks after commit, without a request ever waiting on Redis.

Without a broker (the embedded default) delivery runs in this process
once the transaction commits. With one, the task is published from a
background thread: if Redis is down or slow, the request has long
returned, and the sweeper delivers the rows later.
"""

import logging
import time
from concurrent.futures import ThreadPoolExecutor

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)
DELIVER_TASK = "notifications.deliver_outbox"

_publisher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-publish")
# After a failed publish, publishing pauses this long: each attempt on a
# dead broker costs seconds, and the sweeper delivers those rows anyway.
PAUSE_AFTER_FAILURE = 30.0
_paused_until = 0.0


def deliver_after_commit(keys):
    def publish():
        if current_app.conf.task_always_eager:
            current_app.tasks[DELIVER_TASK].apply(args=[keys])
        else:
            _publisher.submit(_publish, keys)

    transaction.on_commit(publish, robust=True)


def _publish(keys):
    global _paused_until
    if time.monotonic() < _paused_until:
        logger.info("The broker failed a moment ago; the sweeper will deliver these.")
        return
    try:
        current_app.send_task(DELIVER_TASK, args=[keys], retry=False)
    except Exception as error:  # the broker is down: the sweeper delivers later
        _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE
        logger.warning("Could not publish outbox delivery (%s); the sweeper will.", error)


def resume_publishing():
    """Forget a recent failure: the next publish is tried at once."""
    global _paused_until
    _paused_until = 0.0
