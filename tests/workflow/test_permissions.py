"""Who may take which action, checked by the services object by object.

The matrix takes every actor in the cast through every action on the
cast's Pakistani policy: the lead ministry, the required institutions and
the assigned experts are "own"; another country's ministry and
institution, an unassigned expert, another implementer's coordinator and
the observer of a donor that funds another project are "foreign". A
refusal must leave every row as it was.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from documents.services import add_version
from tests.factories import ProjectFactory, docx_upload, member
from workflow import permissions, services
from workflow.models import (
    AuditEntry,
    DocumentVersion,
    Endorsement,
    Membership,
    Policy,
    Review,
    Support,
)

Role = Membership.Role

pytestmark = pytest.mark.django_db
State = Policy.State

ACTORS = [
    "coordinator",
    "other_implementer_coordinator",
    "drafter",
    "reviewer",
    "unassigned_expert",
    "endorser",
    "foreign_endorser",
    "bureau_member",
    "foreign_member",
    "observer",
    "other_observer",
    "anonymous",
]


def _transition(name, **fields):
    def act(policy, actor, cast):
        services.perform_transition(policy, name, actor=actor, comment="Because.", **fields)

    return act


def _approve_first(policy, cast):
    services.record_review(policy, actor=cast.second_reviewer, decision="approved")


# action: (state to start in, extra arrangement, the act, who may)
ACTIONS = {
    "submit_for_review": (
        State.DRAFTING,
        lambda policy, cast: add_version(policy, actor=cast.drafter, uploaded_file=docx_upload()),
        _transition("submit_for_review"),
        {"coordinator", "drafter"},
    ),
    "request_revision": (
        State.EXPERT_REVIEW,
        None,
        _transition("request_revision"),
        {"coordinator", "reviewer"},
    ),
    "clear_review": (
        State.EXPERT_REVIEW,
        _approve_first,
        _transition("clear_review"),
        {"coordinator", "reviewer"},
    ),
    "return_to_drafting": (
        State.INSTITUTIONAL_SUPPORT,
        None,
        _transition("return_to_drafting"),
        {"coordinator"},
    ),
    "return_for_revision": (
        State.AWAITING_ENDORSEMENT,
        None,
        _transition("return_for_revision"),
        {"endorser"},
    ),
    "endorse": (
        State.AWAITING_ENDORSEMENT,
        None,
        _transition("endorse", instrument="Cabinet decision 7/2026", date=timezone.localdate()),
        {"endorser"},
    ),
    "withdraw": (State.DRAFTING, None, _transition("withdraw"), {"coordinator"}),
    "reopen": (State.WITHDRAWN, None, _transition("reopen"), {"coordinator"}),
    "record_review": (
        State.EXPERT_REVIEW,
        None,
        lambda policy, actor, cast: services.record_review(
            policy, actor=actor, decision="approved"
        ),
        {"reviewer"},
    ),
    "record_support": (
        State.INSTITUTIONAL_SUPPORT,
        None,
        lambda policy, actor, cast: services.record_support(
            policy, actor=actor, organization=cast.bureau, decision="supported"
        ),
        {"bureau_member"},
    ),
    "add_version": (
        State.DRAFTING,
        None,
        lambda policy, actor, cast: add_version(
            policy, actor=actor, uploaded_file=docx_upload("A later draft.")
        ),
        {"coordinator", "drafter"},
    ),
}


def second_implementers_policy(cast):
    """A policy of the other implementer's project, funded by the other donor."""
    other_coordinator = cast.other_implementer_coordinator
    project = ProjectFactory(
        name="Another Facility", implementer=other_coordinator.memberships.get().organization
    )
    project.donors.add(cast.other_donor)
    return services.register_policy(
        actor=other_coordinator,
        project=project,
        title="Another implementer's policy",
        short_title="Another policy",
        country="IQ",
        lead_ministry=cast.foreign_ministry,
    )


def snapshot(policy):
    fresh = Policy.objects.get(pk=policy.pk)
    return {
        "state": fresh.state,
        "revision": fresh.revision,
        "audit": AuditEntry.objects.count(),
        "supports": Support.objects.count(),
        "reviews": Review.objects.count(),
        "endorsements": Endorsement.objects.count(),
        "versions": DocumentVersion.objects.count(),
    }


