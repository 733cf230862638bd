"""Reviews, supports, versions and the audit log in the admin."""

import pytest
from django.contrib.admin.models import LogEntry

from tests.admin.helpers import (
    State,
    admin_url,
    page_text,
    snapshot,
)
from tests.factories import docx_upload
from workflow.models import (
    AuditEntry,
    DocumentVersion,
    Review,
    Support,
)

pytestmark = pytest.mark.django_db


def test_support_added_in_the_admin_is_recorded_and_the_last_one_advances(
    cast, policy_in, login, client
):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    for organization, person in (
        (cast.bureau, cast.bureau_member),
        (cast.agency, cast.agency_member),
    ):
        login(person).post(
            admin_url(Support, "add"),
            {
                "policy": policy.pk,
                "version": policy.current_version.pk,
                "organization": organization.pk,
                "decision": "supported",
            },
        )
        assert Support.objects.filter(policy=policy, organization=organization).exists()

    policy.refresh_from_db()
    assert policy.state == State.AWAITING_ENDORSEMENT
    assert policy.audit_entries.last().action == AuditEntry.Action.COMPLETE_SUPPORT


def test_support_for_an_institution_one_does_not_speak_for_is_refused(cast, policy_in, login):
    policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    client = login(cast.bureau_member)
    before = snapshot(policy)

    response = client.post(
        admin_url(Support, "add"),
        {
            "policy": policy.pk,
            "version": policy.current_version.pk,
            "organization": cast.agency.pk,
            "decision": "supported",
        },
    )

    assert response.status_code == 200
    assert "You may not record a decision for Federal Investigation Agency" in page_text(response)
    assert not Support.objects.exists()
    assert snapshot(policy) == before
    assert not LogEntry.objects.exists()


def test_a_review_added_in_the_admin_is_recorded_and_stays_as_written(cast, policy_in, login):
    policy = policy_in(State.EXPERT_REVIEW)
    client = login(cast.second_reviewer)

    client.post(
        admin_url(Review, "add"),
        {
            "policy": policy.pk,
            "version": policy.current_version.pk,
            "decision": "changes_requested",
            "comment": "Add a chapter.",
        },
    )
    review = Review.objects.get()
    response = client.post(
        admin_url(Review, "change", review.pk),
        {
            "policy": policy.pk,
            "version": policy.current_version.pk,
            "decision": "approved",
            "comment": "",
        },
    )

    assert review.reviewer == cast.second_reviewer
    assert response.status_code == 403
    assert Review.objects.get().decision == "changes_requested"
    assert client.get(admin_url(Review, "delete", review.pk)).status_code == 403


def test_a_version_added_in_the_admin_goes_through_add_version(cast, new_policy, login):
    client = login(cast.drafter)

    response = client.post(
        admin_url(DocumentVersion, "add"),
        {"policy": new_policy.pk, "uploaded_file": docx_upload("First draft."), "note": "v1"},
    )

    assert response.status_code == 302
    version = DocumentVersion.objects.get()
    assert (version.number, version.uploaded_by, version.note) == (1, cast.drafter, "v1")
    assert LogEntry.objects.get().object_id == str(version.pk)
    assert new_policy.audit_entries.last().action == AuditEntry.Action.VERSION_ADDED


def test_a_refused_version_is_a_form_error(cast, policy_in, login):
    policy = policy_in(State.EXPERT_REVIEW)
    client = login(cast.drafter)

    response = client.post(
        admin_url(DocumentVersion, "add"),
        {"policy": policy.pk, "uploaded_file": docx_upload("Late draft."), "note": ""},
    )

    assert response.status_code == 200
    assert "New versions can only be added in drafting" in page_text(response)
    assert DocumentVersion.objects.count() == 1
    assert not LogEntry.objects.exists()


def test_audit_entries_cannot_be_added_changed_or_deleted(cast, new_policy, login):
    client = login(cast.coordinator)
    entry = AuditEntry.objects.get()

    assert client.get(admin_url(AuditEntry, "add")).status_code == 403
    assert client.get(admin_url(AuditEntry, "delete", entry.pk)).status_code == 403
    response = client.post(
        admin_url(AuditEntry, "change", entry.pk),
        {"action": "endorse", "comment": "rewritten", "from_state": "x", "to_state": "y"},
    )
    assert response.status_code == 403
    assert AuditEntry.objects.get().comment == entry.comment
    assert AuditEntry.objects.get().action == AuditEntry.Action.REGISTERED


def test_the_audit_list_filters_by_action_and_policy_and_searches(cast, new_policy, login):
    client = login(cast.coordinator)
    url = admin_url(AuditEntry, "changelist")

    by_action = client.get(url, {"action__exact": "registered"})
    by_policy = client.get(url, {"policy__id__exact": new_policy.pk})
    search = client.get(url, {"q": "nothing like this"})

    assert by_action.context["cl"].result_count == 1
    assert by_policy.context["cl"].result_count == 1
    assert search.context["cl"].result_count == 0
