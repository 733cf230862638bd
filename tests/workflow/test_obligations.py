"""Who owes each step: the dashboard, the reminders, the "waiting for" sentence
and the permissions agree, for every person, in every state.

Each door is asked its own way (the dashboard's items, the reminders'
recipients once every due date is past, the sentence, the permission
predicates and the transitions a person may take), and the answers must
match: a person has a review on their dashboard exactly when they may
record a review and an overdue review reminds them, and so on for each
step.
"""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from tests.demo_mode import enter_demo_mode
from tests.factories import member, register
from web.selectors import dashboard
from workflow import obligations, permissions, reminders, selectors, services
from workflow.models import Membership, Policy, Review, Support
from workflow.rules import display_name

pytestmark = pytest.mark.django_db
State = Policy.State
Role = Membership.Role


def dashboard_items(user, policies):
    """``{(step, policy pk, organisation pk or None): task}`` from the dashboard."""
    items = {}
    for item in dashboard.reviews_to_do(user):
        items["review", item.policy.pk, None] = item.task
    for item in dashboard.supports_to_record(user):
        [organization] = [
            o for o in policies[item.policy.pk].required_supporters.all() if o.name in item.task
        ]
        items["support", item.policy.pk, organization.pk] = item.task
    for item in dashboard.endorsements_to_decide(user):
        items["endorsement", item.policy.pk, None] = item.task
    for item in dashboard.drafts_to_prepare(user):
        items["draft", item.policy.pk, None] = item.task
    for item in dashboard.declines_to_resolve(user):
        items["decline", item.policy.pk, None] = item.task
    # The list the page shows is exactly these, soonest due first.
    listed = dashboard.waiting_on(user)
    assert len(listed) == len(items), user
    # Given the roles the user holds, only the steps they can owe are asked: the same list.
    by_roles = dashboard.waiting_on(user, dashboard.roles_held(user))
    shown = [(i.policy.pk, i.task, i.due) for i in listed]
    assert [(i.policy.pk, i.task, i.due) for i in by_roles] == shown, user
    dues = [(i.due is None, i.due or datetime.date.max) for i in listed]
    assert dues == sorted(dues)
    # The page reads only the first few: they are the list's first few, and it counts them all.
    for limit in (1, 2, 3):
        first = dashboard.first_waiting_on(user, dashboard.roles_held(user), limit=limit)
        assert [(i.policy.pk, i.task, i.due) for i in first.items] == shown[:limit], user
        assert first.total == len(listed), user
    return items


def permitted_items(user, policy):
    """The same items, as the permissions and the transitions on offer say."""
    items = {}
    version = policy.current_version
    number = version.number if version else None
    offered = services.available_transitions(policy, user)
    if policy.state == State.DRAFTING and permissions.is_assigned_drafter(policy, user):
        assert permissions.may_add_version(policy, user)
        items["draft", policy.pk, None] = (
            "Upload the first draft."
            if version is None
            else "Submit the draft for review, or upload a revised version."
        )
    if policy.state == State.EXPERT_REVIEW and permissions.may_record_review(policy, user):
        assert "request_revision" in offered
        if Review.objects.filter(version=version, reviewer=user).exists():
            task = f"Clear the review of version {number}, or request a revision."
        else:
            task = f"Review version {number}."
        items["review", policy.pk, None] = task
    if policy.state == State.INSTITUTIONAL_SUPPORT:
        decided = set(version.supports.values_list("organization", flat=True))
        for organization in policy.required_supporters.all():
            if organization.pk not in decided and permissions.may_record_support(
                policy, user, organization
            ):
                items["support", policy.pk, organization.pk] = (
                    f"Record the decision of {organization.name} on version {number}."
                )
        declined = version.supports.filter(decision=Support.Decision.DECLINED).exists()
        if declined and "return_to_drafting" in offered:
            items["decline", policy.pk, None] = (
                "An institution declined: return the policy to drafting or follow it up."
            )
    if policy.state == State.AWAITING_ENDORSEMENT and "return_for_revision" in offered:
        assert permissions.may_endorse(policy, user)
        items["endorsement", policy.pk, None] = (
            f"Endorse version {number}, or return it for revision."
        )
    return items


AWAITING = {
    "draft": Policy.objects.awaiting_draft_by,
    "review": Policy.objects.awaiting_review_by,
    "support": Policy.objects.awaiting_support_by,
    "endorsement": Policy.objects.awaiting_endorsement_by,
    "decline": Policy.objects.awaiting_decline_resolution_by,
}


OWING = {
    "draft": obligations.owing_draft,
    "review": obligations.owing_review,
    "endorsement": obligations.owing_endorsement,
    "decline": obligations.owing_decline_resolution,
}


def with_due_dates(policies, coordinator):
    """Give every policy a review and a support due date, so each step can fall overdue."""
    today = timezone.localdate()
    for policy in policies:
        if policy.state in (State.ENDORSED, State.WITHDRAWN):
            continue
        review_due = policy.review_due or (
            policy.support_due - datetime.timedelta(days=1)
            if policy.support_due
            else today + datetime.timedelta(days=5)
        )
        support_due = policy.support_due or review_due + datetime.timedelta(days=5)
        if (review_due, support_due) != (policy.review_due, policy.support_due):
            services.update_policy(
                policy,
                actor=coordinator,
                review_due=review_due,
                support_due=support_due,
                backfill=True,
            )