@pytest.mark.parametrize("actor_name", ACTORS)
@pytest.mark.parametrize("action", ACTIONS)
def test_permission_matrix(policy_in, cast, action, actor_name):
    state, arrange, act, allowed = ACTIONS[action]
    policy = policy_in(state)
    if arrange:
        arrange(policy, cast)
    actor = AnonymousUser() if actor_name == "anonymous" else getattr(cast, actor_name)
    before = snapshot(policy)

    if actor_name in allowed:
        act(policy, actor, cast)
        assert snapshot(policy)["audit"] == before["audit"] + 1
    else:
        with pytest.raises(PermissionDenied):
            act(policy, actor, cast)
        assert snapshot(policy) == before


def test_uploader_may_not_review_or_clear_their_own_version(new_policy, walk, cast):
    cast.reviewer.memberships.create(organization=cast.implementer, role="drafter")
    services.update_policy(new_policy, actor=cast.coordinator, drafters=[cast.reviewer])
    walk.upload(new_policy, by=cast.reviewer)
    services.perform_transition(new_policy, "submit_for_review", actor=cast.reviewer)
    services.record_review(new_policy, actor=cast.second_reviewer, decision="approved")
    before = snapshot(new_policy)

    with pytest.raises(PermissionDenied, match="You uploaded version 1"):
        services.record_review(new_policy, actor=cast.reviewer, decision="approved")
    with pytest.raises(PermissionDenied):
        services.perform_transition(new_policy, "clear_review", actor=cast.reviewer)
    with pytest.raises(PermissionDenied):
        services.perform_transition(
            new_policy, "request_revision", actor=cast.reviewer, comment="My own text."
        )
    assert snapshot(new_policy) == before

    services.perform_transition(new_policy, "clear_review", actor=cast.second_reviewer)
    assert Policy.objects.get(pk=new_policy.pk).state == State.INSTITUTIONAL_SUPPORT


def test_own_organisation_but_the_wrong_role_is_refused(policy_in, cast):
    """A member of the lead ministry who is not an endorser, an observer in the bureau."""
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    ministry_clerk = member(cast.ministry, Role.INSTITUTION_MEMBER, user__username="clerk")
    before = snapshot(policy)
    with pytest.raises(PermissionDenied):
        services.perform_transition(
            policy, "endorse", actor=ministry_clerk, instrument="X", date=datetime.date(2026, 1, 1)
        )
    assert services.available_transitions(policy, ministry_clerk) == []
    assert snapshot(policy) == before

    # Back through review to collecting support on a revised version.
    services.perform_transition(
        policy, "return_for_revision", actor=cast.endorser, comment="Align with the Act."
    )
    add_version(policy, actor=cast.drafter, uploaded_file=docx_upload("Aligned."))
    services.perform_transition(policy, "submit_for_review", actor=cast.drafter)
    services.record_review(policy, actor=cast.reviewer, decision="approved")
    services.perform_transition(policy, "clear_review", actor=cast.reviewer)
    # An observer's membership in the bureau (bypassing the role check) does not speak for it.
    watcher = member(cast.bureau, Role.OBSERVER, user__username="watcher")
    with pytest.raises(PermissionDenied):
        services.record_support(
            policy, actor=watcher, organization=cast.bureau, decision="supported"
        )
    assert not Support.objects.filter(version=policy.current_version).exists()


def test_an_expert_who_left_the_implementer_loses_the_assignment(policy_in, cast):
    policy = policy_in(State.EXPERT_REVIEW)
    cast.reviewer.memberships.all().delete()
    before = snapshot(policy)
    with pytest.raises(PermissionDenied):
        services.record_review(policy, actor=cast.reviewer, decision="approved")
    with pytest.raises(PermissionDenied):
        services.perform_transition(policy, "request_revision", actor=cast.reviewer, comment="x")
    assert snapshot(policy) == before


