"""A policy's summary is bounded like every other text that reaches the audit log."""

import pytest
from django.core.exceptions import ValidationError

from tests.web.test_editing import CREATE, details, edit_url, registration
from tests.workflow.test_policy_details import register
from workflow import services
from workflow.models import AuditEntry, Policy

pytestmark = pytest.mark.django_db

LIMIT = services.TEXT_MAX_LENGTH
LONG = "s" * (LIMIT + 1)
TOO_LONG = f"This text has {LIMIT + 1} characters; the limit is {LIMIT}."


def test_registering_with_a_summary_past_the_limit_is_refused(cast):
    with pytest.raises(ValidationError) as refusal:
        register(cast, summary=LONG)
    assert refusal.value.message_dict["summary"] == [TOO_LONG]
    assert not Policy.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_summary_past_the_limit_is_refused_on_edit(cast, new_policy):
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refusal:
        services.update_policy(new_policy, actor=cast.coordinator, summary=LONG)
    assert refusal.value.message_dict["summary"] == [TOO_LONG]
    new_policy.refresh_from_db()
    assert new_policy.summary == ""
    assert AuditEntry.objects.count() == entries


def test_a_summary_at_the_limit_is_kept_and_audited(cast, new_policy):
    at_limit = "t" * LIMIT
    services.update_policy(new_policy, actor=cast.coordinator, summary=at_limit)
    entry = AuditEntry.objects.filter(policy=new_policy).latest("pk")
    assert entry.details["changed"]["summary"]["to"] == at_limit


def test_the_pages_refuse_a_long_summary(client, cast, new_policy):
    client.force_login(cast.coordinator)
    response = client.post(CREATE, registration(cast, short_title="Other", summary=LONG))
    assert response.status_code == 400
    assert "summary" in response.context["form"].errors
    entries = AuditEntry.objects.count()
    response = client.post(edit_url(new_policy), details(new_policy, summary=LONG))
    assert response.status_code == 400
    assert "summary" in response.context["form"].errors
    assert Policy.objects.count() == 1
    assert AuditEntry.objects.count() == entries
