"""Only the services write a policy and its record.

The services run their writes inside ``service_write()``. Outside it, the
models refuse: a transition method called from a shell, a ``save()`` of a
policy, a bulk ``update()``, a new review, support, endorsement, version or
audit row, or a change to a policy's assignments. A change that skipped
the services would have skipped their permission checks and their audit
row; this makes it fail loudly instead.
"""

import contextvars
from contextlib import contextmanager

from workflow.exceptions import OutsideService

_in_service = contextvars.ContextVar("policyflow_service_write", default=False)


@contextmanager
def service_write():
    token = _in_service.set(True)
    try:
        yield
    finally:
        _in_service.reset(token)


def ensure_service_write(what):
    if not _in_service.get():
        raise OutsideService(
            f"{what} must go through workflow.services or documents.services, "
            "which check permissions and write the audit log."
        )


def refuse_assignment_change_outside_services(sender, instance, action, **kwargs):
    """m2m_changed receiver for the policy's assignments (connected in apps.py)."""
    if action in ("pre_add", "pre_remove", "pre_clear"):
        ensure_service_write("Changing a policy's assignments")
