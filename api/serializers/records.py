"""A policy's history and its endorsement, as the API shows them."""

from django.urls import reverse
from rest_framework import serializers

from api.serializers.common import OrganizationRefSerializer, PersonSerializer
from workflow.models import Policy


class AcknowledgedSerializer(serializers.Serializer):
    """The tracked changes and comments still in the version that the actor was
    warned of and went past."""

    tracked_changes = serializers.IntegerField()
    comments = serializers.IntegerField()


class AuditEntrySerializer(serializers.Serializer):
    """One entry of the audit log. ``from_state`` and ``to_state`` are equal when
    the act did not move the policy (a version, a review, a support)."""

    id = serializers.IntegerField(source="pk")
    at = serializers.DateTimeField()
    actor = PersonSerializer(allow_null=True, help_text="Null for an act of the system.")
    action = serializers.CharField(help_text="The record's own act, or the transition taken.")
    action_label = serializers.SerializerMethodField()
    from_state = serializers.CharField(help_text='Empty for the registration, "-" before it.')
    to_state = serializers.CharField()
    moved = serializers.SerializerMethodField()
    version = serializers.IntegerField(source="version.number", allow_null=True)
    comment = serializers.CharField()
    details = serializers.DictField(
        help_text=(
            "What else identifies the act: a support's institution and decision, an "
            "endorsement's instrument and endorsed_on, the fields a change of details "
            "changed (each with from and to), the tracked changes and comments the actor "
            "acknowledged."
        )
    )

    acknowledged = AcknowledgedSerializer(source="details.acknowledged", allow_null=True)
    endorsed_on = serializers.DateField(
        source="details.endorsed_on",
        allow_null=True,
        help_text="An endorsement's official date (at is when it was recorded).",
    )

    def get_action_label(self, entry) -> str:
        return str(entry.get_action_display())

    def get_moved(self, entry) -> bool:
        return entry.from_state != entry.to_state and entry.to_state in Policy.State.values


class RecordSerializer(serializers.Serializer):
    """A .docx policyflow wrote, and where to download it."""

    file_name = serializers.CharField()
    size = serializers.IntegerField(help_text="In bytes.")
    sha256 = serializers.CharField()
    created_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_url(self, record) -> str:
        path = reverse("api:endorsement_record", kwargs={"pk": record.policy_id})
        return self.context["request"].build_absolute_uri(path)


class EndorsementSerializer(serializers.Serializer):
    """The lead ministry's endorsement; ``record`` is null until its record is made."""

    instrument = serializers.CharField()
    endorsed_on = serializers.DateField(help_text="The date of the endorsing act.")
    version = serializers.IntegerField(source="version.number")
    ministry = OrganizationRefSerializer()
    endorsed_by = PersonSerializer()
    comment = serializers.CharField()
    recorded_at = serializers.DateTimeField(help_text="When it was recorded in policyflow.")
    reference = serializers.CharField(help_text="The record's reference number.")
    record = serializers.SerializerMethodField()

    def get_record(self, endorsement) -> RecordSerializer(allow_null=True):
        record = endorsement.record_made
        return RecordSerializer(record, context=self.context).data if record else None
