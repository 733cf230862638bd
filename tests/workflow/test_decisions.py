"""A reviewer's decision and the step it leads to, taken in one service call;
and the warning about tracked changes and comments a person must go past."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.services import add_version
from notifications.models import OutboxMessage
from workflow import clock, services
from workflow.models import AuditEntry, Policy, Review
from workflow.rules import display_name

State = Policy.State
Action = AuditEntry.Action
CORPUS = Path(__file__).parents[1] / "documents" / "corpus"


def actions_since(policy, entry_pk):
    return list(
        AuditEntry.objects.filter(policy=policy, pk__gt=entry_pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def last_pk(policy):
    return AuditEntry.objects.filter(policy=policy).order_by("-pk").first().pk


def events_since(outbox_pk):
    return set(OutboxMessage.objects.filter(pk__gt=outbox_pk).values_list("event", flat=True))


def outbox_mark():
    last = OutboxMessage.objects.order_by("-pk").first()
    return last.pk if last else 0


def with_tracked_changes(policy, cast):
    """The policy's next version: a file with 154 insertions and 127 deletions tracked."""
    content = (CORPUS / "redline-v1-v2.docx").read_bytes()
    return add_version(
        policy, actor=cast.drafter, uploaded_file=SimpleUploadedFile("tracked.docx", content)
    )


