"""Mistakes a drafter can correct: recalling a submission before it is reviewed,
and withdrawing a version uploaded by mistake before anyone acted on it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from documents.services import withdraw_version
from notifications.models import OutboxMessage
from workflow import services
from workflow.exceptions import TransitionBlocked
from workflow.models import AuditEntry, DocumentVersion, Policy, Review, VersionWithdrawal

State = Policy.State
Action = AuditEntry.Action


def recall(policy, actor, comment="Submitted too early."):
    return services.perform_transition(policy, "recall", actor=actor, comment=comment)


# -- recalling a submission ---------------------------------------------------------


def test_the_drafter_recalls_a_submission_before_any_review(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    version = policy.current_version
    recall(policy, cast.drafter)

    assert policy.state == State.DRAFTING
    entry = AuditEntry.objects.filter(policy=policy).latest("pk")
    assert (entry.action, entry.actor, entry.version, entry.comment) == (
        Action.RECALL,
        cast.drafter,
        version,
        "Submitted too early.",
    )
    assert (entry.from_state, entry.to_state) == (State.EXPERT_REVIEW, State.DRAFTING)
    told = OutboxMessage.objects.filter(event="submission_recalled", channel="in_app")
    assert {m.recipient for m in told} == {cast.reviewer, cast.second_reviewer, cast.coordinator}
    # Not a sending back: the same version may be submitted again.
    services.perform_transition(policy, "submit_for_review", actor=cast.drafter)
    assert policy.state == State.EXPERT_REVIEW


def test_a_coordinator_may_recall_and_a_reviewer_may_not(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    with pytest.raises(PermissionDenied):
        recall(policy, cast.reviewer)
    recall(policy, cast.coordinator)
    assert policy.state == State.DRAFTING


def test_recalling_needs_a_reason(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    with pytest.raises(ValidationError) as refused:
        recall(policy, cast.drafter, comment=" ")
    assert "comment" in refused.value.error_dict
    policy.refresh_from_db()
    assert policy.state == State.EXPERT_REVIEW


def test_a_recorded_review_makes_the_submission_final(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    services.record_review(
        policy, actor=cast.second_reviewer, decision=Review.Decision.CHANGES_REQUESTED, comment="x"
    )
    before = AuditEntry.objects.count()
    with pytest.raises(TransitionBlocked) as blocked:
        recall(policy, cast.drafter)
    assert blocked.value.reasons == [
        "A review of version 1 is recorded; it stands, so the submission can no longer be recalled."
    ]
    assert AuditEntry.objects.count() == before
    policy.refresh_from_db()
    assert policy.state == State.EXPERT_REVIEW


# -- withdrawing a version ------------------------------------------------------------


def test_the_drafter_withdraws_the_latest_version_and_the_one_before_is_current(
    new_policy, cast, walk
):
    first = walk.upload(new_policy)
    second = walk.upload(new_policy)
    new_policy.refresh_from_db()
    stored = second.file.read()

    withdrawal = withdraw_version(
        new_policy, actor=cast.drafter, version=second, reason="Wrong file."
    )

    assert (withdrawal.version, withdrawal.withdrawn_by, withdrawal.reason) == (
        second,
        cast.drafter,
        "Wrong file.",
    )
    assert new_policy.current_version == first
    kept = DocumentVersion.objects.get(pk=second.pk)
    assert kept.file.read() == stored
    assert kept.sha256 == second.sha256
    entry = AuditEntry.objects.filter(policy=new_policy).latest("pk")
    assert (entry.action, entry.actor, entry.version, entry.comment) == (
        Action.WITHDRAW_VERSION,
        cast.drafter,
        second,
        "Wrong file.",
    )
    assert entry.details == {"current": 1}
    # The next upload takes the next number; the withdrawn one keeps its own.
    assert walk.upload(new_policy).number == 3


def test_withdrawing_needs_a_reason_and_writes_nothing_without(new_policy, cast, walk):
    version = walk.upload(new_policy)
    new_policy.refresh_from_db()
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        withdraw_version(new_policy, actor=cast.drafter, version=version, reason="")
    assert "reason" in refused.value.error_dict
    assert not VersionWithdrawal.objects.exists()
    assert AuditEntry.objects.count() == before


def test_only_drafters_and_coordinators_withdraw_versions(new_policy, cast, walk):
    version = walk.upload(new_policy)
    new_policy.refresh_from_db()
    with pytest.raises(PermissionDenied):
        withdraw_version(new_policy, actor=cast.reviewer, version=version, reason="No.")
    withdraw_version(new_policy, actor=cast.coordinator, version=version, reason="Wrong file.")
    assert new_policy.current_version is None


def test_a_submitted_version_can_no_longer_be_withdrawn(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    services.perform_transition(
        policy, "request_revision", actor=cast.coordinator, comment="Not yet."
    )
    version = policy.current_version
    with pytest.raises(TransitionBlocked) as blocked:
        withdraw_version(policy, actor=cast.drafter, version=version, reason="Oops.")
    assert blocked.value.reasons == [
        "Version 1 was submitted for review; upload a revised version instead."
    ]
    assert not VersionWithdrawal.objects.exists()


def test_a_recalled_submission_leaves_the_version_withdrawable(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    recall(policy, cast.drafter)
    withdraw_version(
        policy, actor=cast.drafter, version=policy.current_version, reason="Wrong file."
    )
    assert policy.current_version is None


def test_a_reviewed_version_stays(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    services.decide_review(
        policy,
        actor=cast.reviewer,
        decision=Review.Decision.CHANGES_REQUESTED,
        comment="Redo section 2.",
    )
    with pytest.raises(TransitionBlocked) as blocked:
        withdraw_version(policy, actor=cast.drafter, version=policy.current_version, reason="Oops.")
    assert "Version 1 was already reviewed or supported; it stays on record." in (
        blocked.value.reasons
    )


def test_only_the_current_version_and_only_in_drafting(policy_in, cast, walk):
    policy = policy_in(State.EXPERT_REVIEW)
    with pytest.raises(TransitionBlocked) as blocked:
        withdraw_version(policy, actor=cast.drafter, version=policy.current_version, reason="x")
    assert blocked.value.reasons == ["A version can only be withdrawn in drafting."]
    recall(policy, cast.drafter)
    first = policy.current_version
    walk.upload(policy)
    policy.refresh_from_db()
    with pytest.raises(TransitionBlocked) as blocked:
        withdraw_version(policy, actor=cast.drafter, version=first, reason="x")
    assert blocked.value.reasons == ["Only the current version can be withdrawn."]


def test_a_withdrawal_is_never_changed_or_deleted(new_policy, cast, walk):
    from workflow.exceptions import ImmutableRecord

    version = walk.upload(new_policy)
    new_policy.refresh_from_db()
    withdrawal = withdraw_version(new_policy, actor=cast.drafter, version=version, reason="x")
    with pytest.raises(ImmutableRecord):
        withdrawal.delete()
    with pytest.raises(ImmutableRecord):
        VersionWithdrawal.objects.update(reason="y")
