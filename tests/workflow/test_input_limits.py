"""Text a person types is bounded: it is read by people and copied into notifications."""

import pytest
from django.core.exceptions import ValidationError

from documents.services import add_version
from documents.services.intake import NOTE_MAX_LENGTH
from notifications.models import OutboxMessage
from tests.factories import docx_upload
from workflow import services
from workflow.models import AuditEntry, DocumentVersion, Policy, Review, Support

State = Policy.State
LONG = "x" * (services.TEXT_MAX_LENGTH + 1)


def counts():
    return (
        AuditEntry.objects.count(),
        OutboxMessage.objects.count(),
        Review.objects.count(),
        Support.objects.count(),
        DocumentVersion.objects.count(),
    )


def test_a_reason_longer_than_the_limit_is_refused(cast, new_policy):
    before = counts()
    with pytest.raises(ValidationError) as refusal:
        services.perform_transition(new_policy, "withdraw", actor=cast.coordinator, comment=LONG)
    assert refusal.value.message_dict["comment"] == [
        f"This text has {len(LONG)} characters; the limit is {services.TEXT_MAX_LENGTH}."
    ]
    new_policy.refresh_from_db()
    assert new_policy.state == State.DRAFTING
    assert counts() == before


def test_a_reason_at_the_limit_is_accepted(cast, new_policy):
    at_limit = "y" * services.TEXT_MAX_LENGTH
    services.perform_transition(new_policy, "withdraw", actor=cast.coordinator, comment=at_limit)
    assert new_policy.audit_entries.latest("pk").comment == at_limit


def test_a_review_comment_longer_than_the_limit_is_refused(cast, policy_in):
    new_policy = policy_in(State.EXPERT_REVIEW)
    before = counts()
    with pytest.raises(ValidationError) as refusal:
        services.record_review(new_policy, actor=cast.reviewer, decision="approved", comment=LONG)
    assert "comment" in refusal.value.message_dict
    assert counts() == before


def test_a_support_statement_longer_than_the_limit_is_refused(cast, policy_in):
    new_policy = policy_in(State.INSTITUTIONAL_SUPPORT)
    before = counts()
    with pytest.raises(ValidationError) as refusal:
        services.record_support(
            new_policy,
            actor=cast.bureau_member,
            organization=cast.bureau,
            decision="supported",
            statement=LONG,
        )
    assert "statement" in refusal.value.message_dict
    assert counts() == before


def test_a_version_note_longer_than_its_limit_is_refused(cast, new_policy, private_storage):
    before = counts()
    with pytest.raises(ValidationError) as refusal:
        add_version(
            new_policy,
            actor=cast.drafter,
            uploaded_file=docx_upload("A draft."),
            note="n" * (NOTE_MAX_LENGTH + 1),
        )
    assert "note" in refusal.value.message_dict
    assert counts() == before
    assert not private_storage.exists() or not any(private_storage.rglob("*.docx"))
