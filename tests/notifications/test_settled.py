"""A notification that asked for a step is done once the step is done.

The workflow settles it in the transaction that completes the step: when
the person's own part is done (a reviewer's review, an institution's
decision), or when the policy leaves the state the step belonged to.
Done notifications stay in the inbox, marked done, and are not unread.
"""

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse

from notifications import services as notifications
from notifications.models import Notification, OutboxMessage
from tests.factories import UserFactory
from workflow import reminders, services
from workflow.models import Membership, Policy

pytestmark = pytest.mark.django_db
State = Policy.State


def notification(user, event):
    """``user``'s latest in-app notification of ``event``."""
    return Notification.objects.filter(recipient=user, event=event).latest("created_at", "pk")


def done(user, event):
    return notification(user, event).done_at is not None


@pytest.fixture
def delivered(django_capture_on_commit_callbacks):
    """``with delivered():`` runs the block and delivers what it wrote, as after a commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_review_request_is_done_for_the_reviewer_who_reviewed(cast, new_policy, walk, delivered):
    with delivered():
        policy = walk.to(new_policy, State.EXPERT_REVIEW)
    assert not done(cast.reviewer, "submitted_for_review")
    unread = notifications.unread_count(cast.reviewer)

    with delivered():
        services.record_review(policy, actor=cast.reviewer, decision="approved", comment="Sound.")

    assert done(cast.reviewer, "submitted_for_review")
    assert notifications.unread_count(cast.reviewer) == unread - 1
    # The other reviewer still owes a review; the coordinator was only told.
    assert not done(cast.second_reviewer, "submitted_for_review")
    assert notifications.unread_count(cast.second_reviewer) == unread
    assert notification(cast.coordinator, "submitted_for_review").step == ""

    # Once the review is cleared, nobody is asked to review any more.
    with delivered():
        services.perform_transition(policy, "clear_review", actor=cast.reviewer)
    assert done(cast.second_reviewer, "submitted_for_review")
    assert not Notification.objects.filter(
        event="submitted_for_review", step="expert_review", done_at=None
    ).exists()


def test_only_those_who_owe_the_step_are_asked(cast, new_policy, walk, delivered):
    """An assigned reviewer who no longer reviews for the implementer is told of
    the submission, as the table says, but not asked: the review is not theirs
    to give (``workflow.obligations``), so nothing would ever settle it."""
    Membership.objects.filter(user=cast.second_reviewer, role=Membership.Role.REVIEWER).delete()
    with delivered():
        walk.to(new_policy, State.EXPERT_REVIEW)
    assert notification(cast.reviewer, "submitted_for_review").step == "expert_review"
    assert notification(cast.second_reviewer, "submitted_for_review").step == ""


def test_a_revision_request_is_done_when_the_draft_goes_back_to_review(
    cast, new_policy, walk, delivered
):
    with delivered():
        policy = walk.to(new_policy, State.EXPERT_REVIEW)
        services.record_review(
            policy, actor=cast.reviewer, decision="changes_requested", comment="Add indicators."
        )
        services.perform_transition(
            policy, "request_revision", actor=cast.reviewer, comment="Add indicators."
        )
    assert not done(cast.drafter, "revision_requested")

    with delivered():
        walk.upload(policy)
    assert not done(cast.drafter, "revision_requested")  # a version alone is not the step

    with delivered():
        services.perform_transition(policy, "submit_for_review", actor=cast.drafter)
    assert done(cast.drafter, "revision_requested")
    # The new round asks the reviewers again, afresh.
    assert not done(cast.reviewer, "submitted_for_review")


def test_a_support_request_is_done_per_institution_then_the_endorsement_request(
    cast, new_policy, walk, delivered
):
    with delivered():
        policy = walk.to(new_policy, State.INSTITUTIONAL_SUPPORT)
    assert not done(cast.bureau_member, "review_cleared")

    with delivered():
        services.record_support(
            policy, actor=cast.bureau_member, organization=cast.bureau, decision="supported"
        )
    assert done(cast.bureau_member, "review_cleared")
    assert not done(cast.agency_member, "review_cleared")
    assert notifications.unread_count(cast.agency_member) == 1
    assert notifications.unread_count(cast.bureau_member) == 0

    with delivered():
        services.record_support(
            policy, actor=cast.agency_member, organization=cast.agency, decision="supported"
        )
    assert done(cast.agency_member, "review_cleared")
    assert policy.state == State.AWAITING_ENDORSEMENT
    assert not done(cast.endorser, "awaiting_endorsement")

    with delivered():
        services.perform_transition(
            policy,
            "endorse",
            actor=cast.endorser,
            instrument="Cabinet decision 12/2026",
            date=datetime.date.today(),
        )
    assert done(cast.endorser, "awaiting_endorsement")
    # A notification that only informs is never "done": nothing was asked.
    endorsed = notification(cast.coordinator, "endorsed")
    assert (endorsed.step, endorsed.done_at) == ("", None)
    assert notifications.unread_count(cast.coordinator) > 0


def test_a_decline_asks_the_coordinator_until_the_policy_goes_back_to_drafting(
    cast, new_policy, walk, delivered
):
    with delivered():
        policy = walk.to(new_policy, State.INSTITUTIONAL_SUPPORT)
        services.record_support(
            policy,
            actor=cast.agency_member,
            organization=cast.agency,
            decision="declined",
            statement="Section 4 is not agreed.",
        )
    assert not done(cast.coordinator, "support_declined")
    assert notification(cast.drafter, "support_declined").step == ""  # told, not asked

    with delivered():
        services.perform_transition(
            policy, "return_to_drafting", actor=cast.coordinator, comment="Revise section 4."
        )
    assert done(cast.coordinator, "support_declined")
    # The bureau never decided, but there is nothing left to decide.
    assert done(cast.bureau_member, "review_cleared")


def test_an_overdue_support_reminder_and_its_escalation_are_done_when_the_institution_decides(
    cast, new_policy, walk, delivered
):
    due = datetime.date(2026, 11, 1)
    with delivered():
        policy = walk.to(new_policy, State.INSTITUTIONAL_SUPPORT)
        services.update_policy(policy, actor=cast.coordinator, support_due=due, backfill=True)
        for week in range(3):
            reminders.send_reminders(today=due + datetime.timedelta(days=1 + 7 * week))
    assert not done(cast.bureau_member, "reminder")
    escalations = Notification.objects.filter(recipient=cast.coordinator, event="escalation")
    assert escalations.count() == 2  # one per overdue institution
    assert not escalations.exclude(done_at=None).exists()

    with delivered():
        services.record_support(
            policy, actor=cast.bureau_member, organization=cast.bureau, decision="supported"
        )

    assert not Notification.objects.filter(recipient=cast.bureau_member, done_at=None).exclude(
        step=""
    )
    assert not done(cast.agency_member, "reminder")
    # The escalation about the bureau is done; the one about the agency is not.
    assert escalations.filter(done_at=None).count() == 1
    assert escalations.get(done_at=None).step == f"institutional_support/{cast.agency.pk}"


def test_a_step_done_before_delivery_is_delivered_done(django_capture_on_commit_callbacks):
    reader, other = UserFactory(), UserFactory()

    def ask(step, *people, key):
        notifications.enqueue(
            "submitted_for_review",
            recipients=people,
            key=key,
            context={"headline": "Review requested", "policy_title": "A policy"},
            about="policy/1",
            step=step,
        )

    with django_capture_on_commit_callbacks(execute=True):
        ask("support/7", reader, other, key="a")
        ask("support", reader, key="b")
        ask("supportive", reader, key="c")  # not within "support"
        ask("support", reader, key="d")
        # In the same transaction, before any delivery: only the reader's part is done.
        assert notifications.settle("policy/1", ["support"], recipients=[reader]) == 0
        assert not Notification.objects.exists()

    settled = dict(Notification.objects.filter(recipient=reader).values_list("key", "done_at"))
    assert {key.split(":")[0] for key, at in settled.items() if at} == {"a", "b", "d"}
    assert Notification.objects.get(recipient=other).done_at is None
    assert OutboxMessage.objects.filter(channel="in_app").exclude(settled_at=None).count() == 3
    # Settling again changes nothing; another subject is untouched.
    assert notifications.settle("policy/1", ["support"], recipients=[reader]) == 0
    assert notifications.settle("policy/2", ["support"]) == 0
    assert notifications.settle("policy/1", []) == 0


# -- the inbox --------------------------------------------------------------------------


NEW = '<span class="badge text-bg-primary me-1">New</span>'
DONE = '<span class="badge text-bg-success me-1">Done</span>'


def inbox_item(page, notification):
    """The inbox's ``<li>`` of ``notification``."""
    start = page.rindex("<li", 0, page.index(f'id="notification-{notification.pk}"'))
    return page[start : page.index("</li>", start)]


