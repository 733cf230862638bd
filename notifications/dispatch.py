"""Publishing delivery tasks after commit, without a request ever waiting on Redis.

Without a broker (the embedded default) delivery runs in this process
once the transaction commits. With one, the task is published from a
background thread: if Redis is down or slow, the request has long
returned, and the sweeper delivers the rows later.
"""

import logging
from concurrent.futures import ThreadPoolExecutor

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)
DELIVER_TASK = "notifications.deliver_outbox"

_publisher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-publish")


def deliver_after_commit(keys):
    def publish():
        if current_app.conf.task_always_eager:
            current_app.tasks[DELIVER_TASK].apply(args=[keys])
        else:
            _publisher.submit(_publish, keys)

    transaction.on_commit(publish, robust=True)


def _publish(keys):
    try:
        current_app.send_task(DELIVER_TASK, args=[keys], retry=False)
    except Exception as error:  # the broker is down: the sweeper delivers later
        logger.warning("Could not publish outbox delivery (%s); the sweeper will.", error)
