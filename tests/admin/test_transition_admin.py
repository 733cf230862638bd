"""Transitions from the admin run through perform_transition and show its refusals."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents.services import add_version
from tests.admin.helpers import (
    STALE,
    State,
    admin_url,
    page_text,
    snapshot,
    transition_url,
)
from workflow.models import (
    Endorsement,
    Policy,
)

pytestmark = pytest.mark.django_db
CORPUS = Path(__file__).resolve().parents[1] / "documents" / "corpus"


# -- transitions ---------------------------------------------------------------


def test_the_policy_page_offers_the_actions_and_says_what_blocks_others(cast, new_policy, login):
    client = login(cast.coordinator)

    text = page_text(client.get(admin_url(Policy, "change", new_policy.pk)))

    assert transition_url(new_policy, "withdraw") in text
    assert transition_url(new_policy, "submit_for_review") not in text
    assert "No document version has been uploaded yet." in text


def test_a_transition_through_the_admin_moves_the_state_once(cast, new_policy, walk, login):
    walk.upload(new_policy)
    client = login(cast.drafter)
    url = transition_url(new_policy, "submit_for_review")
    assert client.get(url).status_code == 200
    entries = new_policy.audit_entries.count()

    response = client.post(url, {"revision": new_policy.revision, "comment": ""})

    assert response.status_code == 302
    assert response["Location"] == admin_url(Policy, "change", new_policy.pk)
    new_policy.refresh_from_db()
    assert new_policy.state == State.EXPERT_REVIEW
    assert new_policy.audit_entries.count() == entries + 1
    assert new_policy.audit_entries.last().action == "submit_for_review"


def test_endorsing_through_the_admin_records_the_instrument(cast, policy_in, login):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    client = login(cast.endorser)
    assert client.get(transition_url(policy, "endorse")).status_code == 200

    client.post(
        transition_url(policy, "endorse"),
        {
            "revision": policy.revision,
            "instrument": "Cabinet decision 7/2026",
            "date": timezone.localdate().isoformat(),
        },
    )

    endorsement = Endorsement.objects.get(policy=policy)
    assert endorsement.instrument == "Cabinet decision 7/2026"
    assert endorsement.endorsed_on == timezone.localdate()
    assert Policy.objects.get().state == State.ENDORSED


def test_a_transition_by_someone_not_allowed_is_refused(cast, new_policy, login):
    client = login(cast.observer)
    before = snapshot(new_policy)

    response = client.post(
        transition_url(new_policy, "withdraw"),
        {"revision": new_policy.revision, "comment": "Let us stop."},
        follow=True,
    )

    assert "You may not take this action on this policy." in page_text(response)
    assert snapshot(new_policy) == before


def test_a_transition_without_its_required_comment_is_a_form_error(cast, new_policy, login):
    client = login(cast.coordinator)
    before = snapshot(new_policy)

    response = client.post(
        transition_url(new_policy, "withdraw"), {"revision": new_policy.revision, "comment": " "}
    )

    assert response.status_code == 200
    assert "comment" in response.context["form"].errors
    assert snapshot(new_policy) == before


def test_a_transition_on_a_stale_page_is_refused(cast, new_policy, walk, login):
    client = login(cast.coordinator)
    loaded = new_policy.revision
    walk.upload(new_policy)
    before = snapshot(new_policy)

    response = client.post(
        transition_url(new_policy, "withdraw"),
        {"revision": loaded, "comment": "Mandate ended."},
        follow=True,
    )

    assert STALE in page_text(response)
    assert snapshot(new_policy) == before


def test_a_blocked_transition_shows_what_is_missing(cast, new_policy, login):
    client = login(cast.coordinator)
    before = snapshot(new_policy)

    response = client.post(
        transition_url(new_policy, "submit_for_review"),
        {"revision": new_policy.revision},
        follow=True,
    )

    assert "No document version has been uploaded yet." in page_text(response)
    assert snapshot(new_policy) == before


def test_the_transition_form_needs_a_post_and_a_csrf_token(cast, new_policy, login):
    client = login(cast.coordinator)
    client.handler.enforce_csrf_checks = True
    before = snapshot(new_policy)

    response = client.post(
        transition_url(new_policy, "withdraw"),
        {"revision": new_policy.revision, "comment": "Mandate ended."},
    )

    assert response.status_code == 403
    assert snapshot(new_policy) == before


def test_a_version_with_tracked_changes_is_passed_on_once_the_box_is_ticked(
    cast, new_policy, login
):
    """The admin offers the same acknowledgement the pages do: without the box
    ticked the service refuses, with it the version goes on and the record
    notes what was seen."""
    content = (CORPUS / "redline-v1-v2.docx").read_bytes()
    add_version(new_policy, actor=cast.drafter, uploaded_file=SimpleUploadedFile("t.docx", content))
    client = login(cast.drafter)
    url = transition_url(new_policy, "submit_for_review")
    assert 'name="acknowledged"' in page_text(client.get(url))

    refused = client.post(url, {"revision": new_policy.revision, "comment": ""})
    assert refused.status_code == 200
    assert "Confirm that you have seen them." in page_text(refused)
    new_policy.refresh_from_db()
    assert new_policy.state == State.DRAFTING

    client.post(url, {"revision": new_policy.revision, "comment": "", "acknowledged": "on"})
    new_policy.refresh_from_db()
    assert new_policy.state == State.EXPERT_REVIEW
    entry = new_policy.audit_entries.last()
    assert entry.details["acknowledged"]["tracked_changes"] > 0