def test_requesting_changes_records_the_review_and_returns_the_draft(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    version = policy.current_version
    entry, outbox = last_pk(policy), outbox_mark()

    review = services.decide_review(
        policy,
        actor=cast.reviewer,
        decision=Review.Decision.CHANGES_REQUESTED,
        comment="Name the families.",
        version=version,
    )

    policy.refresh_from_db()
    assert policy.state == State.DRAFTING
    assert (review.decision, review.version, review.comment) == (
        "changes_requested",
        version,
        "Name the families.",
    )
    assert actions_since(policy, entry) == [Action.REVIEW, Action.REQUEST_REVISION]
    sent_back = AuditEntry.objects.get(policy=policy, action=Action.REQUEST_REVISION)
    assert (sent_back.actor, sent_back.comment, sent_back.from_state) == (
        cast.reviewer,
        "Name the families.",
        State.EXPERT_REVIEW,
    )
    # One notification: the revision request, with the comment, to drafters and coordinators.
    assert events_since(outbox) == {"revision_requested"}
    told = OutboxMessage.objects.filter(pk__gt=outbox, channel="in_app")
    assert {m.recipient for m in told} == {cast.drafter, cast.coordinator}
    assert all("Name the families." in m.body for m in told)


def test_requesting_changes_without_a_comment_writes_nothing(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    entry, outbox = last_pk(policy), outbox_mark()
    with pytest.raises(ValidationError) as refused:
        services.decide_review(
            policy, actor=cast.reviewer, decision=Review.Decision.CHANGES_REQUESTED
        )
    assert "comment" in refused.value.error_dict
    policy.refresh_from_db()
    assert policy.state == State.EXPERT_REVIEW
    assert not Review.objects.filter(policy=policy).exists()
    assert actions_since(policy, entry) == []
    assert events_since(outbox) == set()


def test_approving_clears_the_review_when_the_rules_allow(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    entry, outbox = last_pk(policy), outbox_mark()

    services.decide_review(policy, actor=cast.reviewer, decision=Review.Decision.APPROVED)

    policy.refresh_from_db()
    assert policy.state == State.INSTITUTIONAL_SUPPORT
    assert actions_since(policy, entry) == [Action.REVIEW, Action.CLEAR_REVIEW]
    assert events_since(outbox) == {"review_cleared"}


def test_approving_waits_for_a_reviewer_who_requested_changes(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    services.record_review(
        policy,
        actor=cast.second_reviewer,
        decision=Review.Decision.CHANGES_REQUESTED,
        comment="Section 3 is missing.",
    )
    entry, outbox = last_pk(policy), outbox_mark()

    services.decide_review(policy, actor=cast.reviewer, decision=Review.Decision.APPROVED)

    policy.refresh_from_db()
    assert policy.state == State.EXPERT_REVIEW
    assert actions_since(policy, entry) == [Action.REVIEW]
    assert events_since(outbox) == set()
    reasons = services.clear_review_blockers(policy, cast.reviewer)
    assert reasons == [f"{display_name(cast.second_reviewer)} requested changes to version 1."]


def test_the_page_can_ask_what_clearing_would_wait_for_after_an_approval(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    assert services.clear_review_blockers(policy, cast.reviewer, approving=True) == []
    assert services.clear_review_blockers(policy, cast.reviewer) == [
        "Version 1 has no approving review by someone other than its author."
    ]


def test_a_coordinator_still_clears_in_a_separate_step(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    services.record_review(policy, actor=cast.reviewer, decision=Review.Decision.APPROVED)
    policy.refresh_from_db()
    assert policy.state == State.EXPERT_REVIEW
    services.perform_transition(policy, "clear_review", actor=cast.coordinator)
    assert policy.state == State.INSTITUTIONAL_SUPPORT


# -- the warning about unresolved changes --------------------------------------


def test_submitting_a_version_with_tracked_changes_needs_an_acknowledgement(new_policy, cast):
    version = with_tracked_changes(new_policy, cast)
    new_policy.refresh_from_db()
    entry = last_pk(new_policy)
    with pytest.raises(ValidationError) as refused:
        services.perform_transition(new_policy, "submit_for_review", actor=cast.drafter)
    assert "acknowledged" in refused.value.error_dict
    assert "tracked changes (281)" in str(refused.value)
    new_policy.refresh_from_db()
    assert new_policy.state == State.DRAFTING
    assert actions_since(new_policy, entry) == []

    services.perform_transition(
        new_policy, "submit_for_review", actor=cast.drafter, acknowledged=True
    )
    submitted = AuditEntry.objects.get(policy=new_policy, action=Action.SUBMIT_FOR_REVIEW)
    assert submitted.version == version
    assert submitted.details["acknowledged"] == {"tracked_changes": 281, "comments": 0}


def test_a_clean_version_needs_no_acknowledgement_and_records_none(policy_in):
    policy = policy_in(State.EXPERT_REVIEW)
    submitted = AuditEntry.objects.get(policy=policy, action=Action.SUBMIT_FOR_REVIEW)
    assert "acknowledged" not in submitted.details


def test_approving_a_version_with_tracked_changes_needs_an_acknowledgement(new_policy, cast):
    with_tracked_changes(new_policy, cast)
    services.perform_transition(
        new_policy, "submit_for_review", actor=cast.drafter, acknowledged=True
    )
    for service in (services.record_review, services.decide_review):
        with pytest.raises(ValidationError) as refused:
            service(new_policy, actor=cast.reviewer, decision=Review.Decision.APPROVED)
        assert "acknowledged" in refused.value.error_dict
    assert not Review.objects.filter(policy=new_policy).exists()
    # Asking for changes passes nothing on: no acknowledgement needed.
    services.record_review(
        new_policy,
        actor=cast.second_reviewer,
        decision=Review.Decision.CHANGES_REQUESTED,
        comment="Accept or reject the tracked changes first.",
    )

    services.decide_review(
        new_policy, actor=cast.reviewer, decision=Review.Decision.APPROVED, acknowledged=True
    )
    review_entry = AuditEntry.objects.filter(
        policy=new_policy, action=Action.REVIEW, actor=cast.reviewer
    ).get()
    assert review_entry.details["acknowledged"] == {"tracked_changes": 281, "comments": 0}


def test_endorsing_a_version_with_tracked_changes_needs_an_acknowledgement(new_policy, cast, walk):
    with_tracked_changes(new_policy, cast)
    services.perform_transition(
        new_policy, "submit_for_review", actor=cast.drafter, acknowledged=True
    )
    services.decide_review(
        new_policy, actor=cast.reviewer, decision=Review.Decision.APPROVED, acknowledged=True
    )
    walk._all_support(new_policy)
    new_policy.refresh_from_db()
    assert new_policy.state == State.AWAITING_ENDORSEMENT
    fields = {"instrument": "Cabinet decision 3/2026", "date": clock.today()}
    with pytest.raises(ValidationError) as refused:
        services.perform_transition(new_policy, "endorse", actor=cast.endorser, **fields)
    assert "acknowledged" in refused.value.error_dict
    new_policy.refresh_from_db()
    assert new_policy.state == State.AWAITING_ENDORSEMENT

    services.perform_transition(
        new_policy, "endorse", actor=cast.endorser, acknowledged=True, **fields
    )
    endorsed = AuditEntry.objects.get(policy=new_policy, action=Action.ENDORSE)
    assert endorsed.details["acknowledged"] == {"tracked_changes": 281, "comments": 0}
    assert endorsed.details["instrument"] == "Cabinet decision 3/2026"