def reminded():
    """``{(step, policy pk, organisation pk or None): {user pks}}`` once every date is past."""
    long_after = timezone.localdate() + datetime.timedelta(days=3650)
    steps = {}
    for step in reminders.overdue_steps(long_after):
        kind = step.item.split("-")[0]
        organization = re.search(r"-o(\d+)$", step.item)
        key = (kind, step.policy.pk, int(organization[1]) if organization else None)
        assert key not in steps
        steps[key] = {user.pk for user in step.owed_by}
    return steps


def assert_every_door_agrees(users, coordinator):
    policies = {
        p.pk: p
        for p in Policy.objects.select_related("lead_ministry").prefetch_related(
            "required_supporters"
        )
    }
    with_due_dates(policies.values(), coordinator)
    policies = {p.pk: Policy.objects.get(pk=p.pk) for p in policies.values()}

    owed = {}  # (step, policy, organisation) -> {user pk: task}
    for user in users:
        items = dashboard_items(user, policies)
        expected = {}
        for policy in policies.values():
            expected.update(permitted_items(user, policy))
        assert items == expected, user.username
        # And the querysets say the same, step by step.
        for step, awaiting in AWAITING.items():
            policies_owed = {pk for (kind, pk, _o) in items if kind == step}
            assert set(awaiting(user).values_list("pk", flat=True)) == policies_owed, step
        for key, task in items.items():
            owed.setdefault(key, {})[user.pk] = task

    # Reminders go to whoever has the step on their dashboard: a review to
    # those who have not given it, a decision and an endorsement to everyone
    # who may record it. Drafts and declines have no reminder.
    steps = reminded()
    for key, recipients in steps.items():
        kind, pk, _organization = key
        assert kind in ("review", "support", "endorsement"), key
        people = owed.get(key, {})
        if kind == "review":
            people = {u: task for u, task in people.items() if task.startswith("Review ")}
        assert recipients == set(people), (key, policies[pk].short_title)
    for key, people in owed.items():
        if key[0] in ("support", "endorsement") or (
            key[0] == "review" and any(t.startswith("Review ") for t in people.values())
        ):
            assert key in steps, key

    # The reverse querysets name the same people.
    for pk, policy in policies.items():
        for step, owing in OWING.items():
            people = owed.get((step, pk, None), {})
            if step == "review":
                people = {u for u, task in people.items() if task.startswith("Review ")}
            assert set(owing(policy).values_list("pk", flat=True)) == set(people), step
        for organization in policy.required_supporters.all():
            people = owed.get(("support", pk, organization.pk), {})
            owing = obligations.owing_support(policy, organization)
            assert set(owing.values_list("pk", flat=True)) == set(people)

    # The sentence names those the step waits on.
    names = {u.pk: display_name(u) for u in users}
    for pk, policy in policies.items():
        sentence = selectors.waiting_for(policy)
        people = sorted(u for (kind, p, _o), who in owed.items() if p == pk for u in who)
        if policy.state == State.DRAFTING:
            drafters = [names[u] for u in people]
            assert ", ".join(drafters) in sentence or not drafters
            assert sentence.endswith(f"from {', '.join(drafters) or 'the drafters'}.")
        elif policy.state == State.EXPERT_REVIEW:
            reviewers = ", ".join(names[u] for u in people) or "an assigned reviewer"
            assert sentence.endswith(f" by {reviewers}."), sentence
        elif policy.state == State.INSTITUTIONAL_SUPPORT and not owed.get(("decline", pk, None)):
            institutions = sorted(
                policy.required_supporters.get(pk=o).name
                for (kind, p, o) in owed
                if kind == "support" and p == pk
            )
            assert sentence.endswith(f"from {', '.join(institutions)}."), sentence
    return owed


# -- the demo portfolio: ten policies in every state, every demo account ------------


def test_every_demo_account_is_asked_by_every_door_alike(settings):
    enter_demo_mode(settings)
    call_command("load_demo", stdout=io.StringIO())
    users = list(get_user_model().objects.order_by("pk"))
    assert set(Policy.objects.values_list("state", flat=True)) == set(State.values)
    owed = assert_every_door_agrees(users, users_named("coordinator"))
    assert {kind for kind, _policy, _organization in owed} == {
        "draft",
        "review",
        "support",
        "endorsement",
        "decline",
    }


def users_named(username):
    return get_user_model().objects.get(username=username)


# -- one policy walked through every state, with the cases that used to diverge ------