def test_the_inbox_shows_done_notifications_as_done_and_no_app_prefix(
    cast, new_policy, walk, client, delivered
):
    with delivered():
        policy = walk.to(new_policy, State.EXPERT_REVIEW)
    client.force_login(cast.reviewer)
    page = client.get(reverse("notifications:inbox")).content.decode()
    request = notification(cast.reviewer, "submitted_for_review")
    item = inbox_item(page, request)
    assert NEW in item
    assert "Mark as read" in item
    assert DONE not in item
    assert "[policyflow]" not in page
    assert "Review requested: National Emigration and Welfare Policy" in page

    with delivered():
        services.record_review(policy, actor=cast.reviewer, decision="approved", comment="Sound.")
    response = client.get(reverse("notifications:inbox"))
    page = response.content.decode()
    item = inbox_item(page, request)
    assert "notification-done" in item
    assert DONE in item
    assert "Step done:" in item
    assert NEW not in item
    assert "Mark as read" not in item
    # Not counted as unread in the header: the version's upload still is.
    assert response.context["unread_notifications"] == 1
    assert notification(cast.reviewer, "version_uploaded").done_at is None


def test_an_email_keeps_the_app_name_in_its_subject(cast, new_policy, walk, mailoutbox, delivered):
    with delivered():
        walk.to(new_policy, State.EXPERT_REVIEW)
    email = next(
        m for m in mailoutbox if m.to == [cast.reviewer.email] and "Review requested" in m.subject
    )
    assert email.subject.startswith("[policyflow] Review requested: ")
    assert notification(cast.reviewer, "submitted_for_review").title.startswith(
        "Review requested: "
    )


