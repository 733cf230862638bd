"""Numbers no row can have, and addresses that name nothing, answer as the API's refusals.

Found by the schema's fuzzing (tests/api/test_schema_conformance.py): a
list filter past a primary key's range reached SQLite, which cannot compare
with it (a 500), and an address under /api/v1/ that matched no route
answered with the site's HTML page.
"""

import pytest

from api.problems import PROBLEM_TYPE
from api.serializers.common import LARGEST_ID
from workflow.models import Policy, Support

State = Policy.State
TOO_LARGE = LARGEST_ID + 1


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM_TYPE
    return response.json()


@pytest.mark.parametrize(
    "address",
    [
        f"/api/v1/policies/{TOO_LARGE}/",
        f"/api/v1/policies/{TOO_LARGE}/reviews/",
        f"/api/v1/policies/{TOO_LARGE}/supports/",
        f"/api/v1/organizations/{10**30}/",
        f"/api/v1/projects/{TOO_LARGE}/",
        "/api/v1/policies/0/",
        "/api/v1/policies/first/",
        "/api/v1/no-such-thing/",
    ],
)
def test_an_address_that_names_no_row_is_a_problem_404(api_client, cast, policy_in, address):
    policy_in(State.DRAFTING)
    body = problem(api_client(cast.drafter).get(address), 404)
    assert body["code"] == "not_found"
    assert body["instance"] == address


def test_the_largest_id_is_looked_up_and_not_found(api_client, cast):
    body = problem(api_client(cast.drafter).get(f"/api/v1/policies/{LARGEST_ID}/"), 404)
    assert body["code"] == "not_found"


def test_a_write_to_no_route_is_a_problem_404_not_a_redirect(api_client, cast):
    body = problem(api_client(cast.drafter).post("/api/v1/policies/first/supports/", {}), 404)
    assert body["code"] == "not_found"


def test_an_address_without_its_slash_is_still_redirected(api_client, cast):
    response = api_client(cast.drafter).get("/api/v1/policies")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/policies/"


@pytest.mark.parametrize("name", ["project", "lead_ministry"])
def test_a_filter_past_an_ids_range_is_refused(api_client, cast, policy_in, name):
    policy_in(State.DRAFTING)
    body = problem(api_client(cast.drafter).get("/api/v1/policies/", {name: TOO_LARGE}), 400)
    assert list(body["field_errors"]) == [name]


def test_a_support_for_an_institution_past_an_ids_range_is_refused(api_client, cast, policy_in):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    response = api_client(cast.bureau_member).post(
        f"/api/v1/policies/{policy.pk}/supports/",
        {"organization": TOO_LARGE, "decision": Support.Decision.SUPPORTED},
        format="json",
    )
    body = problem(response, 400)
    assert list(body["field_errors"]) == ["organization"]
    assert not Support.objects.filter(policy=policy, organization=cast.bureau).exists()


def test_an_unknown_address_outside_the_api_is_still_the_apps_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"<html" in response.content