def test_institution_member_cannot_speak_for_another_institution(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    before = snapshot(policy)
    with pytest.raises(PermissionDenied, match="Federal Investigation Agency"):
        services.record_support(
            policy, actor=cast.bureau_member, organization=cast.agency, decision="supported"
        )
    with pytest.raises(PermissionDenied):
        services.record_support(
            policy,
            actor=cast.foreign_member,
            organization=cast.foreign_institution,
            decision="supported",
        )
    assert snapshot(policy) == before


def test_inactive_user_is_refused(policy_in, cast):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    cast.endorser.is_active = False
    cast.endorser.save()
    with pytest.raises(PermissionDenied):
        services.perform_transition(
            policy, "endorse", actor=cast.endorser, instrument="X", date=datetime.date(2026, 1, 1)
        )
    assert not Endorsement.objects.exists()


def test_only_the_project_coordinator_may_register_and_edit(cast, new_policy):
    with pytest.raises(PermissionDenied):
        services.register_policy(
            actor=cast.other_implementer_coordinator,
            project=cast.project,
            title="Another",
            short_title="another",
            country="PK",
            lead_ministry=cast.ministry,
        )
    with pytest.raises(PermissionDenied):
        services.update_policy(new_policy, actor=cast.drafter, title="Renamed")
    assert Policy.objects.count() == 1
    assert Policy.objects.get().title == new_policy.title


class TestVisibility:
    def test_participants_see_the_policy(self, new_policy, cast):
        for user in (
            cast.coordinator,
            cast.observer,
            cast.drafter,
            cast.reviewer,
            cast.endorser,
            cast.bureau_member,
            cast.agency_member,
        ):
            assert list(Policy.objects.visible_to(user)) == [new_policy], user

    def test_outsiders_do_not(self, new_policy, cast):
        for user in (
            cast.unassigned_expert,
            cast.foreign_endorser,
            cast.foreign_member,
            cast.other_implementer_coordinator,
            cast.other_observer,
            AnonymousUser(),
        ):
            assert not Policy.objects.visible_to(user).exists(), user
            assert not permissions.may_view(new_policy, user), user

    def test_each_implementer_and_donor_reads_its_own_projects(self, new_policy, cast):
        other = second_implementers_policy(cast)
        assert list(Policy.objects.visible_to(cast.other_implementer_coordinator)) == [other]
        assert list(Policy.objects.visible_to(cast.other_observer)) == [other]
        assert list(Policy.objects.visible_to(cast.coordinator)) == [new_policy]
        assert list(Policy.objects.visible_to(cast.observer)) == [new_policy]
        # A coordinator who also observes for the other donor reads both.
        member(cast.other_donor, Role.OBSERVER, user=cast.coordinator)
        assert set(Policy.objects.visible_to(cast.coordinator)) == {new_policy, other}

    def test_an_implementers_observer_follows_its_projects(self, new_policy, cast):
        staff_observer = member(cast.implementer, Role.OBSERVER, user__username="watcher")
        assert list(Policy.objects.visible_to(staff_observer)) == [new_policy]

    def test_a_single_implementer_deployment_reads_everything(self, new_policy, cast, settings):
        other = second_implementers_policy(cast)
        settings.READ_WHOLE_PORTFOLIO = True
        for user in (cast.other_implementer_coordinator, cast.other_observer, cast.observer):
            assert set(Policy.objects.visible_to(user)) == {new_policy, other}, user
        # Reading is all it widens: acting still needs the project's coordinator.
        with pytest.raises(PermissionDenied):
            services.perform_transition(
                new_policy, "withdraw", actor=cast.other_implementer_coordinator, comment="No."
            )
        # Others still see only what they take part in.
        assert list(Policy.objects.visible_to(cast.endorser)) == [new_policy]
        assert not Policy.objects.visible_to(cast.foreign_member).exists()

    def test_the_scope_needs_no_distinct(self, new_policy, cast):
        """Visibility is subqueries: no row repeats however many ways a user takes part."""
        second_implementers_policy(cast)
        member(cast.implementer, Role.OBSERVER, user=cast.coordinator)
        cast.coordinator.memberships.create(organization=cast.implementer, role=Role.DRAFTER)
        services.update_policy(new_policy, actor=cast.coordinator, drafters=[cast.coordinator])
        query = Policy.objects.visible_to(cast.coordinator)
        assert list(query) == [new_policy]
        assert "DISTINCT" not in str(query.query).upper()

    def test_outsiders_are_refused_even_transitions_they_could_not_see(self, policy_in, cast):
        policy = policy_in(State.AWAITING_ENDORSEMENT)
        with pytest.raises(PermissionDenied, match="do not take part"):
            services.perform_transition(
                policy,
                "endorse",
                actor=cast.foreign_endorser,
                instrument="X",
                date=datetime.date(2026, 1, 1),
            )
        assert services.available_transitions(policy, cast.foreign_endorser) == []
