"""Due dates run forward: support after review, and none in the past unless a
coordinator says they are back-filling history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import register
from workflow import clock, services
from workflow.models import AuditEntry, Policy

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def register_with(cast, **dates):
    return register(cast, "PK emigration policy", **dates)


@pytest.mark.parametrize("field", ["review_due", "support_due"])
def test_registering_with_a_past_due_date_is_refused_and_nothing_is_stored(cast, field):
    with pytest.raises(ValidationError) as refused:
        register_with(cast, **{field: days(-1)})
    assert list(refused.value.error_dict) == [field]
    assert "This date has passed." in refused.value.error_dict[field][0].messages[0]
    assert not Policy.objects.exists()
    assert not AuditEntry.objects.exists()


def test_back_filling_history_accepts_a_past_schedule_and_says_so(cast):
    policy = register_with(cast, review_due=days(-40), support_due=days(-10), backfill=True)
    assert (policy.review_due, policy.support_due) == (days(-40), days(-10))
    entry = AuditEntry.objects.get(policy=policy)
    assert entry.details == {"backfill": True}


@pytest.mark.parametrize("backfill", [False, True])
def test_support_is_never_due_before_the_review(cast, backfill):
    with pytest.raises(ValidationError) as refused:
        register_with(cast, review_due=days(20), support_due=days(10), backfill=backfill)
    assert list(refused.value.error_dict) == ["support_due"]
    assert not Policy.objects.exists()


def test_support_due_on_the_day_the_review_is_due_is_fine(cast):
    policy = register_with(cast, review_due=days(10), support_due=days(10))
    assert policy.support_due == days(10)


def test_moving_a_date_into_the_past_is_refused_and_nothing_changes(cast):
    policy = register_with(cast, review_due=days(10))
    with pytest.raises(ValidationError) as refused:
        services.update_policy(policy, actor=cast.coordinator, review_due=days(-1))
    assert list(refused.value.error_dict) == ["review_due"]
    policy.refresh_from_db()
    assert policy.review_due == days(10)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DETAILS_CHANGED).count() == 0


def test_a_date_that_has_since_passed_does_not_block_other_changes(cast):
    with clock.at(timezone.now() - datetime.timedelta(days=30)):
        policy = register_with(cast, review_due=days(-5))  # ahead when it was set
    services.update_policy(policy, actor=cast.coordinator, summary="Now with a summary.")
    policy.refresh_from_db()
    assert policy.summary == "Now with a summary."
    assert policy.review_due == days(-5)


def test_a_support_date_moved_before_the_review_is_refused(cast):
    policy = register_with(cast, review_due=days(10), support_due=days(20))
    with pytest.raises(ValidationError) as refused:
        services.update_policy(policy, actor=cast.coordinator, support_due=days(5))
    assert list(refused.value.error_dict) == ["support_due"]
