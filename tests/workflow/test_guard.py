"""Writes that skip the services are refused, whatever calls them."""

import pytest
from django.db import transaction

from workflow.exceptions import OutsideService
from workflow.models import AuditEntry, Policy, Support

pytestmark = pytest.mark.django_db
State = Policy.State


def test_a_transition_taken_outside_a_service_is_never_stored(policy_in):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    policy.return_for_revision()
    with pytest.raises(OutsideService):
        policy.save()
    with pytest.raises(AttributeError):
        policy.state = State.ENDORSED  # protected: only a transition moves it
    assert Policy.objects.get(pk=policy.pk).state == State.AWAITING_ENDORSEMENT
    assert not policy.audit_entries.filter(action="return_for_revision").exists()


def test_policies_are_not_saved_or_updated_outside_a_service(new_policy, cast):
    new_policy.title = "Renamed in a shell"
    with pytest.raises(OutsideService):
        new_policy.save()
    with pytest.raises(OutsideService):
        Policy.objects.filter(pk=new_policy.pk).update(title="Renamed in bulk")
    with pytest.raises(OutsideService):
        Policy.objects.create(
            title="Born endorsed",
            short_title="born",
            country="PK",
            lead_ministry=cast.ministry,
            project=cast.project,
        )
    assert list(Policy.objects.values_list("title", flat=True)) == [
        "National Emigration and Welfare Policy for Overseas Pakistanis"
    ]


def test_assignments_do_not_change_outside_a_service(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    # Each in a transaction of its own, as a shell in autocommit would run it.
    with pytest.raises(OutsideService), transaction.atomic():
        policy.required_supporters.remove(cast.agency)
    with pytest.raises(OutsideService), transaction.atomic():
        policy.reviewers.add(cast.unassigned_expert)
    with pytest.raises(OutsideService), transaction.atomic():
        policy.drafters.clear()
    policy = Policy.objects.get(pk=policy.pk)
    assert set(policy.required_supporters.all()) == {cast.bureau, cast.agency}
    assert cast.unassigned_expert not in policy.reviewers.all()


def test_records_are_not_added_outside_a_service(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    audit_before = AuditEntry.objects.count()
    with pytest.raises(OutsideService):
        Support.objects.create(
            policy=policy,
            version=policy.current_version,
            organization=cast.foreign_institution,
            decision="supported",
            recorded_by=cast.foreign_member,
        )
    with pytest.raises(OutsideService):
        AuditEntry.objects.bulk_create([AuditEntry(policy=policy, action="endorse")])
    assert not Support.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_bulk_created_policies_are_refused(cast):
    with pytest.raises(OutsideService), transaction.atomic():
        Policy.objects.bulk_create(
            [
                Policy(
                    title="Bulk",
                    short_title="bulk",
                    country="PK",
                    lead_ministry=cast.ministry,
                    project=cast.project,
                )
            ]
        )
    assert not Policy.objects.exists()
