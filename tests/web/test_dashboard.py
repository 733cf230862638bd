"""The dashboard: what waits on each person, the pipeline, recent activity."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import register
from web.selectors import dashboard as dashboard_selectors
from workflow import services
from workflow.models import AuditEntry, Policy, Support

State = Policy.State


def waiting(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    work = response.context["work"]  # None for someone nothing can wait on
    return [] if work is None else work.items


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_each_person_sees_what_waits_on_them(client, cast, policy_in):
    review_due = timezone.localdate() + datetime.timedelta(days=5)
    in_review = policy_in(State.EXPERT_REVIEW, short_title="In review", review_due=review_due)
    in_support = policy_in(State.INSTITUTIONAL_SUPPORT, short_title="In support")
    awaiting = policy_in(State.AWAITING_ENDORSEMENT, short_title="Awaiting")
    fresh = register(cast, "Fresh")

    [review] = waiting(client, cast.reviewer)
    assert (review.policy.pk, review.due) == (in_review.pk, review_due)
    assert review.task == "Review version 1."

    supports = waiting(client, cast.bureau_member)
    assert [(i.policy.pk, i.task) for i in supports] == [
        (
            in_support.pk,
            "Record the decision of Bureau of Emigration and Overseas Employment on version 1.",
        )
    ]

    [endorsement] = waiting(client, cast.endorser)
    assert endorsement.policy.pk == awaiting.pk
    completed = awaiting.audit_entries.get(action=AuditEntry.Action.COMPLETE_SUPPORT).at
    assert endorsement.due == timezone.localdate(completed) + datetime.timedelta(days=30)

    drafts = {i.policy.pk: i.task for i in waiting(client, cast.drafter)}
    assert drafts == {fresh.pk: "Upload the first draft."}

    assert waiting(client, cast.foreign_member) == []
    assert waiting(client, cast.observer) == []


def test_an_item_leaves_the_list_once_done(client, cast, policy_in):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT, short_title="In support")
    assert len(waiting(client, cast.bureau_member)) == 1
    services.record_support(
        policy, actor=cast.bureau_member, organization=cast.bureau, decision="supported"
    )
    assert waiting(client, cast.bureau_member) == []
    # The agency still owes its decision on the same version.
    assert [i.policy.pk for i in waiting(client, cast.agency_member)] == [policy.pk]


def test_a_reviewer_never_reviews_their_own_upload(client, cast, walk):
    policy = register(cast, "Own upload")
    walk.upload(policy, by=cast.coordinator)
    services.perform_transition(policy, "submit_for_review", actor=cast.coordinator)
    services.record_review(policy, actor=cast.reviewer, decision="approved")
    [item] = waiting(client, cast.reviewer)
    assert item.task == "Clear the review of version 1, or request a revision."
    # The second reviewer has not reviewed yet.
    assert waiting(client, cast.second_reviewer)[0].task == "Review version 1."


def test_a_decline_waits_on_the_coordinator(client, cast, policy_in):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT, short_title="Declined")
    services.record_support(
        policy,
        actor=cast.agency_member,
        organization=cast.agency,
        decision=Support.Decision.DECLINED,
        statement="Not within our mandate.",
    )
    tasks = [(i.policy.pk, i.task) for i in waiting(client, cast.coordinator)]
    assert (
        policy.pk,
        "An institution declined: return the policy to drafting or follow it up.",
    ) in tasks
    assert waiting(client, cast.other_implementer_coordinator) == []


def test_pipeline_counts_only_visible_policies_by_state_and_country(client, cast, policy_in):
    policy_in(State.EXPERT_REVIEW, short_title="One")
    policy_in(State.EXPERT_REVIEW, short_title="Two")
    register(cast, "Three")
    client.force_login(cast.observer)
    columns = {c.state: c for c in client.get("/").context["pipeline"]}
    assert list(columns) == [
        "drafting",
        "expert_review",
        "institutional_support",
        "awaiting_endorsement",
        "endorsed",
        "withdrawn",
    ]
    assert columns["expert_review"].total == 2
    assert columns["expert_review"].countries == [("PK", "Pakistan", 2)]
    assert columns["drafting"].total == 1

    client.force_login(cast.foreign_member)
    response = client.get("/")
    assert sum(c.total for c in response.context["pipeline"]) == 0
    assert "One: the full title" not in response.content.decode()


def test_recent_activity_shows_only_visible_policies(client, cast, policy_in):
    policy = policy_in(State.EXPERT_REVIEW, short_title="Visible")
    client.force_login(cast.bureau_member)
    activity = client.get("/").context["activity"]
    assert {e.policy_id for e in activity} == {policy.pk}
    assert activity[0].action == AuditEntry.Action.SUBMIT_FOR_REVIEW
    client.force_login(cast.foreign_member)
    assert client.get("/").context["activity"] == []


def test_the_page_says_what_waits_with_a_link_to_the_policy(client, cast, policy_in):
    policy = policy_in(State.AWAITING_ENDORSEMENT, short_title="Linked")
    client.force_login(cast.endorser)
    page = client.get("/").content.decode()
    assert f'href="/policies/{policy.pk}/"' in page
    assert "Endorse version 1, or return it for revision." in page


def test_a_long_list_shows_the_soonest_due_and_counts_the_rest(client, cast, monkeypatch):
    monkeypatch.setattr(dashboard_selectors, "WAITING_ROWS", 2)
    today = timezone.localdate()
    for days, title in ((9, "Later"), (1, "Soonest"), (None, "Undated"), (4, "Sooner")):
        due = today + datetime.timedelta(days=days) if days is not None else None
        register(cast, title, review_due=due)
    client.force_login(cast.drafter)
    page = client.get("/").content.decode()
    rows = page.split('id="waiting-on-me"')[1].split("</table>")[0]
    assert rows.index(">Soonest<") < rows.index(">Sooner<")
    assert ">Later<" not in rows
    assert ">Undated<" not in rows
    assert "Showing the 2 soonest due of 4." in page
    assert '<span class="badge text-bg-primary rounded-pill">4</span>' in page


def dashboard_queries(client, user):
    client.force_login(user)
    # A client's first request loads the middleware, which sets the database
    # connection's request timeouts once: count a page as it is served after that.
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries.captured_queries)


def grow(policy_in, prefix):
    """Policies in every state that waits on someone, each with a version."""
    for state in (
        State.DRAFTING,
        State.EXPERT_REVIEW,
        State.INSTITUTIONAL_SUPPORT,
        State.AWAITING_ENDORSEMENT,
    ):
        policy_in(state, short_title=f"{prefix} {state}", versions=1)


@pytest.mark.parametrize(
    "who", ["coordinator", "drafter", "reviewer", "bureau_member", "endorser", "observer"]
)
def test_dashboard_queries_do_not_grow_with_the_portfolio(client, cast, policy_in, who):
    user = getattr(cast, who)
    grow(policy_in, "Small")
    small = dashboard_queries(client, user)
    for n in range(3):
        grow(policy_in, f"Large {n}")
    assert Policy.objects.count() == 16
    assert dashboard_queries(client, user) == small
