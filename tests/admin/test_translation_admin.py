"""Translations in the admin: added through the service, refused as the pages refuse."""

import pytest
from django.contrib.admin.models import LogEntry

from tests.admin.helpers import admin_url, page_text
from tests.factories import docx_upload
from workflow.models import AuditEntry, MarkedUpCopy, Policy, Project, Translation

pytestmark = pytest.mark.django_db
State = Policy.State


@pytest.fixture(autouse=True)
def languages(cast):
    Project.objects.filter(pk=cast.project.pk).update(translation_languages=["fa", "ps"])


def test_a_coordinator_adds_a_translation_later_with_a_reason(cast, policy_in, login):
    policy = policy_in(State.AWAITING_ENDORSEMENT)
    client = login(cast.coordinator)
    data = {
        "version": policy.current_version.pk,
        "language": "ps",
        "uploaded_file": docx_upload("دا پالیسي د کډوالو ملاتړ کوي."),
        "reason": "",
    }
    refused = client.post(admin_url(Translation, "add"), data)
    assert refused.status_code == 200
    assert "Say why the translation is added after drafting." in page_text(refused)
    assert not Translation.objects.exists()

    data["uploaded_file"] = docx_upload("دا پالیسي د کډوالو ملاتړ کوي.")
    data["reason"] = "The ministry endorses in Pashto too."
    response = client.post(admin_url(Translation, "add"), data)
    assert response.status_code == 302
    translation = Translation.objects.get()
    assert (translation.language, translation.uploaded_by) == ("ps", cast.coordinator)
    assert LogEntry.objects.get().object_id == str(translation.pk)
    assert policy.audit_entries.last().action == AuditEntry.Action.TRANSLATION_ADDED
    assert client.get(admin_url(Translation, "change", translation.pk)).status_code == 200


def test_marked_up_copies_are_not_added_in_the_admin(cast, login):
    assert login(cast.coordinator).get(admin_url(MarkedUpCopy, "add")).status_code == 403
