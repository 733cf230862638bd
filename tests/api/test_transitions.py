"""Taking transitions through the API: the services' rules, refusals as problem details."""

import pytest
from rest_framework.test import APIClient

from api import selectors
from notifications.models import OutboxMessage
from workflow import clock
from workflow.models import AuditEntry, Endorsement, Policy

State = Policy.State
pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def endorse(client, policy, **headers):
    return client.post(
        f"/api/v1/policies/{policy.pk}/transitions/endorse/",
        {
            "instrument": "Cabinet decision 12/2026",
            "date": clock.today().isoformat(),
            "acknowledged": True,
        },
        format="json",
        headers=headers,
    )


def unchanged(policy, state):
    """The policy is still in ``state``, with no audit entry or outbox row beyond its own."""
    entries, rows = AuditEntry.objects.count(), OutboxMessage.objects.count()

    def check():
        policy.refresh_from_db()
        assert policy.state == state
        assert AuditEntry.objects.count() == entries
        assert OutboxMessage.objects.count() == rows

    return check


def test_the_endorser_endorses_with_the_etag_they_read(api_client, cast, walk, new_policy):
    policy = walk.to(new_policy, State.AWAITING_ENDORSEMENT)
    client = api_client(cast.endorser)
    etag = client.get(f"/api/v1/policies/{policy.pk}/")["ETag"]
    response = endorse(client, policy, **{"If-Match": etag})
    assert response.status_code == 200, response.content
    policy.refresh_from_db()
    assert policy.state == State.ENDORSED
    assert response.json()["state"] == "endorsed"
    assert response["ETag"] == f'"{policy.pk}.{policy.revision}"' != etag
    endorsement = Endorsement.objects.get(policy=policy)
    assert endorsement.instrument == "Cabinet decision 12/2026"
    assert endorsement.endorsed_by == cast.endorser
    entry = AuditEntry.objects.filter(policy=policy).latest("at", "pk")
    assert (entry.action, entry.actor) == ("endorse", cast.endorser)
    told = OutboxMessage.objects.filter(event="endorsed").values_list(
        "recipient__username", flat=True
    )
    assert "drafter" in set(told)


def test_a_stale_if_match_answers_412_and_changes_nothing(api_client, cast, policy_in):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    check = unchanged(policy, State.AWAITING_ENDORSEMENT)
    response = endorse(
        api_client(cast.endorser), policy, **{"If-Match": f'"{policy.pk}.{policy.revision - 1}"'}
    )
    assert response.status_code == 412
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "precondition_failed"
    check()


def test_a_weak_etag_never_matches(api_client, cast, policy_in):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    weak = f'W/"{policy.pk}.{policy.revision}"'
    assert endorse(api_client(cast.endorser), policy, **{"If-Match": weak}).status_code == 412


def test_if_match_star_and_no_if_match_act_on_the_policy_as_it_is(api_client, cast, policy_in):
    first = policy_in(State.AWAITING_ENDORSEMENT)
    second = policy_in(State.AWAITING_ENDORSEMENT, short_title="Second")
    client = api_client(cast.endorser)
    assert endorse(client, first, **{"If-Match": "*"}).status_code == 200
    assert endorse(client, second).status_code == 200


def test_a_change_between_reading_and_acting_is_a_concurrent_change(
    api_client, cast, policy_in, monkeypatch
):
    """Without If-Match, the services' own revision check still catches a policy
    that moved between the request's read and its lock: 409, reload."""
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    check = unchanged(policy, State.AWAITING_ENDORSEMENT)
    read = selectors.visible_policy

    def read_before_someone_else_acted(user, pk):
        seen = read(user, pk)
        seen.revision -= 1  # as it was before the other person's change
        return seen

    monkeypatch.setattr(selectors, "visible_policy", read_before_someone_else_acted)
    response = endorse(api_client(cast.endorser), policy)
    assert response.status_code == 409
    assert response.json()["code"] == "concurrent_change"
    check()
    # With If-Match, the same slip is the client's precondition failing.
    response = endorse(api_client(cast.endorser), policy, **{"If-Match": "*"})
    assert response.status_code == 412


def test_a_blocked_transition_answers_409_with_its_reasons(api_client, cast, new_policy):
    check = unchanged(new_policy, State.DRAFTING)
    response = api_client(cast.drafter).post(
        f"/api/v1/policies/{new_policy.pk}/transitions/submit_for_review/", {}, format="json"
    )
    assert response.status_code == 409
    problem = response.json()
    assert problem["type"] == "urn:policyflow:problem:transition_blocked"
    assert problem["status"] == 409
    assert problem["reasons"] == ["No document version has been uploaded yet."]
    assert problem["detail"] == "No document version has been uploaded yet."
    check()


