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


def protect_assignments(model, fields):
    """Refuse to delete what a policy's assignments name: a theme, a person, an organisation.

    Django deletes the rows of an auto-created through table with the
    object they point to, and sends no ``m2m_changed`` for them: deleting a
    drafter's account would unassign them from every policy, unaudited.
    Their foreign key to that far side becomes ``PROTECT`` here, so the
    delete raises ``ProtectedError`` (the admin lists the assignments that
    stand in the way) and the assignment is changed through the services
    first. The tables stay auto-created, so forms and the admin keep
    offering the choices; on_delete lives only in Python, so no migration.
    """
    from django.db.models import PROTECT

    for name in fields:
        field = model._meta.get_field(name)
        far_side = field.remote_field.through._meta.get_field(field.m2m_reverse_field_name())
        far_side.remote_field.on_delete = PROTECT
