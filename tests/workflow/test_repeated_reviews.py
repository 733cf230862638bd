"""A reviewer's decision is recorded once: saying the same again is refused, never stored."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from workflow import services
from workflow.exceptions import TransitionBlocked
from workflow.models import AuditEntry, Policy, Review

State = Policy.State
APPROVED, CHANGES = Review.Decision.APPROVED, Review.Decision.CHANGES_REQUESTED


def review_entries(policy):
    return AuditEntry.objects.filter(policy=policy, action=AuditEntry.Action.REVIEW).count()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("decision", "label"), [(APPROVED, "Approved"), (CHANGES, "Changes requested")]
)
def test_the_same_decision_again_is_refused(cast, policy_in, decision, label):
    policy = policy_in(State.EXPERT_REVIEW)
    services.record_review(policy, actor=cast.reviewer, decision=decision, comment="First.")
    with pytest.raises(TransitionBlocked) as refusal:
        services.record_review(policy, actor=cast.reviewer, decision=decision, comment="Again.")
    assert refusal.value.reasons == [f"You already recorded “{label}” on version 1."]
    assert list(Review.objects.values_list("comment", flat=True)) == ["First."]
    assert review_entries(policy) == 1


@pytest.mark.django_db
def test_a_reviewer_may_change_their_mind_but_not_repeat_it(cast, policy_in):
    policy = policy_in(State.EXPERT_REVIEW)
    services.record_review(policy, actor=cast.reviewer, decision=CHANGES, comment="Fix 2.")
    services.record_review(policy, actor=cast.reviewer, decision=APPROVED, comment="Fine now.")
    with pytest.raises(TransitionBlocked):
        services.record_review(policy, actor=cast.reviewer, decision=APPROVED)
    # Another reviewer's same decision is their own.
    services.record_review(policy, actor=cast.second_reviewer, decision=APPROVED)
    assert Review.objects.count() == 3
    assert review_entries(policy) == 3


@pytest.mark.django_db
def test_a_double_submitted_review_form_records_one_review(client, cast, policy_in):
    policy = policy_in(State.EXPERT_REVIEW)
    # Another reviewer still asks for changes: the approval does not clear the review
    # (which would move the policy on and refuse the second post as out of date).
    services.record_review(policy, actor=cast.second_reviewer, decision=CHANGES, comment="No.")
    client.force_login(cast.reviewer)
    form = {
        "revision": policy.revision,
        "version": policy.current_version.pk,
        "decision": "approved",
        "comment": "Well argued.",
    }
    url = reverse("web:review", args=[policy.pk])
    assert client.post(url, form).status_code == 303
    second = client.post(url, form)
    assert second.status_code == 409
    assert "You already recorded “Approved” on version 1." in second.content.decode()
    assert Review.objects.filter(reviewer=cast.reviewer).count() == 1
    assert review_entries(policy) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_identical_reviews_at_once_record_one(cast, policy_in):
    policy = policy_in(State.EXPERT_REVIEW)
    barrier = threading.Barrier(2, timeout=10)
    outcomes = []

    def post():
        try:
            loaded = Policy.objects.get(pk=policy.pk)
            barrier.wait()
            services.record_review(loaded, actor=cast.reviewer, decision=APPROVED)
            outcomes.append("ok")
        except Exception as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes.count("ok") == 1
    assert [type(o) for o in outcomes if o != "ok"] == [TransitionBlocked]
    assert Review.objects.count() == 1
    assert review_entries(policy) == 1
