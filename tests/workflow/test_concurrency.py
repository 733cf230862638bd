"""Two people acting on one policy at the same moment, on real PostgreSQL.

Each thread has its own database connection. Both load the policy, meet
at a barrier, then act: the row lock lets one through at a time and the
revision check tells the slower one that the policy changed.
"""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from workflow import services
from workflow.exceptions import ConcurrentChange, TransitionBlocked
from workflow.models import AuditEntry, Endorsement, Policy, Support

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
State = Policy.State


def run_race(policy, *actions):
    """Run every ``action(policy)`` at once, each in a thread with its own
    connection and its own copy of the policy; return what each gave:
    "ok" or the exception it raised."""
    barrier = threading.Barrier(len(actions), timeout=10)
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            loaded = Policy.objects.get(pk=policy.pk)
            barrier.wait()
            action(loaded)
            outcomes[index] = "ok"
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    return outcomes


def test_two_endorsements_at_once_give_exactly_one(policy_in, cast):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    second_endorser = cast.endorser.__class__.objects.create_user("endorser2")
    second_endorser.memberships.create(organization=cast.ministry, role="ministry_endorser")
    audit_before = AuditEntry.objects.count()

    def endorse_as(user, instrument):
        return lambda p: services.perform_transition(
            p, "endorse", actor=user, instrument=instrument, date=timezone.localdate()
        )

    outcomes = run_race(
        policy,
        endorse_as(cast.endorser, "Cabinet decision 1"),
        endorse_as(second_endorser, "Cabinet decision 2"),
    )

    assert outcomes.count("ok") == 1
    loser = next(o for o in outcomes if o != "ok")
    assert isinstance(loser, ConcurrentChange)
    assert "changed by someone else" in str(loser)
    assert Endorsement.objects.count() == 1
    assert Policy.objects.get(pk=policy.pk).state == State.ENDORSED
    assert AuditEntry.objects.count() == audit_before + 1
    assert AuditEntry.objects.filter(action="endorse").count() == 1


def test_the_last_two_supports_at_once_advance_exactly_once(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    audit_before = AuditEntry.objects.count()

    def support_for(user, organization):
        return lambda p: services.record_support(
            p, actor=user, organization=organization, decision="supported"
        )

    outcomes = run_race(
        policy,
        support_for(cast.bureau_member, cast.bureau),
        support_for(cast.agency_member, cast.agency),
    )

    # Different institutions do not conflict: both supports land, and the
    # one that came second sees the first and completes the step, once.
    assert outcomes == ["ok", "ok"]
    assert Support.objects.filter(policy=policy).count() == 2
    assert Policy.objects.get(pk=policy.pk).state == State.AWAITING_ENDORSEMENT
    actions = AuditEntry.objects.order_by("pk").values_list("action", flat=True)
    assert list(actions)[-3:] == ["support", "support", "complete_support"]
    assert AuditEntry.objects.count() == audit_before + 3


def test_two_members_of_one_institution_at_once_record_one_decision(policy_in, cast):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    colleague = cast.bureau_member.__class__.objects.create_user("bureau2")
    colleague.memberships.create(organization=cast.bureau, role="institution_member")

    outcomes = run_race(
        policy,
        lambda p: services.record_support(
            p, actor=cast.bureau_member, organization=cast.bureau, decision="supported"
        ),
        lambda p: services.record_support(
            p,
            actor=colleague,
            organization=cast.bureau,
            decision="declined",
            statement="Not yet.",
        ),
    )

    assert outcomes.count("ok") == 1
    loser = next(o for o in outcomes if o != "ok")
    assert isinstance(loser, TransitionBlocked)
    assert "already recorded its decision" in str(loser)
    assert Support.objects.filter(policy=policy, organization=cast.bureau).count() == 1
    decisions = [AuditEntry.Action.SUPPORT, AuditEntry.Action.SUPPORT_DECLINED]
    assert AuditEntry.objects.filter(policy=policy, action__in=decisions).count() == 1


def test_withdraw_against_endorse_one_wins(policy_in, cast):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    outcomes = run_race(
        policy,
        lambda p: services.perform_transition(
            p, "endorse", actor=cast.endorser, instrument="CD 9", date=timezone.localdate()
        ),
        lambda p: services.perform_transition(
            p, "withdraw", actor=cast.coordinator, comment="Funding ended."
        ),
    )
    assert outcomes.count("ok") == 1
    assert isinstance(next(o for o in outcomes if o != "ok"), ConcurrentChange)
    state = Policy.objects.get(pk=policy.pk).state
    assert state in (State.ENDORSED, State.WITHDRAWN)
    assert Endorsement.objects.count() == (1 if state == State.ENDORSED else 0)
    assert AuditEntry.objects.filter(action__in=["endorse", "withdraw"]).count() == 1
