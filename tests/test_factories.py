"""``PolicyFactory`` leaves the record the walk through the services leaves.

Tests arrange a policy in a state with the factory; what they read of it
(versions, decisions, endorsement, audit entries, revision) must be what a
policy that went through the services has, or they would test a fiction.
"""

import pytest

from tests.conftest import cast_policy
from tests.factories import PolicyFactory, docx_bytes, member
from workflow import clock, services
from workflow.exceptions import OutsideService
from workflow.models import Membership, Policy

pytestmark = pytest.mark.django_db
State = Policy.State


def record(policy):
    """Everything about ``policy`` a page or a rule reads, by stable names."""
    policy = Policy.objects.get(pk=policy.pk)
    versions = [
        (
            v.number,
            v.uploaded_by.username,
            v.size,
            v.sha256,
            v.extraction,
            v.word_count,
            v.tracked_insertions,
            v.tracked_deletions,
            v.comment_count,
            v.file.open("rb").read() == docx_bytes(f"Draft number {v.number}."),
        )
        for v in policy.versions.order_by("number")
    ]
    audit = []
    for e in policy.audit_entries.order_by("at", "pk"):
        details = dict(e.details)
        audit.append(
            (
                e.action,
                e.from_state,
                e.to_state,
                e.actor.username if e.actor else None,
                e.version.number if e.version else None,
                e.comment,
                details,
            )
        )
    endorsement = getattr(policy, "endorsement", None)
    return {
        "state": policy.state,
        "revision": policy.revision,
        "assignments": [
            sorted(getattr(policy, f).values_list("pk", flat=True))
            for f in ("drafters", "reviewers", "required_supporters", "themes")
        ],
        "versions": versions,
        "reviews": [
            (r.version.number, r.reviewer.username, r.decision, r.comment)
            for r in policy.reviews.all()
        ],
        "supports": [
            (s.version.number, s.organization_id, s.recorded_by.username, s.decision, s.statement)
            for s in policy.supports.all()
        ],
        "endorsement": endorsement
        and (
            endorsement.version.number,
            endorsement.ministry_id,
            endorsement.endorsed_by.username,
            endorsement.instrument,
            endorsement.endorsed_on,
        ),
        "audit": audit,
    }


@pytest.mark.parametrize("state", State.values)
def test_the_factory_writes_what_the_walk_through_the_services_writes(state, cast, walk):
    walked = walk.to(services.register_policy(actor=cast.coordinator, **cast_policy(cast)), state)
    walked_record = record(walked)
    fields = {**cast_policy(cast), "short_title": "Built", "title": "Built directly"}
    built = PolicyFactory(state=state, coordinator=cast.coordinator, **fields)
    assert record(built) == walked_record


def test_the_guard_holds_again_once_the_factory_built(cast):
    policy = PolicyFactory(state=State.AWAITING_ENDORSEMENT)
    policy.title = "Renamed in a shell"
    with pytest.raises(OutsideService):
        policy.save()
    with pytest.raises(OutsideService):
        PolicyFactory.build().save()
    assert Policy.objects.get(pk=policy.pk).title != "Renamed in a shell"


def test_a_policy_made_by_the_factory_goes_on_through_the_services(cast):
    """Built awaiting endorsement with its own people, it is endorsed as any other."""
    policy = PolicyFactory(state=State.AWAITING_ENDORSEMENT)
    endorser = member(policy.lead_ministry, Membership.Role.MINISTRY_ENDORSER)
    services.perform_transition(
        policy, "endorse", actor=endorser, instrument="Decree 7", date=clock.today()
    )
    policy.refresh_from_db()
    assert policy.state == State.ENDORSED
    assert policy.endorsement.instrument == "Decree 7"
    assert policy.audit_entries.last().action == "endorse"


@pytest.mark.parametrize(
    ("state", "versions"), [(State.DRAFTING, 1), (State.EXPERT_REVIEW, 2), (State.WITHDRAWN, 1)]
)
def test_versions_uploaded_in_drafting_as_the_walk_uploads_them(state, versions, cast, walk):
    walked = services.register_policy(actor=cast.coordinator, **cast_policy(cast))
    for _ in range(versions):
        walk.upload(walked)
    walked_record = record(walk.to(walked, state))
    fields = {**cast_policy(cast), "short_title": "Built", "title": "Built directly"}
    built = PolicyFactory(state=state, versions=versions, coordinator=cast.coordinator, **fields)
    assert record(built) == walked_record
