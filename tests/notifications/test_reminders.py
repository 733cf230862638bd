"""Reminders: once per recipient, step and period; escalation after two unanswered."""

import datetime

import pytest

from notifications.models import OutboxMessage
from workflow import reminders, services
from workflow.models import Policy

pytestmark = pytest.mark.django_db
State = Policy.State
DUE = datetime.date(2026, 11, 1)


def reminded(event="reminder"):
    return sorted(
        OutboxMessage.objects.filter(event=event, channel="in_app").values_list(
            "recipient__username", flat=True
        )
    )


@pytest.fixture
def overdue_review(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    services.update_policy(policy, actor=cast.coordinator, review_due=DUE, backfill=True)
    services.record_review(policy, actor=cast.reviewer, decision="approved")
    return policy


def test_overdue_reviewers_are_reminded_once_per_period(overdue_review):
    day = DUE + datetime.timedelta(days=1)
    first = reminders.send_reminders(today=day)
    assert reminded() == ["reviewer2"]  # the other reviewer already reviewed
    assert len(first) == 2  # in-app and email

    # The daily task runs again, the same day and the next: nothing new.
    assert reminders.send_reminders(today=day) == []
    reminders.send_reminders(today=day + datetime.timedelta(days=1))
    assert reminded() == ["reviewer2"]

    # A new period, a new reminder.
    reminders.send_reminders(today=day + datetime.timedelta(days=7))
    assert reminded() == ["reviewer2", "reviewer2"]
    assert reminded("escalation") == []


def test_two_unanswered_reminders_escalate_to_the_coordinator(overdue_review):
    for week in range(3):
        reminders.send_reminders(today=DUE + datetime.timedelta(days=1 + 7 * week))
    assert reminded() == ["reviewer2"] * 3
    assert reminded("escalation") == ["coordinator"]
    reminders.send_reminders(today=DUE + datetime.timedelta(days=16))
    assert reminded("escalation") == ["coordinator"]


def test_institutions_without_a_decision_are_reminded(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    services.update_policy(policy, actor=cast.coordinator, support_due=DUE, backfill=True)
    services.record_review(policy, actor=cast.reviewer, decision="approved")
    services.perform_transition(policy, "clear_review", actor=cast.reviewer)
    services.record_support(
        policy, actor=cast.bureau_member, organization=cast.bureau, decision="supported"
    )
    reminders.send_reminders(today=DUE + datetime.timedelta(days=2))
    assert reminded() == ["agency"]


def test_a_long_wait_for_endorsement_reminds_the_ministry(policy_in, cast, settings):
    settings.ENDORSEMENT_REMINDER_AFTER_DAYS = 30
    policy_in(State.AWAITING_ENDORSEMENT)
    today = datetime.date.today()
    assert reminders.send_reminders(today=today) == []
    reminders.send_reminders(today=today + datetime.timedelta(days=31))
    assert reminded() == ["endorser"]
    body = OutboxMessage.objects.get(event="reminder", channel="in_app").body
    assert "The endorsement of version 1 is overdue" in body
