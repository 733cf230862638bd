"""The policies of the API: who sees which, the list's filters, and one policy."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import iraqi, register
from workflow import services
from workflow.models import Policy

State = Policy.State
pytestmark = pytest.mark.django_db

PARTIES = ["coordinator", "drafter", "reviewer", "endorser", "bureau_member", "observer"]
OUTSIDERS = [
    "foreign_member",
    "foreign_endorser",
    "other_implementer_coordinator",
    "other_observer",
]


def listed(client, query=""):
    response = client.get(f"/api/v1/policies/{query}")
    assert response.status_code == 200, response.content
    return [row["short_title"] for row in response.json()["results"]]


@pytest.mark.parametrize("who", PARTIES)
def test_each_party_lists_and_reads_the_policy(api_client, cast, policy_in, who):
    policy = policy_in(State.EXPERT_REVIEW)
    client = api_client(getattr(cast, who))
    assert listed(client) == ["PK emigration policy"]
    response = client.get(f"/api/v1/policies/{policy.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "expert_review"
    assert body["current_version"]["number"] == 1
    assert response["ETag"] == f'"{policy.pk}.{policy.revision}"'


@pytest.mark.parametrize("who", OUTSIDERS)
def test_a_policy_someone_takes_no_part_in_is_not_found(api_client, cast, policy_in, who):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    client = api_client(getattr(cast, who))
    assert listed(client) == []
    for url in (
        f"/api/v1/policies/{policy.pk}/",
        f"/api/v1/policies/{policy.pk}/reviews/",
        f"/api/v1/policies/{policy.pk}/supports/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"
    response = client.post(
        f"/api/v1/policies/{policy.pk}/transitions/endorse/",
        {"instrument": "Cabinet decision 1", "date": "2026-01-02", "acknowledged": True},
        format="json",
    )
    assert response.status_code == 404
    policy.refresh_from_db()
    assert policy.state == State.AWAITING_ENDORSEMENT
    assert not policy.audit_entries.filter(action="endorse").exists()


def test_the_list_filters(api_client, cast):
    register(cast, "Labour policy")
    iraqi(cast, "Diaspora policy")
    client = api_client(cast.coordinator)
    assert listed(client) == ["Diaspora policy", "Labour policy"]
    assert listed(client, "?country=pk") == ["Labour policy"]
    assert listed(client, "?state=drafting") == ["Diaspora policy", "Labour policy"]
    assert listed(client, "?state=endorsed") == []
    assert listed(client, f"?lead_ministry={cast.ministry.pk}") == ["Labour policy"]
    assert listed(client, f"?project={cast.project.pk}") == ["Diaspora policy", "Labour policy"]
    assert listed(client, "?updated_since=2999-01-01T00:00:00Z") == []
    since = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)).isoformat()
    assert len(listed(client, f"?updated_since={since.replace('+', '%2B')}")) == 2


@pytest.mark.parametrize(
    "query",
    ["?state=nonsense", "?country=XX", "?country=%00", "?project=abc", "?updated_since=yesterday"],
)
def test_a_filter_the_list_does_not_know_is_a_400_problem(api_client, cast, query):
    response = api_client(cast.coordinator).get(f"/api/v1/policies/{query}")
    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "invalid"
    assert problem["field_errors"]


def test_the_list_is_paginated(api_client, cast, policy_in):
    for n in range(3):
        policy_in(State.DRAFTING, short_title=f"Policy {n}")
    client = api_client(cast.coordinator)
    first = client.get("/api/v1/policies/?page_size=2").json()
    assert first["count"] == 3
    assert [p["short_title"] for p in first["results"]] == ["Policy 0", "Policy 1"]
    second = client.get(first["next"]).json()
    assert [p["short_title"] for p in second["results"]] == ["Policy 2"]
    assert client.get("/api/v1/policies/?page=9").status_code == 404


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_reads_do_not_grow_with_the_portfolio(api_client, cast, policy_in):
    client = api_client(cast.coordinator)
    client.get("/api/v1/me/")  # the token's first use is written once
    first = policy_in(State.INSTITUTIONAL_SUPPORT, short_title="Small 0")
    small = (queries(client, "/api/v1/policies/"), queries(client, f"/api/v1/policies/{first.pk}/"))
    for n in range(6):
        policy_in(State.INSTITUTIONAL_SUPPORT, short_title=f"Large {n}")
    large = (queries(client, "/api/v1/policies/"), queries(client, f"/api/v1/policies/{first.pk}/"))
    assert large == small


def test_the_detail_lists_the_callers_transitions_with_their_blockers(api_client, cast, policy_in):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    coordinator = api_client(cast.coordinator).get(f"/api/v1/policies/{policy.pk}/").json()
    assert {t["name"]: t["possible"] for t in coordinator["transitions"]} == {
        "return_to_drafting": True,
        "withdraw": True,
    }
    policy = policy_in(State.AWAITING_ENDORSEMENT, short_title="Ready")
    endorser = api_client(cast.endorser).get(f"/api/v1/policies/{policy.pk}/").json()
    assert endorser["available_transitions"] == ["endorse", "return_for_revision"]
    endorse = next(t for t in endorser["transitions"] if t["name"] == "endorse")
    assert endorse == {
        "name": "endorse",
        "label": "Endorse",
        "possible": True,
        "blockers": [],
        "needs_reason": False,
        "warns": True,
        "fields": ["instrument", "date", "decree"],
        "url": f"http://testserver/api/v1/policies/{policy.pk}/transitions/endorse/",
    }
    observer = api_client(cast.observer).get(f"/api/v1/policies/{policy.pk}/").json()
    assert observer["transitions"] == []


def test_a_blocked_transition_lists_its_reasons(api_client, cast, new_policy):
    drafter = api_client(cast.drafter).get(f"/api/v1/policies/{new_policy.pk}/").json()
    submit = next(t for t in drafter["transitions"] if t["name"] == "submit_for_review")
    assert submit["possible"] is False
    assert "submit_for_review" not in drafter["available_transitions"]
    assert submit["blockers"] == ["No document version has been uploaded yet."]
    assert submit["blockers"] == services.transition_blockers(new_policy, "submit_for_review")


def test_without_a_token_the_api_answers_401_with_a_bearer_challenge(cast):
    response = APIClient().get("/api/v1/policies/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["code"] == "not_authenticated"
