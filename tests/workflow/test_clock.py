"""The services stamp what they record with the clock's time."""

import datetime

import pytest

from notifications.models import Notification, OutboxMessage
from workflow import clock, services
from workflow.models import AuditEntry, DocumentVersion, Policy, Review, Support

pytestmark = pytest.mark.django_db

State = Policy.State
THEN = datetime.datetime(2026, 3, 10, 9, 30, tzinfo=datetime.UTC)


def test_everything_recorded_inside_at_carries_its_moment(
    cast, walk, django_capture_on_commit_callbacks
):
    with clock.at(THEN), django_capture_on_commit_callbacks(execute=True):
        policy = services.register_policy(
            actor=cast.coordinator,
            project=cast.project,
            title="Clocked policy",
            short_title="Clocked",
            country="PK",
            lead_ministry=cast.ministry,
            required_supporters=[cast.bureau, cast.agency],
            drafters=[cast.drafter],
            reviewers=[cast.reviewer],
        )
        walk.to(policy, State.AWAITING_ENDORSEMENT)

    policy = Policy.objects.get(pk=policy.pk)
    assert (policy.created_at, policy.updated_at) == (THEN, THEN)
    stamps = {
        *AuditEntry.objects.filter(policy=policy).values_list("at", flat=True),
        *DocumentVersion.objects.filter(policy=policy).values_list("uploaded_at", flat=True),
        *Review.objects.filter(policy=policy).values_list("created_at", flat=True),
        *Support.objects.filter(policy=policy).values_list("recorded_at", flat=True),
        *OutboxMessage.objects.values_list("created_at", flat=True),
        *Notification.objects.values_list("created_at", flat=True),
    }
    assert stamps == {THEN}
    assert Notification.objects.exists()


def test_outside_at_the_services_record_the_real_time(new_policy):
    assert clock.now() > THEN
    assert new_policy.audit_entries.get().at > THEN


def test_today_follows_the_clock_and_a_naive_moment_is_refused():
    with clock.at(THEN):
        assert clock.today() == datetime.date(2026, 3, 10)
    with pytest.raises(ValueError, match="aware"), clock.at(datetime.datetime(2026, 3, 10)):
        pass