# -- a step done while its notification is being delivered (PostgreSQL) -----------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_step_settled_during_delivery_leaves_the_notification_done(monkeypatch):
    """The delivery holds its outbox rows while it writes their notifications,
    so a settle that runs meanwhile waits, then finds the notification."""
    reader = UserFactory()
    monkeypatch.setattr(notifications.dispatch, "deliver_after_commit", lambda keys: None)
    notifications.enqueue(
        "submitted_for_review",
        recipients=[reader],
        key="k",
        context={"headline": "Review requested", "policy_title": "A policy"},
        about="policy/1",
        step="expert_review",
    )
    writing, go_on = threading.Event(), threading.Event()
    create = Notification.objects.bulk_create

    def slow_create(*args, **kwargs):
        writing.set()
        go_on.wait(timeout=10)
        return create(*args, **kwargs)

    monkeypatch.setattr(Notification.objects, "bulk_create", slow_create)

    def in_thread(work):
        def run():
            try:
                work()
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    delivery = in_thread(lambda: notifications.deliver(keys=None))
    assert writing.wait(timeout=10)
    settling = in_thread(lambda: notifications.settle("policy/1", ["expert_review"]))
    settling.join(timeout=1)  # it waits for the delivery's lock (or, unguarded, ends)
    go_on.set()
    delivery.join(timeout=10)
    settling.join(timeout=10)
    assert not delivery.is_alive()
    assert not settling.is_alive()
    assert Notification.objects.get(recipient=reader).done_at is not None