@pytest.mark.parametrize("who", ["drafter", "reviewer", "coordinator", "bureau_member", "observer"])
def test_only_the_lead_ministry_endorses(api_client, cast, policy_in, who):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    check = unchanged(policy, State.AWAITING_ENDORSEMENT)
    response = endorse(api_client(getattr(cast, who)), policy)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    check()


def test_missing_input_is_a_400_with_the_fields_named(api_client, cast, policy_in):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    check = unchanged(policy, State.AWAITING_ENDORSEMENT)
    response = api_client(cast.endorser).post(
        f"/api/v1/policies/{policy.pk}/transitions/endorse/", {}, format="json"
    )
    assert response.status_code == 400
    problem = response.json()
    assert problem["code"] == "invalid"
    assert set(problem["field_errors"]) >= {"instrument", "date"}
    check()


def test_a_reason_is_required_where_the_declaration_says_so(api_client, cast, policy_in):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    client = api_client(cast.endorser)
    url = f"/api/v1/policies/{policy.pk}/transitions/return_for_revision/"
    response = client.post(url, {"comment": "  "}, format="json")
    assert response.status_code == 400
    assert list(response.json()["field_errors"]) == ["comment"]
    response = client.post(url, {"comment": "Align with the labour code."}, format="json")
    assert response.status_code == 200
    policy.refresh_from_db()
    assert policy.state == State.DRAFTING
    entry = AuditEntry.objects.filter(policy=policy).latest("at", "pk")
    assert entry.comment == "Align with the labour code."


@pytest.mark.parametrize(
    "body",
    [
        {"instrument": "Decision 1", "date": "not a date", "acknowledged": True},
        {"instrument": "Decision 1", "date": "2026-02-30", "acknowledged": True},
        {"instrument": ["a list"], "date": "2026-01-01", "acknowledged": True},
        {"instrument": "Decision 1", "date": "2026-01-01", "acknowledged": "perhaps"},
        {"instrument": "Decision\x00 1", "date": "2026-01-01", "acknowledged": True},
        {"instrument": "x" * 201, "date": "2026-01-01", "acknowledged": True},
        {"comment": "x" * 5001, "instrument": "Decision 1", "date": "2026-01-01"},
        {"instrument": "Decision 1", "date": "2999-01-01", "acknowledged": True},
    ],
)
def test_bad_input_is_a_400_never_a_500(api_client, cast, policy_in, body):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    check = unchanged(policy, State.AWAITING_ENDORSEMENT)
    response = api_client(cast.endorser).post(
        f"/api/v1/policies/{policy.pk}/transitions/endorse/", body, format="json"
    )
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    check()


@pytest.mark.parametrize("name", ["complete_support", "fly", "ENDORSE"])
def test_a_transition_people_do_not_take_is_not_found(api_client, cast, policy_in, name):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    response = api_client(cast.coordinator).post(
        f"/api/v1/policies/{policy.pk}/transitions/{name}/", {}, format="json"
    )
    assert response.status_code == 404


def test_a_body_that_cannot_be_read_is_a_problem(api_client, cast, policy_in):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    client = api_client(cast.endorser)
    url = f"/api/v1/policies/{policy.pk}/transitions/endorse/"
    malformed = client.post(url, "{not json", content_type="application/json")
    assert (malformed.status_code, malformed.json()["code"]) == (400, "parse_error")
    plain = client.post(url, "endorse it", content_type="text/plain")
    assert (plain.status_code, plain.json()["code"]) == (415, "unsupported_media_type")
    read = client.get(url)
    assert (read.status_code, read.json()["code"]) == (405, "method_not_allowed")
    assert client.put(f"/api/v1/policies/{policy.pk}/", {}).status_code == 405


def test_a_browser_session_works_with_its_csrf_token(cast, policy_in):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(cast.endorser)
    assert client.get(f"/api/v1/policies/{policy.pk}/").status_code == 200
    refused = endorse(client, policy)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    client.get("/")  # the dashboard's forms set the CSRF cookie
    token = client.cookies["csrftoken"].value
    assert endorse(client, policy, **{"X-CSRFToken": token}).status_code == 200
