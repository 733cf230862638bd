"""The API's policy list and policy run a fixed number of queries, whatever the portfolio.

As the pages' query-growth tests do, a small portfolio is compared with a
larger one rather than a count pinned (bench/api_bench.py prints the counts
on 200 and 2,000 policies).
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganizationFactory, UserFactory
from workflow.models import Policy

State = Policy.State


def queries(client, url):
    client.get("/api/v1/me/")  # a token's first request also records its use
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


def test_the_list_runs_the_same_queries_however_many_policies(api_client, cast, policy_in):
    people = ("coordinator", "drafter", "endorser")
    callers = {who: api_client(getattr(cast, who)) for who in people}
    for n, state in enumerate((State.DRAFTING, State.EXPERT_REVIEW)):
        policy_in(state, short_title=f"Small {n}")
    small = {who: queries(client, "/api/v1/policies/") for who, client in callers.items()}
    for n, state in enumerate([*State.values, *State.values]):
        policy_in(state, short_title=f"Large {n}")
    large = {who: queries(client, "/api/v1/policies/") for who, client in callers.items()}
    assert large == small
    assert len(callers["drafter"].get("/api/v1/policies/").json()["results"]) == 14


def test_a_policy_runs_the_same_queries_whatever_its_record(api_client, cast, policy_in):
    client = api_client(cast.coordinator)
    plain = policy_in(State.INSTITUTIONAL_SUPPORT, short_title="Plain")
    rich = policy_in(
        State.INSTITUTIONAL_SUPPORT,
        short_title="Rich",
        versions=4,
        drafters=[cast.drafter, UserFactory(), UserFactory()],
        required_supporters=[cast.bureau, cast.agency, *OrganizationFactory.create_batch(3)],
    )
    assert rich.versions.count() == 4
    assert queries(client, f"/api/v1/policies/{rich.pk}/") == queries(
        client, f"/api/v1/policies/{plain.pk}/"
    )
