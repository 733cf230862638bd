"""Reviews and institutions' decisions through the API."""

import pytest

from workflow.models import AuditEntry, Policy, Review, Support

State = Policy.State
pytestmark = pytest.mark.django_db


def test_an_assigned_reviewer_records_a_review(api_client, cast, policy_in):
    policy = policy_in(State.EXPERT_REVIEW)
    client = api_client(cast.second_reviewer)
    response = client.post(
        f"/api/v1/policies/{policy.pk}/reviews/",
        {"decision": "approved", "comment": "Sound.", "version": 1, "acknowledged": True},
        format="json",
    )
    assert response.status_code == 201, response.content
    review = Review.objects.get(pk=response.json()["id"])
    assert (review.reviewer, review.decision, review.version.number) == (
        cast.second_reviewer,
        "approved",
        1,
    )
    assert AuditEntry.objects.filter(policy=policy, actor=cast.second_reviewer).exists()
    listed = client.get(f"/api/v1/policies/{policy.pk}/reviews/").json()
    newest = listed[0]
    assert (newest["reviewer"]["username"], newest["decision"]) == (
        "reviewer2",
        "approved",
    )
    # Saying the same again is refused, and nothing more is filed.
    again = client.post(
        f"/api/v1/policies/{policy.pk}/reviews/",
        {"decision": "approved", "acknowledged": True},
        format="json",
    )
    assert again.status_code == 409
    assert Review.objects.filter(reviewer=cast.second_reviewer).count() == 1


@pytest.mark.parametrize("who", ["drafter", "endorser", "observer", "bureau_member"])
def test_only_assigned_reviewers_review(api_client, cast, policy_in, who):
    policy = policy_in(State.EXPERT_REVIEW)
    reviews = Review.objects.count()
    response = api_client(getattr(cast, who)).post(
        f"/api/v1/policies/{policy.pk}/reviews/",
        {"decision": "approved", "acknowledged": True},
        format="json",
    )
    assert response.status_code == 403
    assert Review.objects.count() == reviews


def test_a_review_of_a_version_the_policy_lacks_is_refused(api_client, cast, policy_in):
    policy = policy_in(State.EXPERT_REVIEW)
    response = api_client(cast.second_reviewer).post(
        f"/api/v1/policies/{policy.pk}/reviews/",
        {"decision": "approved", "version": 7, "acknowledged": True},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["field_errors"]) == ["version"]
    bad = api_client(cast.second_reviewer).post(
        f"/api/v1/policies/{policy.pk}/reviews/", {"decision": "fine"}, format="json"
    )
    assert bad.status_code == 400
    assert "decision" in bad.json()["field_errors"]


def test_the_last_support_moves_the_policy_on(api_client, cast, policy_in):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    for organization, person in (
        (cast.bureau, cast.bureau_member),
        (cast.agency, cast.agency_member),
    ):
        response = api_client(person).post(
            f"/api/v1/policies/{policy.pk}/supports/",
            {"organization": organization.pk, "decision": "supported", "version": 1},
            format="json",
        )
        assert response.status_code == 201, response.content
        assert response.json()["organization"]["id"] == organization.pk
    policy.refresh_from_db()
    assert policy.state == State.AWAITING_ENDORSEMENT
    assert Support.objects.filter(policy=policy, decision="supported").count() == 2
    listed = api_client(cast.observer).get(f"/api/v1/policies/{policy.pk}/supports/").json()
    assert {row["organization"]["id"] for row in listed} == {cast.bureau.pk, cast.agency.pk}


def test_an_institution_decides_only_for_itself(api_client, cast, policy_in):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    client = api_client(cast.bureau_member)
    for organization in (cast.agency.pk, cast.foreign_institution.pk):
        response = client.post(
            f"/api/v1/policies/{policy.pk}/supports/",
            {"organization": organization, "decision": "supported"},
            format="json",
        )
        assert response.status_code == 403
    missing = client.post(
        f"/api/v1/policies/{policy.pk}/supports/",
        {"organization": 999999, "decision": "supported"},
        format="json",
    )
    assert missing.status_code == 400
    assert list(missing.json()["field_errors"]) == ["organization"]
    decline = client.post(
        f"/api/v1/policies/{policy.pk}/supports/",
        {"organization": cast.bureau.pk, "decision": "declined"},
        format="json",
    )
    assert decline.status_code == 400
    assert list(decline.json()["field_errors"]) == ["statement"]
    assert not Support.objects.filter(policy=policy).exists()


def test_a_decision_on_a_version_no_longer_current_is_refused(api_client, cast, walk, new_policy):
    walk.upload(new_policy)
    walk.upload(new_policy)
    policy = walk.to(new_policy, State.INSTITUTIONAL_SUPPORT)
    assert policy.current_version.number == 2
    response = api_client(cast.bureau_member).post(
        f"/api/v1/policies/{policy.pk}/supports/",
        {"organization": cast.bureau.pk, "decision": "supported", "version": 1},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "concurrent_change"
    assert not Support.objects.filter(policy=policy).exists()