def test_a_policy_walked_through_every_state_is_owed_alike_by_every_door(cast, walk):
    today = timezone.localdate()
    # Someone who speaks for both required institutions; a reviewer who left
    # the implementer; a drafter whose account was closed.
    both = member(cast.bureau, Role.INSTITUTION_MEMBER, user__username="both")
    both.memberships.create(organization=cast.agency, role=Role.INSTITUTION_MEMBER)
    former = member(cast.implementer, Role.REVIEWER, user__username="former")
    closed = member(cast.implementer, Role.DRAFTER, user__username="closed")
    policy = register(
        cast,
        "Walked",
        review_due=today + datetime.timedelta(days=5),
        support_due=today + datetime.timedelta(days=10),
        reviewers=[cast.reviewer, cast.second_reviewer, former],
        drafters=[cast.drafter, closed],
    )
    former.memberships.all().delete()
    closed.is_active = False
    closed.save()
    withdrawn = walk.to(register(cast, "Withdrawn"), State.WITHDRAWN)
    users = list(get_user_model().objects.order_by("pk"))

    def check():
        return assert_every_door_agrees(users, cast.coordinator)

    owed = check()  # drafting, no version yet
    assert set(owed["draft", policy.pk, None]) == {cast.drafter.pk}
    # The permissions leave the state to the state machine: a reviewer may
    # review the policy's versions, none of which they uploaded, whatever its state.
    assert permissions.may_record_review(policy, cast.reviewer)
    assert not permissions.may_record_review(policy, former)
    assert not permissions.is_assigned_drafter(policy, closed)
    assert not [key for key in owed if key[1] == withdrawn.pk]

    walk.upload(policy)
    check()
    services.perform_transition(policy, "submit_for_review", actor=cast.drafter)
    owed = check()
    assert set(owed["review", policy.pk, None]) == {cast.reviewer.pk, cast.second_reviewer.pk}

    services.record_review(policy, actor=cast.second_reviewer, decision="approved")
    check()
    services.perform_transition(policy, "clear_review", actor=cast.second_reviewer)
    owed = check()
    assert set(owed["support", policy.pk, cast.agency.pk]) == {cast.agency_member.pk, both.pk}

    services.record_support(
        policy,
        actor=both,
        organization=cast.agency,
        decision=Support.Decision.DECLINED,
        statement="Not within our mandate.",
    )
    owed = check()
    assert set(owed["decline", policy.pk, None]) == {cast.coordinator.pk}
    assert set(owed["support", policy.pk, cast.bureau.pk]) == {cast.bureau_member.pk, both.pk}

    # Back to drafting; the reviewer, now also a drafter, uploads the
    # next version, so it is the other reviewer's alone to review. (The
    # coordinator unassigns the reviewer who left, as a change requires.)
    services.perform_transition(policy, "return_to_drafting", actor=cast.coordinator, comment="x")
    cast.reviewer.memberships.create(organization=cast.implementer, role=Role.DRAFTER)
    services.update_policy(
        policy,
        actor=cast.coordinator,
        drafters=[cast.drafter, closed, cast.reviewer],
        reviewers=[cast.reviewer, cast.second_reviewer],
    )
    check()
    walk.upload(policy, by=cast.reviewer)
    services.perform_transition(policy, "submit_for_review", actor=cast.reviewer)
    owed = check()
    assert set(owed["review", policy.pk, None]) == {cast.second_reviewer.pk}
    assert permissions.is_assigned_reviewer(policy, cast.reviewer)
    assert not permissions.may_record_review(policy, cast.reviewer)
    assert not permissions.may_clear_review(policy, cast.reviewer)
    assert permissions.may_clear_review(policy, cast.coordinator)

    services.record_review(policy, actor=cast.second_reviewer, decision="approved")
    services.perform_transition(policy, "clear_review", actor=cast.second_reviewer)
    for organization, person in ((cast.bureau, cast.bureau_member), (cast.agency, both)):
        services.record_support(
            policy, actor=person, organization=organization, decision="supported"
        )
    policy.refresh_from_db()
    assert policy.state == State.AWAITING_ENDORSEMENT
    owed = check()
    assert set(owed["endorsement", policy.pk, None]) == {cast.endorser.pk}

    walk._endorse(policy)
    owed = check()
    assert not [key for key in owed if key[1] == policy.pk]


def test_the_uploader_and_a_former_reviewer_are_not_reminded_to_review(cast, walk):
    """Reminders used to go to every assigned reviewer who had not reviewed."""
    former = member(cast.implementer, Role.REVIEWER, user__username="former")
    cast.reviewer.memberships.create(organization=cast.implementer, role=Role.DRAFTER)
    policy = register(
        cast,
        "Own upload",
        drafters=[cast.reviewer],
        reviewers=[cast.reviewer, cast.second_reviewer, former],
        review_due=timezone.localdate() + datetime.timedelta(days=1),
    )
    former.memberships.all().delete()
    walk.upload(policy, by=cast.reviewer)
    services.perform_transition(policy, "submit_for_review", actor=cast.reviewer)
    [step] = reminders.overdue_steps(timezone.localdate() + datetime.timedelta(days=2))
    assert step.owed_by == [cast.second_reviewer]
    assert selectors.waiting_for(policy) == (
        f"Expert review of version 1 by {display_name(cast.second_reviewer)}."
    )
