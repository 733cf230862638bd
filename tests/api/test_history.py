"""A policy's history through the API: every audit entry, newest first, a cursor page at a time."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from documents.services import add_version
from tests.documents import make_docs as md
from workflow import services
from workflow.models import AuditEntry, Policy

pytestmark = pytest.mark.django_db
State = Policy.State
READERS = ["drafter", "reviewer", "coordinator", "endorser", "bureau_member", "observer"]
OUTSIDERS = ["foreign_member", "other_implementer_coordinator", "other_observer"]


def history_url(policy):
    return reverse("api:history", kwargs={"pk": policy.pk})


@pytest.mark.parametrize("role", READERS)
def test_everyone_taking_part_reads_the_history_newest_first(api_client, cast, policy_in, role):
    policy = policy_in(State.ENDORSED)
    response = api_client(getattr(cast, role)).get(history_url(policy))
    assert response.status_code == 200
    entries = response.json()["results"]
    stored = list(AuditEntry.objects.filter(policy=policy).order_by("-at", "-pk"))
    assert [entry["id"] for entry in entries] == [entry.pk for entry in stored]
    endorse = entries[0]
    assert endorse["action"] == "endorse"
    assert endorse["action_label"] == str(stored[0].get_action_display())
    assert (endorse["from_state"], endorse["to_state"]) == ("awaiting_endorsement", "endorsed")
    assert endorse["moved"] is True
    assert endorse["actor"]["username"] == cast.endorser.username
    assert endorse["version"] == 1
    assert endorse["details"]["instrument"] == "Cabinet decision 12/2026"
    assert endorse["details"]["endorsed_on"] == stored[0].details["endorsed_on"]
    assert endorse["endorsed_on"] == stored[0].details["endorsed_on"]
    assert endorse["acknowledged"] is None  # the factory's version holds no tracked changes
    support = next(entry for entry in entries if entry["action"] == "support")
    assert support["moved"] is False
    assert support["comment"] == "We support it."
    assert support["details"]["decision"] == "supported"
    registered = entries[-1]
    assert (registered["action"], registered["version"]) == ("registered", None)


def test_the_history_shows_what_a_change_of_details_changed(api_client, cast, new_policy):
    services.update_policy(new_policy, actor=cast.coordinator, summary="A new summary.")
    entry = api_client(cast.drafter).get(history_url(new_policy)).json()["results"][0]
    assert entry["action"] == "details_changed"
    assert entry["details"]["changed"]["summary"]["to"] == "A new summary."


def test_the_cursor_walks_every_entry_once(api_client, cast, policy_in, walk):
    policy = policy_in(State.DRAFTING, versions=3)
    walk.to(policy, State.AWAITING_ENDORSEMENT)
    stored = list(
        AuditEntry.objects.filter(policy=policy).order_by("-at", "-pk").values_list("pk", flat=True)
    )
    assert len(stored) > 6
    client = api_client(cast.observer)
    seen, url = [], history_url(policy) + "?page_size=2"
    while url:
        page = client.get(url).json()
        assert len(page["results"]) <= 2
        seen += [entry["id"] for entry in page["results"]]
        url = page["next"]
    assert seen == stored


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("?cursor=not-a-cursor", 404),
        ("?cursor=%00%ff", 404),
        ("?page_size=100000000000000000000", 200),
        ("?page_size=-3", 200),
        ("?page_size=many", 200),
    ],
)
def test_odd_queries_are_answered_without_error(api_client, cast, policy_in, query, status):
    policy = policy_in(State.EXPERT_REVIEW)
    response = api_client(cast.reviewer).get(history_url(policy) + query)
    assert response.status_code == status
    if status == 404:
        assert response.json()["code"] == "not_found"
    else:
        assert len(response.json()["results"]) == AuditEntry.objects.filter(policy=policy).count()


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_are_told_nothing_exists(api_client, cast, policy_in, role):
    policy = policy_in(State.ENDORSED)
    response = api_client(getattr(cast, role)).get(history_url(policy))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_history_says_what_the_actor_acknowledged(api_client, cast, new_policy):
    marked = md.docx_bytes(
        md.paragraph("Fees ", md.inserted("are "), md.deleted("were "), "paid."),
        comments=md.comments(("Omar", "Who pays?")),
    )
    add_version(new_policy, actor=cast.drafter, uploaded_file=ContentFile(marked, name="m.docx"))
    services.perform_transition(
        new_policy, "submit_for_review", actor=cast.drafter, acknowledged=True
    )
    entry = api_client(cast.reviewer).get(history_url(new_policy)).json()["results"][0]
    assert entry["action"] == "submit_for_review"
    assert entry["acknowledged"] == {"tracked_changes": 2, "comments": 1}
    assert entry["details"]["acknowledged"] == entry["acknowledged"]
    assert entry["endorsed_on"] is None
