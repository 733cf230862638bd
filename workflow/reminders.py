"""Reminders for steps that are overdue, and escalation when they go unanswered.

Run daily. Each overdue step (a review, an institution's support, an
endorsement) reminds whoever owes it once per period
(``REMINDER_PERIOD_DAYS``): the period is part of the outbox key, so a
second run on the same day, or a rerun after a crash, sends nothing new.
From the third period on, two reminders having gone unanswered, the
coordinators get a copy (an escalation), again once per period. Who owes
a step is ``workflow.obligations``' to say, as for the dashboard.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from policyflow.formats.dates import day
from workflow import notify, obligations
from workflow.models import Policy

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
    """Every step overdue on ``today``, with whoever owes it (``workflow.obligations``)."""
    reviews = obligations.reviews_owed().filter(policy__review_due__lt=today, review_given=False)
    for policy in Policy.objects.filter(pk__in=reviews.values("policy")):
        owed_by = list(obligations.owing_review(policy).order_by("pk"))
        version = policy.current_version
        yield Overdue(
            policy,
            f"review-v{version.pk}",
            notify.worded(_("The review of version %(number)s"), {"number": version.number}),
            policy.review_due,
            owed_by,
            version,
        )
    supports = obligations.supports_owed().filter(policy__support_due__lt=today)
    for pair in supports.select_related("policy", "organization").order_by(
        "policy__country", "policy__short_title", "organization__name"
    ):
        policy, organization = pair.policy, pair.organization
        version = policy.current_version
        yield Overdue(
            policy,
            f"support-v{version.pk}-o{organization.pk}",
            notify.worded(
                _("%(organization)s's decision on version %(number)s"),
                {"organization": organization.name, "number": version.number},
            ),
            policy.support_due,
            list(obligations.owing_support(policy, organization).order_by("pk")),
            version,
            asks=notify.support_step(organization),
        )
    for policy in obligations.endorsements_owed():
        due = obligations.endorsement_due(policy.support_completed_at)
        if due is None or due >= today:
            continue
        version = policy.current_version
        yield Overdue(
            policy,
            f"endorsement-v{version.pk}",
            notify.worded(_("The endorsement of version %(number)s"), {"number": version.number}),
            due,
            list(obligations.owing_endorsement(policy).order_by("pk")),
            version,
        )


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
