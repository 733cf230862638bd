"""Refusals a user can cause. Each carries a message written for that user.

``django.core.exceptions.PermissionDenied`` (the actor may not) and
``ValidationError`` (bad input) complete the set; pages, admin and
commands turn all of them into a form error or a 4xx, through one mapping.
"""

from django.utils.translation import gettext_lazy as _


class WorkflowError(Exception):
    """Base for refusals raised by the workflow services."""

    default_message = _("This action is not possible.")

    def __init__(self, *reasons):
        self.reasons = [str(r) for r in reasons] or [str(self.default_message)]
        super().__init__("; ".join(self.reasons))


class TransitionBlocked(WorkflowError):
    """The policy is not in a state, or not in a condition, that allows the action.

    ``reasons`` lists every unmet condition, each a sentence such as
    "Bureau of Emigration and Overseas Employment has not recorded support
    on version 3".
    """

    default_message = _("This action is not possible in the policy's current state.")


class ConcurrentChange(WorkflowError):
    """Someone changed the policy after the actor loaded it."""

    default_message = _(
        "This policy was changed by someone else in the meantime. Reload it and try again."
    )


class ImmutableRecord(Exception):
    """Raised when code tries to change or delete a record that is append-only."""


class OutsideService(RuntimeError):
    """A policy or its record was written without going through a service."""
