"""Official letters: what the API says of each (its file is downloaded apart)."""

from django.urls import reverse
from rest_framework import serializers

from api.serializers.common import OrganizationRefSerializer, PersonSerializer
from workflow.models import Evidence


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.ChoiceField(choices=Evidence.Kind.choices)
    proves = serializers.SerializerMethodField(
        help_text="`support` (an institution's decision) or `endorsement` (the decree)."
    )
    support = serializers.IntegerField(source="support_id", allow_null=True)
    organization = OrganizationRefSerializer(source="support.organization", allow_null=True)
    endorsement = serializers.IntegerField(source="endorsement_id", allow_null=True)
    version = serializers.IntegerField(source="version.number")
    original_name = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    pages = serializers.IntegerField(allow_null=True)
    links = serializers.ListField(
        child=serializers.CharField(), help_text="The web addresses the PDF links to."
    )
    added_by = PersonSerializer()
    added_at = serializers.DateTimeField()
    file = serializers.SerializerMethodField()

    def get_proves(self, evidence) -> str:
        return "endorsement" if evidence.endorsement_id else "support"

    def get_file(self, evidence) -> str:
        path = reverse("api:evidence_file", kwargs={"pk": evidence.policy_id, "item": evidence.pk})
        return self.context["request"].build_absolute_uri(path)
