"""Policies as the API shows them, and what a transition takes."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from rest_framework import serializers

from api.serializers.common import (
    LARGEST_ID,
    OrganizationRefSerializer,
    PersonSerializer,
    ProjectRefSerializer,
)
from workflow.models import Policy


class VersionSummarySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    original_name = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    word_count = serializers.IntegerField()
    tracked_insertions = serializers.IntegerField()
    tracked_deletions = serializers.IntegerField()
    comment_count = serializers.IntegerField()


class PolicySummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    short_title = serializers.CharField()
    country = serializers.CharField()
    state = serializers.ChoiceField(choices=Policy.State.choices)
    state_label = serializers.CharField(source="get_state_display")
    revision = serializers.IntegerField()
    project = ProjectRefSerializer()
    lead_ministry = OrganizationRefSerializer()
    review_due = serializers.DateField(allow_null=True)
    support_due = serializers.DateField(allow_null=True)
    updated_at = serializers.DateTimeField()
    current_version_number = serializers.IntegerField(source="current_number", allow_null=True)
    url = serializers.SerializerMethodField()

    def get_url(self, policy) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api:policy", kwargs={"pk": policy.pk})
        )


class TransitionSerializer(serializers.Serializer):
    """A transition the caller may take from the policy's state; ``possible``
    once nothing blocks it, else ``blockers`` says what still does."""

    name = serializers.CharField()
    label = serializers.CharField()
    possible = serializers.BooleanField()
    blockers = serializers.ListField(child=serializers.CharField())
    needs_reason = serializers.BooleanField()
    warns = serializers.BooleanField(
        help_text="Send acknowledged=true once you have seen the tracked changes and comments."
    )
    fields = serializers.ListField(child=serializers.CharField())
    url = serializers.CharField()


class PolicyDetailSerializer(PolicySummarySerializer):
    current_version_number = None
    summary = serializers.CharField()
    themes = serializers.SerializerMethodField()
    required_supporters = OrganizationRefSerializer(many=True)
    drafters = PersonSerializer(many=True)
    reviewers = PersonSerializer(many=True)
    created_at = serializers.DateTimeField()
    current_version = VersionSummarySerializer(allow_null=True)
    available_transitions = serializers.SerializerMethodField(
        help_text="The transitions the caller can take right now."
    )
    transitions = serializers.SerializerMethodField(
        help_text="Every transition the caller may take from this state, with what blocks it."
    )

    def get_themes(self, policy) -> list[str]:
        return [theme.name for theme in policy.themes.all()]

    def get_available_transitions(self, policy) -> list[str]:
        return [step.name for step, reasons in policy.transitions if not reasons]

    def get_transitions(self, policy) -> TransitionSerializer(many=True):
        request = self.context["request"]
        return [
            {
                "name": step.name,
                "label": str(step.label),
                "possible": not reasons,
                "blockers": [str(reason) for reason in reasons],
                "needs_reason": step.needs_reason,
                "warns": step.warns,
                "fields": list(step.fields),
                "url": request.build_absolute_uri(
                    reverse("api:transition", kwargs={"pk": policy.pk, "name": step.name})
                ),
            }
            for step, reasons in policy.transitions
        ]


class PolicyFilterSerializer(serializers.Serializer):
    """The list's filters; a value the list does not know is a 400, not "any"."""

    state = serializers.ChoiceField(choices=Policy.State.choices, required=False)
    country = serializers.CharField(max_length=2, min_length=2, required=False)
    project = serializers.IntegerField(min_value=1, max_value=LARGEST_ID, required=False)
    lead_ministry = serializers.IntegerField(min_value=1, max_value=LARGEST_ID, required=False)
    updated_since = serializers.DateTimeField(required=False)

    def validate_country(self, value):
        code = value.upper()
        if code not in countries:
            raise serializers.ValidationError(_("There is no country with this code."))
        return code


class TransitionInputSerializer(serializers.Serializer):
    """What a transition takes: a comment (required where the declaration says
    the next person needs a reason; the service says so), the acknowledgement
    of tracked changes where it warns, and the fields it names."""

    # Lengths and required fields are the service's to check, with its own words.
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", trim_whitespace=True
    )
    acknowledged = serializers.BooleanField(required=False, default=False)
    instrument = serializers.CharField(required=False, allow_blank=True)
    date = serializers.DateField(required=False)
    decree = serializers.FileField(
        required=False,
        help_text=(
            "`endorse`: the decree or cabinet decision, a PDF or a .docx (multipart only); "
            "required when the project says so."
        ),
    )
