"""Translations of a version and reviewers' marked-up copies, as the API shows them."""

from django.urls import reverse
from rest_framework import serializers

from api.serializers.common import PersonSerializer


class TranslationSerializer(serializers.Serializer):
    """The version in another language; ``direction`` is how its text is laid out."""

    language = serializers.CharField(help_text="A language code, e.g. fa, ps, ur, ar, ku.")
    language_name = serializers.CharField(help_text="The language's name in yours.")
    direction = serializers.ChoiceField(choices=[("ltr", "ltr"), ("rtl", "rtl")])
    version = serializers.IntegerField(source="version.number")
    original_name = serializers.CharField()
    download_name = serializers.CharField()
    size = serializers.IntegerField(help_text="In bytes.")
    sha256 = serializers.CharField()
    word_count = serializers.IntegerField()
    uploaded_by = PersonSerializer()
    uploaded_at = serializers.DateTimeField()
    reason = serializers.CharField(help_text="Why it was added after drafting; empty before.")
    file_url = serializers.SerializerMethodField()

    def get_file_url(self, translation) -> str:
        path = reverse(
            "api:translation_file",
            kwargs={
                "pk": translation.version.policy_id,
                "number": translation.version.number,
                "language": translation.language,
            },
        )
        return self.context["request"].build_absolute_uri(path)


class TranslationInputSerializer(serializers.Serializer):
    language = serializers.CharField(max_length=12, help_text="One of the project's languages.")
    file = serializers.FileField(help_text="The translation as a Word (.docx) document.")
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required after drafting (coordinators only): why it is added now.",
    )


class AnchoredCommentSerializer(serializers.Serializer):
    """A Word comment of the marked-up copy, placed in the reviewed version."""

    author = serializers.CharField()
    date = serializers.CharField(help_text="As Word wrote it (ISO 8601), or empty.")
    text = serializers.CharField()
    anchored_text = serializers.CharField(help_text="The text the comment is anchored to.")
    paragraph = serializers.IntegerField(
        allow_null=True, help_text="The 1-based paragraph (or table) of the reviewed version."
    )
    section = serializers.CharField(help_text='Its number, e.g. "4.2"; empty if unnumbered.')


class MarkedUpCopySerializer(serializers.Serializer):
    original_name = serializers.CharField()
    size = serializers.IntegerField(help_text="In bytes.")
    sha256 = serializers.CharField()
    tracked_insertions = serializers.IntegerField()
    tracked_deletions = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()
    comments = AnchoredCommentSerializer(many=True)
