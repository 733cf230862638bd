"""The audit log is append-only: through the ORM everywhere, through SQL on PostgreSQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from workflow.exceptions import ImmutableRecord
from workflow.models import AuditEntry, Endorsement, Policy, Review, Support

pytestmark = pytest.mark.django_db
State = Policy.State


def test_every_step_writes_exactly_one_entry(policy_in):
    policy = policy_in(State.ENDORSED)
    entries = AuditEntry.objects.filter(policy=policy).order_by("at", "pk")
    assert [(e.action, e.from_state, e.to_state) for e in entries] == [
        ("registered", "-", "drafting"),
        ("version_added", "drafting", "drafting"),
        ("submit_for_review", "drafting", "expert_review"),
        ("review", "expert_review", "expert_review"),
        ("clear_review", "expert_review", "institutional_support"),
        ("support", "institutional_support", "institutional_support"),
        ("support", "institutional_support", "institutional_support"),
        ("complete_support", "institutional_support", "awaiting_endorsement"),
        ("endorse", "awaiting_endorsement", "endorsed"),
    ]
    assert all(e.actor_id for e in entries)
    assert all(e.version_id == policy.current_version.pk for e in entries[1:])


def test_entries_cannot_be_changed_or_deleted_through_the_orm(policy_in):
    policy = policy_in(State.EXPERT_REVIEW)
    entry = AuditEntry.objects.filter(policy=policy).first()
    entry.comment = "tampered"
    with pytest.raises(ImmutableRecord):
        entry.save()
    with pytest.raises(ImmutableRecord):
        entry.delete()
    with pytest.raises(ImmutableRecord):
        AuditEntry.objects.filter(policy=policy).update(comment="tampered")
    with pytest.raises(ImmutableRecord):
        AuditEntry.objects.filter(policy=policy).delete()
    assert not AuditEntry.objects.filter(comment="tampered").exists()
    assert AuditEntry.objects.filter(policy=policy).count() == 3


@pytest.mark.parametrize("model", [Review, Support, Endorsement])
def test_decisions_are_append_only_too(policy_in, model):
    policy_in(State.ENDORSED)
    record = model.objects.first()
    with pytest.raises(ImmutableRecord):
        record.save()
    with pytest.raises(ImmutableRecord):
        model.objects.all().delete()
    assert model.objects.count() >= 1


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE workflow_auditentry SET comment = 'tampered'",
        "DELETE FROM workflow_auditentry",
    ],
)
def test_postgresql_refuses_raw_update_and_delete(policy_in, statement):
    policy_in(State.EXPERT_REVIEW)
    count = AuditEntry.objects.count()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEntry.objects.count() == count
    assert not AuditEntry.objects.filter(comment="tampered").exists()


def test_an_entry_shows_its_action_as_its_choices_name_it():
    from django.utils import translation

    for value, label in AuditEntry.Action.choices:
        with translation.override("en"):
            assert AuditEntry(action=value).get_action_display() == str(label)
    assert AuditEntry(action="not_an_action").get_action_display() == "not_an_action"
