"""A policy's endorsement and its official record through the API."""

import pytest
from django.urls import reverse

from documents import services as documents_services
from documents.models import GeneratedRecord
from workflow.models import Endorsement, Policy

pytestmark = pytest.mark.django_db
State = Policy.State
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
READERS = ["drafter", "reviewer", "coordinator", "endorser", "bureau_member", "observer"]
OUTSIDERS = ["foreign_member", "other_implementer_coordinator", "other_observer"]


def endorsement_url(policy, name="api:endorsement"):
    return reverse(name, kwargs={"pk": policy.pk})


@pytest.mark.parametrize("role", READERS)
def test_everyone_taking_part_reads_the_endorsement(api_client, cast, policy_in, role):
    policy = policy_in(State.ENDORSED)
    endorsement = Endorsement.objects.get(policy=policy)
    response = api_client(getattr(cast, role)).get(endorsement_url(policy))
    assert response.status_code == 200
    data = response.json()
    assert data["instrument"] == "Cabinet decision 12/2026"
    assert data["endorsed_on"] == endorsement.endorsed_on.isoformat()
    assert data["version"] == 1
    assert data["ministry"]["id"] == cast.ministry.pk
    assert data["endorsed_by"]["username"] == cast.endorser.username
    assert data["reference"] == endorsement.reference
    assert data["record"] is None  # made after commit, by a task


@pytest.mark.parametrize("role", READERS)
def test_the_record_once_made_is_named_and_downloaded(api_client, cast, policy_in, role):
    policy = policy_in(State.ENDORSED)
    record = documents_services.make_missing_endorsement_records()[0]
    client = api_client(getattr(cast, role))
    described = client.get(endorsement_url(policy)).json()["record"]
    assert described["file_name"] == record.file_name
    assert described["sha256"] == record.sha256
    assert described["url"].endswith(endorsement_url(policy, "api:endorsement_record"))
    download = client.get(endorsement_url(policy, "api:endorsement_record"))
    assert download.status_code == 200
    assert download["Content-Type"] == DOCX_TYPE
    assert {"private", "no-store"} <= {d.strip() for d in download["Cache-Control"].split(",")}
    with record.file.open("rb") as stored:
        assert b"".join(download.streaming_content) == stored.read()


def test_the_record_is_not_found_until_made(api_client, cast, policy_in):
    policy = policy_in(State.ENDORSED)
    response = api_client(cast.coordinator).get(endorsement_url(policy, "api:endorsement_record"))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not GeneratedRecord.objects.exists()


@pytest.mark.parametrize("state", [State.DRAFTING, State.AWAITING_ENDORSEMENT, State.WITHDRAWN])
def test_a_policy_not_endorsed_has_no_endorsement(api_client, cast, policy_in, state):
    policy = policy_in(state)
    client = api_client(cast.endorser)
    for name in ("api:endorsement", "api:endorsement_record"):
        response = client.get(endorsement_url(policy, name))
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


def test_the_walked_endorsement_reads_as_recorded(api_client, cast, new_policy, walk):
    walk.to(new_policy, State.ENDORSED)
    data = api_client(cast.drafter).get(endorsement_url(new_policy)).json()
    assert data["version"] == new_policy.current_version.number
    assert data["recorded_at"]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_are_told_nothing_exists(api_client, cast, policy_in, role):
    policy = policy_in(State.ENDORSED)
    documents_services.make_missing_endorsement_records()
    client = api_client(getattr(cast, role))
    for name in ("api:endorsement", "api:endorsement_record"):
        response = client.get(endorsement_url(policy, name))
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
