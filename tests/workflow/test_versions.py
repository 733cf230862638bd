"""Decisions count only on the version they were given on."""

import pytest

from workflow import services
from workflow.exceptions import TransitionBlocked
from workflow.models import Policy

pytestmark = pytest.mark.django_db
State = Policy.State


def test_support_on_an_older_version_does_not_count(policy_in, walk, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    services.record_support(
        policy, actor=cast.bureau_member, organization=cast.bureau, decision="supported"
    )
    services.perform_transition(
        policy, "return_to_drafting", actor=cast.coordinator, comment="Cost the plan."
    )
    walk.upload(policy)
    services.perform_transition(policy, "submit_for_review", actor=cast.drafter)
    services.record_review(policy, actor=cast.reviewer, decision="approved")
    services.perform_transition(policy, "clear_review", actor=cast.reviewer)

    # The agency supports version 2; the bureau's support was on version 1.
    services.record_support(
        policy, actor=cast.agency_member, organization=cast.agency, decision="supported"
    )
    policy = Policy.objects.get(pk=policy.pk)
    assert policy.state == State.INSTITUTIONAL_SUPPORT
    assert services.transition_blockers(policy, "endorse") == [
        "Bureau of Emigration and Overseas Employment has not recorded support on version 2."
    ]

    # The bureau may decide again on the new version, and that completes it.
    services.record_support(
        policy, actor=cast.bureau_member, organization=cast.bureau, decision="supported"
    )
    assert Policy.objects.get(pk=policy.pk).state == State.AWAITING_ENDORSEMENT


def test_approval_of_an_older_version_does_not_clear_the_review(policy_in, walk, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    services.record_review(policy, actor=cast.reviewer, decision="approved")
    services.perform_transition(
        policy, "request_revision", actor=cast.second_reviewer, comment="Add a budget annex."
    )
    walk.upload(policy)
    services.perform_transition(policy, "submit_for_review", actor=cast.drafter)

    with pytest.raises(TransitionBlocked) as refused:
        services.perform_transition(policy, "clear_review", actor=cast.reviewer)
    assert refused.value.reasons == [
        "Version 2 has no approving review by someone other than its author."
    ]


def test_decisions_keep_the_version_they_were_given_on(policy_in, walk, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    first = policy.current_version
    services.record_support(
        policy, actor=cast.bureau_member, organization=cast.bureau, decision="supported"
    )
    services.perform_transition(
        policy, "return_to_drafting", actor=cast.coordinator, comment="Cost the plan."
    )
    second = walk.upload(policy)
    services.perform_transition(policy, "submit_for_review", actor=cast.drafter)
    services.record_review(policy, actor=cast.reviewer, decision="approved")

    assert [(r.version, r.decision) for r in policy.reviews.order_by("pk")] == [
        (first, "approved"),
        (second, "approved"),
    ]
    assert [s.version for s in policy.supports.all()] == [first]
