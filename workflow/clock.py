"""The time the services write down.

Services stamp what they record (audit entries, decisions, versions,
outbox rows) with ``now()`` and check dates against ``today()``. Both are
the real time, except inside ``at(moment)``, which sets the time written
for a stretch of code: the demo builds a history that happened over
months, through the same services, this way. Pages and workers never set
it.
"""

import contextvars
from contextlib import contextmanager

from django.utils import timezone

_moment = contextvars.ContextVar("policyflow_clock", default=None)


def now():
    """The aware datetime to record as the moment of a change."""
    return _moment.get() or timezone.now()


def today():
    """The local date of ``now()``."""
    return timezone.localdate(now())


@contextmanager
def at(moment):
    """Record everything done in this block as done at ``moment`` (an aware datetime)."""
    if timezone.is_naive(moment):
        raise ValueError("The clock takes an aware datetime.")
    token = _moment.set(moment)
    try:
        yield moment
    finally:
        _moment.reset(token)
