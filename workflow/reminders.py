"""Reminders for steps that are overdue, and escalation when they go unanswered.

Run daily. Each overdue step (a review, an institution's support, an
endorsement) reminds whoever owes it once per period
(``REMINDER_PERIOD_DAYS``): the period is part of the outbox key, so a
second run on the same day, or a rerun after a crash, sends nothing new.
From the third period on, two reminders having gone unanswered, the
coordinators get a copy (an escalation), again once per period.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from policyflow.formats.dates import day
from workflow import notify
from workflow.models import AuditEntry, Membership, Policy

Role = Membership.Role
State = Policy.State
ESCALATE_FROM_PERIOD = 2  # the third reminder: two went unanswered


@dataclass
class Overdue:
    policy: Policy
    item: str  # what is owed, stable across days: part of the key
    task: str  # the step, as a sentence subject
    due: datetime.date
    owed_by: list
    version: object
    # The step the reminder asks for (notify.announce): the policy's state
    # by default, one institution's decision for support.
    asks: str | None = None


def overdue_steps(today):
    for policy in Policy.objects.filter(state=State.EXPERT_REVIEW, review_due__lt=today):
        version = policy.current_version
        reviewed = set(version.reviews.values_list("reviewer_id", flat=True))
        owed_by = [u for u in notify.audience(policy, notify.REVIEWERS) if u.pk not in reviewed]
        if owed_by:
            yield Overdue(
                policy,
                f"review-v{version.pk}",
                notify.worded(_("The review of version %(number)s"), {"number": version.number}),
                policy.review_due,
                owed_by,
                version,
            )
    for policy in Policy.objects.filter(state=State.INSTITUTIONAL_SUPPORT, support_due__lt=today):
        version = policy.current_version
        decided = set(version.supports.values_list("organization_id", flat=True))
        for organization in policy.required_supporters.exclude(pk__in=decided):
            owed_by = list(
                organization.memberships.filter(
                    role__in=[Role.INSTITUTION_MEMBER, Role.MINISTRY_ENDORSER],
                    user__is_active=True,
                ).values_list("user", flat=True)
            )
            yield Overdue(
                policy,
                f"support-v{version.pk}-o{organization.pk}",
                notify.worded(
                    _("%(organization)s's decision on version %(number)s"),
                    {"organization": organization.name, "number": version.number},
                ),
                policy.support_due,
                list(_users(owed_by)),
                version,
                asks=notify.support_step(organization),
            )
    waited = datetime.timedelta(days=settings.ENDORSEMENT_REMINDER_AFTER_DAYS)
    for policy in Policy.objects.filter(state=State.AWAITING_ENDORSEMENT):
        since = (
            policy.audit_entries.filter(action=AuditEntry.Action.COMPLETE_SUPPORT)
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
        )
        if since is None or timezone.localdate(since) + waited >= today:
            continue
        version = policy.current_version
        yield Overdue(
            policy,
            f"endorsement-v{version.pk}",
            notify.worded(_("The endorsement of version %(number)s"), {"number": version.number}),
            timezone.localdate(since) + waited,
            list(notify.audience(policy, notify.LEAD_MINISTRY)),
            version,
        )


def _users(ids):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk__in=ids)


def send_reminders(today=None):
    """Remind and escalate for every overdue step; return the outbox rows written."""
    today = today or timezone.localdate()
    written = []
    for step in overdue_steps(today):
        period = (today - step.due).days // settings.REMINDER_PERIOD_DAYS
        facts = {"task": step.task, "due": lazy(day, str)(step.due)}
        written += notify.announce(
            step.policy,
            "reminder",
            occurrence=f"{step.item}:p{period}",
            people=step.owed_by,
            version=step.version,
            asks=step.asks,
            **facts,
        )
        if period >= ESCALATE_FROM_PERIOD:
            written += notify.announce(
                step.policy,
                "escalation",
                occurrence=f"{step.item}:p{period}",
                people=notify.recipients(step.policy, "escalation"),
                version=step.version,
                asks=step.asks,
                **facts,
            )
    return written
