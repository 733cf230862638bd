"""The caller, and the organisations and projects the API shows them."""

import pytest

from workflow.models import Policy

State = Policy.State
pytestmark = pytest.mark.django_db


def test_me_is_the_tokens_owner(api_client, cast):
    body = api_client(cast.bureau_member).get("/api/v1/me/").json()
    assert body["username"] == "bureau"
    assert body["memberships"] == [
        {
            "organization": {
                "id": cast.bureau.pk,
                "name": cast.bureau.name,
                "short_name": cast.bureau.short_name,
            },
            "role": "institution_member",
            "role_label": "Institution member",
        }
    ]
    assert body["token"]["name"] == "tests"
    assert body["token"]["prefix"].startswith("pft_")


def names(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return {row["name"] for row in response.json()}


def test_organisations_are_those_the_callers_policies_name(api_client, cast, policy_in):
    policy_in(State.DRAFTING)
    named = {"ICMPD", "EU Delegation", cast.ministry.name, cast.bureau.name, cast.agency.name}
    assert names(api_client(cast.bureau_member), "/api/v1/organizations/") == named
    foreign = api_client(cast.foreign_member)
    assert names(foreign, "/api/v1/organizations/") == {cast.foreign_institution.name}
    assert foreign.get(f"/api/v1/organizations/{cast.bureau.pk}/").status_code == 404
    own = foreign.get(f"/api/v1/organizations/{cast.foreign_institution.pk}/").json()
    assert own["kind"] == "institution"


def test_projects_are_those_of_the_callers_policies_and_organisation(api_client, cast, policy_in):
    policy_in(State.DRAFTING)
    assert names(api_client(cast.drafter), "/api/v1/projects/") == {"Silk Routes"}
    other = api_client(cast.other_implementer_coordinator)
    assert names(other, "/api/v1/projects/") == {"Other Project"}
    assert other.get(f"/api/v1/projects/{cast.project.pk}/").status_code == 404
    assert names(api_client(cast.foreign_member), "/api/v1/projects/") == set()
