"""Registering a policy and changing its details: coordinators only, checked, audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import ProjectFactory
from workflow import services
from workflow.exceptions import ConcurrentChange, TransitionBlocked
from workflow.models import AuditEntry, Policy

pytestmark = pytest.mark.django_db
State = Policy.State


def register(cast, **overrides):
    values = {
        "title": "National Comprehensive Migration Policy",
        "short_title": "AF migration policy",
        "country": "PK",
        "lead_ministry": cast.ministry,
        "required_supporters": [cast.bureau],
        "drafters": [cast.drafter],
        "reviewers": [cast.reviewer],
    }
    values.update(overrides)
    return services.register_policy(actor=cast.coordinator, project=cast.project, **values)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"lead_ministry": "bureau"}, "lead_ministry"),
        ({"lead_ministry": "foreign_ministry"}, "lead_ministry"),
        ({"required_supporters": ["ministry"]}, "required_supporters"),
        ({"required_supporters": ["donor"]}, "required_supporters"),
        ({"required_supporters": ["foreign_institution"]}, "required_supporters"),
        ({"drafters": ["other_implementer_coordinator"]}, "drafters"),
        ({"drafters": ["bureau_member"]}, "drafters"),
        ({"reviewers": ["drafter"]}, "reviewers"),
        ({"title": ""}, "title"),
        ({"country": "XX"}, "country"),
    ],
)
def test_bad_registration_is_refused_and_writes_nothing(cast, overrides, field):
    resolved = {
        key: (
            [getattr(cast, v) for v in value]
            if isinstance(value, list)
            else getattr(cast, value, value)
        )
        for key, value in overrides.items()
    }
    with pytest.raises(ValidationError) as refused:
        register(cast, **resolved)
    assert field in refused.value.message_dict
    assert not Policy.objects.exists()
    assert not AuditEntry.objects.exists()


def test_duplicate_short_title_is_refused(cast):
    register(cast)
    with pytest.raises(ValidationError) as refused:
        register(cast, title="Another title")
    assert "short_title" in refused.value.message_dict
    assert Policy.objects.count() == 1


def test_details_change_is_audited_with_what_changed(new_policy, cast):
    services.update_policy(
        new_policy,
        actor=cast.coordinator,
        summary="Covers emigrant welfare.",
        reviewers=[cast.reviewer],
    )
    entry = AuditEntry.objects.filter(policy=new_policy).latest("pk")
    assert entry.action == "details_changed"
    assert entry.actor == cast.coordinator
    assert entry.details["changed"] == {
        "summary": {"from": "", "to": "Covers emigrant welfare."},
        "reviewers": {
            "from": sorted([str(cast.reviewer), str(cast.second_reviewer)]),
            "to": [str(cast.reviewer)],
        },
    }
    policy = Policy.objects.get(pk=new_policy.pk)
    assert list(policy.reviewers.all()) == [cast.reviewer]
    assert policy.revision == 1


def test_no_change_writes_no_audit_entry(new_policy, cast):
    services.update_policy(new_policy, actor=cast.coordinator, title=new_policy.title)
    assert AuditEntry.objects.filter(policy=new_policy).count() == 1


@pytest.mark.parametrize("state", [State.INSTITUTIONAL_SUPPORT, State.AWAITING_ENDORSEMENT])
def test_required_supporters_are_frozen_once_support_is_collected(policy_in, cast, state):
    policy = policy_in(state)
    with pytest.raises(TransitionBlocked, match="return it to drafting first"):
        services.update_policy(policy, actor=cast.coordinator, required_supporters=[cast.bureau])
    assert set(Policy.objects.get(pk=policy.pk).required_supporters.all()) == {
        cast.bureau,
        cast.agency,
    }


def test_acting_on_a_stale_copy_is_refused(new_policy, cast):
    stale = Policy.objects.get(pk=new_policy.pk)
    services.update_policy(new_policy, actor=cast.coordinator, summary="First edit.")
    with pytest.raises(ConcurrentChange, match="Reload it"):
        services.update_policy(stale, actor=cast.coordinator, summary="Second edit.")
    assert Policy.objects.get(pk=new_policy.pk).summary == "First edit."


def test_moving_a_policy_into_another_implementers_project_is_refused(new_policy, cast):
    foreign_project = ProjectFactory(
        name="Other programme",
        implementer=cast.other_implementer_coordinator.memberships.get().organization,
    )
    services.update_policy(new_policy, actor=cast.coordinator, drafters=[], reviewers=[])
    with pytest.raises(PermissionDenied, match="move a policy into it"):
        services.update_policy(new_policy, actor=cast.coordinator, project=foreign_project)
    assert Policy.objects.get(pk=new_policy.pk).project == cast.project
