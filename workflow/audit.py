"""Writing the audit log. Services call ``record`` inside their transaction."""

from workflow import clock
from workflow.models import AuditEntry


def record(
    policy, *, actor, action, from_state="", to_state="", version=None, comment="", **details
):
    """Append one audit row; ``to_state`` defaults to the policy's state now."""
    return AuditEntry.objects.create(
        policy=policy,
        actor=actor,
        action=action,
        from_state=from_state or policy.state,
        to_state=to_state or policy.state,
        version=version,
        comment=comment,
        details=details,
        at=clock.now(),
    )
