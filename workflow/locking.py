"""Serialising writes to one policy.

Every service acts on a freshly locked copy of the policy row and refuses
when the policy moved since the caller loaded it: of two people acting at
once, exactly one wins and the other is told to reload.

"Moved" means its ``revision`` changed: a transition, a new version or new
details. Reviews and supports do not move it, so two institutions may
record their support at the same moment; the lock makes the second one
see the first, and exactly one of them completes the step.
"""

from contextlib import contextmanager

from django.db import transaction

from workflow import clock
from workflow.exceptions import ConcurrentChange
from workflow.guard import service_write
from workflow.models import Policy


@contextmanager
def locked_policy(policy):
    """Yield the policy row locked for this transaction.

    PostgreSQL takes a row lock (SELECT ... FOR UPDATE); SQLite ignores
    that clause, and its IMMEDIATE transactions (see settings) take the
    database's write lock at BEGIN instead. Once the transaction commits,
    the caller's instance gets the new state and revision (and forgets its
    current version); its other fields are as the caller loaded them.
    """
    with transaction.atomic(), service_write():
        locked = (
            Policy.objects.select_for_update(of=("self",))
            .select_related("project", "lead_ministry")
            .get(pk=policy.pk)
        )
        if locked.revision != policy.revision:
            raise ConcurrentChange()
        yield locked
    policy.refresh_from_db(fields=["state", "revision", "updated_at"])


def save_change(policy):
    """Save a change of state, version or details made under ``locked_policy``.

    Moving the revision on makes anyone still acting on the old picture
    of the policy get ``ConcurrentChange``.
    """
    policy.revision += 1
    policy.updated_at = clock.now()
    policy.save()
    # A new or withdrawn version changes which one is current.
    policy.__dict__.pop("current_version", None)
