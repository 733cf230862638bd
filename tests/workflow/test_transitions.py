"""Every transition's happy path, and every rule that blocks one, with its reason."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from workflow import clock, notify, services, transitions
from workflow.exceptions import ConcurrentChange, TransitionBlocked
from workflow.models import AuditEntry, Endorsement, Policy, Review, Support

pytestmark = pytest.mark.django_db
State = Policy.State


def audit_actions(policy):
    return list(AuditEntry.objects.filter(policy=policy).values_list("action", flat=True))


def last_entry(policy):
    return AuditEntry.objects.filter(policy=policy).latest("at", "pk")


def blocked_reasons(call):
    with pytest.raises(TransitionBlocked) as refused:
        call()
    return refused.value.reasons


# -- happy paths ---------------------------------------------------------------


def test_register_writes_policy_in_drafting_with_one_audit_row(new_policy, cast):
    policy = Policy.objects.get(pk=new_policy.pk)
    assert policy.state == State.DRAFTING
    assert set(policy.required_supporters.all()) == {cast.bureau, cast.agency}
    assert audit_actions(policy) == ["registered"]


def test_submit_for_review(new_policy, walk, cast):
    version = walk.upload(new_policy)
    services.perform_transition(new_policy, "submit_for_review", actor=cast.drafter)

    assert Policy.objects.get(pk=new_policy.pk).state == State.EXPERT_REVIEW
    entry = last_entry(new_policy)
    assert (entry.action, entry.from_state, entry.to_state) == (
        "submit_for_review",
        State.DRAFTING,
        State.EXPERT_REVIEW,
    )
    assert entry.actor == cast.drafter
    assert entry.version == version


def test_request_revision_returns_to_drafting_with_comment(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    services.perform_transition(
        policy, "request_revision", actor=cast.reviewer, comment="Section 3 lacks targets."
    )
    assert Policy.objects.get(pk=policy.pk).state == State.DRAFTING
    entry = last_entry(policy)
    assert entry.action == "request_revision"
    assert entry.comment == "Section 3 lacks targets."


def test_clear_review_needs_approval_by_someone_other_than_the_author(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    services.record_review(policy, actor=cast.reviewer, decision=Review.Decision.APPROVED)
    services.perform_transition(policy, "clear_review", actor=cast.reviewer)

    assert Policy.objects.get(pk=policy.pk).state == State.INSTITUTIONAL_SUPPORT
    assert audit_actions(policy)[-2:] == ["review", "clear_review"]


def test_last_required_support_moves_to_awaiting_endorsement_in_same_transaction(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    services.record_support(
        policy, actor=cast.bureau_member, organization=cast.bureau, decision="supported"
    )
    assert Policy.objects.get(pk=policy.pk).state == State.INSTITUTIONAL_SUPPORT

    services.record_support(
        policy, actor=cast.agency_member, organization=cast.agency, decision="supported"
    )

    policy = Policy.objects.get(pk=policy.pk)
    assert policy.state == State.AWAITING_ENDORSEMENT
    assert audit_actions(policy)[-3:] == ["support", "support", "complete_support"]
    advance = last_entry(policy)
    assert (advance.from_state, advance.to_state) == (
        State.INSTITUTIONAL_SUPPORT,
        State.AWAITING_ENDORSEMENT,
    )
    assert advance.version == policy.current_version


def test_last_support_and_advance_roll_back_together(policy_in, cast, monkeypatch):
    """If the advance fails, the support that triggered it is not kept either."""
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    services.record_support(
        policy, actor=cast.bureau_member, organization=cast.bureau, decision="supported"
    )
    supports_before = Support.objects.count()
    audit_before = AuditEntry.objects.count()

    def broken_advance(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Policy, "complete_support", broken_advance)
    with pytest.raises(RuntimeError):
        services.record_support(
            policy, actor=cast.agency_member, organization=cast.agency, decision="supported"
        )

    assert Support.objects.count() == supports_before
    assert AuditEntry.objects.count() == audit_before
    assert Policy.objects.get(pk=policy.pk).state == State.INSTITUTIONAL_SUPPORT


def bureau_declines(policy, cast):
    services.record_support(
        policy,
        actor=cast.bureau_member,
        organization=cast.bureau,
        decision="declined",
        statement="Welfare fund provisions conflict with our ordinance.",
    )


def test_decline_blocks_the_advance_and_names_the_institution(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    bureau_declines(policy, cast)
    services.record_support(
        policy, actor=cast.agency_member, organization=cast.agency, decision="supported"
    )

    policy = Policy.objects.get(pk=policy.pk)
    assert policy.state == State.INSTITUTIONAL_SUPPORT
    version = policy.current_version.number
    assert services.transition_blockers(policy, "endorse") == [
        f"Bureau of Emigration and Overseas Employment declined to support version {version}."
    ]


def test_return_to_drafting_after_a_decline(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    bureau_declines(policy, cast)
    services.perform_transition(
        policy, "return_to_drafting", actor=cast.coordinator, comment="Rework the welfare fund."
    )
    assert Policy.objects.get(pk=policy.pk).state == State.DRAFTING


def test_endorse_records_instrument_date_and_version(policy_in, cast):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    version = policy.current_version
    services.perform_transition(
        policy,
        "endorse",
        actor=cast.endorser,
        instrument="Cabinet decision 45/2026",
        date=timezone.localdate(),
        comment="Approved by the Federal Cabinet.",
    )

    policy = Policy.objects.get(pk=policy.pk)
    assert policy.state == State.ENDORSED
    endorsement = Endorsement.objects.get(policy=policy)
    assert endorsement.version == version
    assert endorsement.ministry == cast.ministry
    assert endorsement.endorsed_by == cast.endorser
    assert endorsement.instrument == "Cabinet decision 45/2026"
    assert endorsement.endorsed_on == timezone.localdate()
    entry = last_entry(policy)
    assert entry.action == "endorse"
    assert entry.details == {
        "instrument": "Cabinet decision 45/2026",
        "endorsed_on": endorsement.endorsed_on.isoformat(),
    }
    assert AuditEntry.objects.filter(policy=policy, action="endorse").count() == 1


def test_return_for_revision_by_the_lead_ministry(policy_in, cast):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    services.perform_transition(
        policy, "return_for_revision", actor=cast.endorser, comment="Align with the Emigration Act."
    )
    assert Policy.objects.get(pk=policy.pk).state == State.DRAFTING


@pytest.mark.parametrize(
    "state",
    [
        State.DRAFTING,
        State.EXPERT_REVIEW,
        State.INSTITUTIONAL_SUPPORT,
        State.AWAITING_ENDORSEMENT,
    ],
)
def test_withdraw_from_any_open_state_and_reopen(policy_in, cast, state):
    policy = policy_in(state)
    services.perform_transition(policy, "withdraw", actor=cast.coordinator, comment="Paused.")
    assert Policy.objects.get(pk=policy.pk).state == State.WITHDRAWN
    services.perform_transition(policy, "reopen", actor=cast.coordinator)
    assert Policy.objects.get(pk=policy.pk).state == State.DRAFTING
    assert audit_actions(policy)[-2:] == ["withdraw", "reopen"]


def test_endorsed_policy_is_final(policy_in, cast):
    policy = policy_in(State.ENDORSED)
    for name in [step.name for step in transitions.user_steps()]:
        with pytest.raises(TransitionBlocked):
            services.perform_transition(policy, name, actor=cast.coordinator, comment="x")
    assert services.available_transitions(policy, cast.coordinator) == []


# -- blocking rules ------------------------------------------------------------


def test_submit_needs_a_version(new_policy, cast):
    reasons = blocked_reasons(
        lambda: services.perform_transition(new_policy, "submit_for_review", actor=cast.drafter)
    )
    assert reasons == ["No document version has been uploaded yet."]
    assert audit_actions(new_policy) == ["registered"]


def test_submit_needs_a_reviewer(new_policy, walk, cast):
    services.update_policy(new_policy, actor=cast.coordinator, reviewers=[])
    walk.upload(new_policy)
    reasons = blocked_reasons(
        lambda: services.perform_transition(new_policy, "submit_for_review", actor=cast.drafter)
    )
    assert reasons == ["No reviewer is assigned."]


def test_submit_refused_when_the_only_reviewer_is_the_author(new_policy, walk, cast):
    services.update_policy(new_policy, actor=cast.coordinator, reviewers=[cast.reviewer])
    cast.reviewer.memberships.create(organization=cast.implementer, role="drafter")
    services.update_policy(new_policy, actor=cast.coordinator, drafters=[cast.reviewer])
    walk.upload(new_policy, by=cast.reviewer)
    reasons = blocked_reasons(
        lambda: services.perform_transition(new_policy, "submit_for_review", actor=cast.reviewer)
    )
    assert reasons == [
        "The only assigned reviewer uploaded version 1; assign a reviewer who did not "
        "(four-eyes rule)."
    ]


def test_clear_review_without_approval_is_blocked(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    reasons = blocked_reasons(
        lambda: services.perform_transition(policy, "clear_review", actor=cast.reviewer)
    )
    assert reasons == ["Version 1 has no approving review by someone other than its author."]
    assert Policy.objects.get(pk=policy.pk).state == State.EXPERT_REVIEW


def test_clear_review_blocked_while_a_reviewer_still_requests_changes(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    services.record_review(policy, actor=cast.reviewer, decision="approved")
    services.record_review(
        policy, actor=cast.second_reviewer, decision="changes_requested", comment="Add costs."
    )
    reasons = blocked_reasons(
        lambda: services.perform_transition(policy, "clear_review", actor=cast.reviewer)
    )
    name = cast.second_reviewer.get_full_name()
    assert reasons == [f"{name} requested changes to version 1."]

    # The reviewer changing their mind lifts the block.
    services.record_review(policy, actor=cast.second_reviewer, decision="approved")
    services.perform_transition(policy, "clear_review", actor=cast.reviewer)
    assert Policy.objects.get(pk=policy.pk).state == State.INSTITUTIONAL_SUPPORT


def test_only_assigned_reviewers_count(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    services.record_review(policy, actor=cast.second_reviewer, decision="approved")
    services.update_policy(policy, actor=cast.coordinator, reviewers=[cast.reviewer])
    with pytest.raises(TransitionBlocked, match="no approving review"):
        services.perform_transition(policy, "clear_review", actor=cast.reviewer)
    assert Policy.objects.get(pk=policy.pk).state == State.EXPERT_REVIEW


def test_clear_review_needs_named_supporters(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    services.update_policy(policy, actor=cast.coordinator, required_supporters=[])
    services.record_review(policy, actor=cast.reviewer, decision="approved")
    reasons = blocked_reasons(
        lambda: services.perform_transition(policy, "clear_review", actor=cast.reviewer)
    )
    assert reasons == ["No supporting institution is named; the coordinator must name one."]


def test_endorse_is_only_possible_awaiting_endorsement(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    reasons = blocked_reasons(
        lambda: services.perform_transition(
            policy, "endorse", actor=cast.endorser, instrument="X", date=datetime.date(2026, 1, 1)
        )
    )
    assert reasons == ["This action is not possible while the policy is in institutional support."]
    assert not Endorsement.objects.exists()


def test_missing_supports_are_listed_by_name_and_version(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    assert services.transition_blockers(policy, "endorse") == [
        "Bureau of Emigration and Overseas Employment has not recorded support on version 1.",
        "Federal Investigation Agency has not recorded support on version 1.",
    ]


@pytest.mark.parametrize(
    ("name", "actor"),
    [
        ("request_revision", "reviewer"),
        ("withdraw", "coordinator"),
    ],
)
def test_comment_is_required_where_the_next_person_needs_it(policy_in, cast, name, actor):
    policy = policy_in(State.EXPERT_REVIEW)
    with pytest.raises(ValidationError) as refused:
        services.perform_transition(policy, name, actor=getattr(cast, actor), comment="  ")
    assert "comment" in refused.value.message_dict
    assert Policy.objects.get(pk=policy.pk).state == State.EXPERT_REVIEW
    assert audit_actions(policy)[-1] == "submit_for_review"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"instrument": "", "date": datetime.date(2026, 1, 1)}, "instrument"),
        ({"instrument": "CD 1", "date": None}, "date"),
        ({"instrument": "CD 1", "date": datetime.date(2099, 1, 1)}, "date"),
        ({"instrument": "x" * 201, "date": datetime.date(2026, 1, 1)}, "instrument"),
    ],
)
def test_endorse_input_is_checked_and_nothing_is_written(policy_in, cast, fields, field):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.perform_transition(policy, "endorse", actor=cast.endorser, **fields)
    assert field in refused.value.message_dict
    assert Policy.objects.get(pk=policy.pk).state == State.AWAITING_ENDORSEMENT
    assert not Endorsement.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_unknown_and_automatic_transitions_are_refused(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    for name in ("complete_support", "delete", "save"):
        with pytest.raises(TransitionBlocked):
            services.perform_transition(policy, name, actor=cast.coordinator)
    assert Policy.objects.get(pk=policy.pk).state == State.INSTITUTIONAL_SUPPORT


def test_state_cannot_be_assigned_directly(new_policy):
    with pytest.raises(AttributeError):
        new_policy.state = State.ENDORSED


def test_support_twice_for_the_same_version_is_refused(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    services.record_support(
        policy, actor=cast.bureau_member, organization=cast.bureau, decision="supported"
    )
    reasons = blocked_reasons(
        lambda: services.record_support(
            policy,
            actor=cast.bureau_member,
            organization=cast.bureau,
            decision="declined",
            statement="Changed our mind.",
        )
    )
    assert reasons == [
        "Bureau of Emigration and Overseas Employment already recorded its decision on version 1."
    ]
    assert Support.objects.filter(organization=cast.bureau).count() == 1


def test_decline_needs_a_statement(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    with pytest.raises(ValidationError):
        services.record_support(
            policy, actor=cast.bureau_member, organization=cast.bureau, decision="declined"
        )
    assert not Support.objects.exists()


def test_available_transitions_follow_state_and_role(policy_in, cast):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    assert services.available_transitions(policy, cast.endorser) == [
        "endorse",
        "return_for_revision",
    ]
    assert services.available_transitions(policy, cast.coordinator) == ["withdraw"]
    assert services.available_transitions(policy, cast.observer) == []
    assert services.available_transitions(policy, cast.foreign_endorser) == []


def test_every_action_has_a_label_an_audit_action_and_an_event():
    labels = {step.name: step.label for step in transitions.user_steps()}
    assert labels["submit_for_review"] == "Submit for review"
    assert all(label and label != name for name, label in labels.items())
    for step in transitions.all_steps():
        assert AuditEntry.Action(step.name).label == step.recorded_as
        assert notify.EVENTS[step.event.code] is step.event


def test_the_declarations_are_the_state_machine():
    """Each declaration is django-fsm's transition: same sources, target and
    permission; the automatic one alone has no place among the buttons."""
    fsm = Policy._meta.get_field("state").get_all_transitions(Policy)
    declared = {(s.name, source, s.target) for s in transitions.all_steps() for source in s.sources}
    assert {(t.name, t.source, t.target) for t in fsm} == declared
    assert [s.name for s in transitions.all_steps() if s.automatic] == ["complete_support"]
    orders = [s.order for s in transitions.user_steps()]
    assert orders == sorted(set(orders))


def test_a_version_sent_back_cannot_be_resubmitted_unchanged(policy_in, walk, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    services.perform_transition(
        policy, "request_revision", actor=cast.reviewer, comment="Cost the measures."
    )
    reasons = blocked_reasons(
        lambda: services.perform_transition(policy, "submit_for_review", actor=cast.drafter)
    )
    assert reasons == ["Version 1 was sent back for revision; upload a revised version first."]

    walk.upload(policy)
    services.perform_transition(policy, "submit_for_review", actor=cast.drafter)
    assert Policy.objects.get(pk=policy.pk).state == State.EXPERT_REVIEW


def test_a_policy_reopened_unchanged_moves_on_when_its_support_is_complete(policy_in, cast):
    """Withdrawn awaiting endorsement and reopened: its version keeps every support."""
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    services.perform_transition(policy, "withdraw", actor=cast.coordinator, comment="Elections.")
    services.perform_transition(policy, "reopen", actor=cast.coordinator)
    services.perform_transition(policy, "submit_for_review", actor=cast.drafter)
    services.perform_transition(policy, "clear_review", actor=cast.reviewer)

    assert Policy.objects.get(pk=policy.pk).state == State.AWAITING_ENDORSEMENT
    assert audit_actions(policy)[-2:] == ["clear_review", "complete_support"]


def test_a_review_of_a_version_that_is_no_longer_current_is_refused(policy_in, walk, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    read = policy.current_version
    services.perform_transition(
        policy, "request_revision", actor=cast.second_reviewer, comment="Add a budget."
    )
    walk.upload(policy)
    services.perform_transition(policy, "submit_for_review", actor=cast.drafter)

    with pytest.raises(ConcurrentChange, match="Version 1 is no longer the current version"):
        services.record_review(policy, actor=cast.reviewer, decision="approved", version=read)
    assert not Review.objects.filter(decision="approved").exists()


def test_an_endorsed_policy_no_longer_changes(policy_in, cast):
    policy = policy_in(State.ENDORSED)
    with pytest.raises(TransitionBlocked, match="official record"):
        services.update_policy(policy, actor=cast.coordinator, title="Rewritten")
    assert Policy.objects.get(pk=policy.pk).title == policy.title


SUBMITTED = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    "endorsed_on", [datetime.date(1, 1, 1), SUBMITTED.date() - datetime.timedelta(days=1)]
)
def test_endorsement_dated_before_the_version_was_submitted_is_refused(
    new_policy, walk, cast, endorsed_on
):
    with clock.at(SUBMITTED):
        walk.to(new_policy, State.AWAITING_ENDORSEMENT)
    entries = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.perform_transition(
            new_policy, "endorse", actor=cast.endorser, instrument="CD 1", date=endorsed_on
        )

    assert refused.value.message_dict == {
        "date": [
            "The date of endorsement cannot be before version 1 was submitted for review, "
            "on 10 March 2026."
        ]
    }
    assert Policy.objects.get(pk=new_policy.pk).state == State.AWAITING_ENDORSEMENT
    assert not Endorsement.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_endorsement_on_the_day_of_submission_is_recorded(new_policy, walk, cast):
    with clock.at(SUBMITTED):
        walk.to(new_policy, State.AWAITING_ENDORSEMENT)

    services.perform_transition(
        new_policy, "endorse", actor=cast.endorser, instrument="CD 1", date=SUBMITTED.date()
    )

    assert Endorsement.objects.get(policy=new_policy).endorsed_on == SUBMITTED.date()


def test_an_endorsement_reads_its_conditions_once(policy_in, cast):
    """The rules run once, as the state machine's conditions: the supports and
    the current version are each read once, not again by the service."""
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    with CaptureQueriesContext(connection) as queries:
        services.perform_transition(
            policy,
            "endorse",
            actor=cast.endorser,
            instrument="Cabinet decision 7/2026",
            date=clock.today(),
            acknowledged=True,
        )
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert sum('FROM "workflow_support"' in sql for sql in reads) == 1
    assert sum('FROM "workflow_documentversion"' in sql for sql in reads) == 1
    assert Policy.objects.get(pk=policy.pk).state == State.ENDORSED
