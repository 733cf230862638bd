"""Withdrawing a version uploaded by mistake, before anyone acted on it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from workflow import audit, clock, permissions, rules
from workflow.exceptions import ConcurrentChange, TransitionBlocked
from workflow.locking import locked_policy, save_change
from workflow.models import AuditEntry, DocumentVersion, VersionWithdrawal
from workflow.search import index as search_index
from workflow.services import check_length


def withdraw_version(policy, *, actor, version, reason):
    """Mark ``version`` withdrawn, with ``reason``: the version before it is current again.

    Only the current version, in drafting, by a drafter or coordinator, and
    only while nobody acted on it (``workflow.rules.version_withdrawal``).
    The version and its file stay in the history, marked withdrawn.
    """
    reason = (reason or "").strip()
    with locked_policy(policy) as locked:
        if not permissions.may_view(locked, actor) or not permissions.may_withdraw_version(
            locked, actor
        ):
            raise PermissionDenied(
                _("Only the policy's drafters and coordinators may withdraw a version.")
            )
        if not isinstance(version, DocumentVersion) or version.policy_id != locked.pk:
            raise ConcurrentChange()
        reasons = rules.version_withdrawal(locked, version)
        if reasons:
            raise TransitionBlocked(*reasons)
        if not reason:
            raise ValidationError({"reason": _("Say why the version is withdrawn.")})
        check_length("reason", reason)
        withdrawal = VersionWithdrawal.objects.create(
            version=version, withdrawn_by=actor, withdrawn_at=clock.now(), reason=reason
        )
        save_change(locked)
        current = locked.current_version
        search_index.index_current(locked, current)
        audit.record(
            locked,
            actor=actor,
            action=AuditEntry.Action.WITHDRAW_VERSION,
            version=version,
            comment=reason,
            current=current.number if current else None,
        )
    return withdrawal
