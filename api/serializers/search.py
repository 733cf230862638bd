"""Search as the API answers it: the same query, scope and results as the page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from rest_framework import serializers

from workflow.models import Policy, SearchEntry
from workflow.search.parsing import QueryError, parse


class SearchInputSerializer(serializers.Serializer):
    q = serializers.CharField(
        allow_blank=True,
        trim_whitespace=True,
        help_text=_(
            "Every word must occur; a phrase in double quotes; a word ending in * "
            "for the words it starts. Arabic-script vowel marks, letter forms and "
            "digits need not match; Latin case and accents need not either."
        ),
    )
    country = serializers.CharField(max_length=2, min_length=2, required=False)
    state = serializers.ChoiceField(choices=Policy.State.choices, required=False)
    current = serializers.BooleanField(
        required=False, default=False, help_text=_("Only the places of current versions.")
    )
    page = serializers.IntegerField(min_value=1, max_value=10_000, required=False, default=1)

    def validate_q(self, value):
        try:
            return parse(value)
        except QueryError as refused:
            raise serializers.ValidationError(refused.message) from None

    def validate_country(self, value):
        code = value.upper()
        if code not in countries:
            raise serializers.ValidationError(_("There is no country with this code."))
        return code


class FragmentSerializer(serializers.Serializer):
    text = serializers.CharField()
    match = serializers.BooleanField(help_text=_("One of the words searched for."))


class HitSerializer(serializers.Serializer):
    place = serializers.ChoiceField(
        choices=[c for c in SearchEntry.Kind.choices if c[0] != SearchEntry.Kind.SECTION],
        source="kind",
    )
    place_label = serializers.CharField(source="kind_label")
    version_number = serializers.IntegerField(allow_null=True)
    current = serializers.BooleanField(
        help_text=_("The place is the policy's own, or its current version's.")
    )
    snippet = serializers.SerializerMethodField()
    fragments = serializers.SerializerMethodField()
    language = serializers.CharField(
        allow_null=True,
        help_text=_("For a place in a translation's text: the translation's language."),
    )
    preview_url = serializers.SerializerMethodField(
        help_text=_(
            "The version's preview at the place, for a place in its text; the "
            "translation's preview, for a place in a translation's text."
        )
    )
    letter_url = serializers.SerializerMethodField(
        help_text=_("The official letter's download, for a place in a letter's text.")
    )

    def get_snippet(self, hit) -> str:
        return "".join(text for text, _ in hit.fragments)

    def get_fragments(self, hit) -> FragmentSerializer(many=True):
        return [{"text": text, "match": match} for text, match in hit.fragments]

    def to_representation(self, hit):
        data = super().to_representation(hit)
        data["language"] = hit.language or None
        return data

    def get_preview_url(self, hit) -> str | None:
        if not hit.anchor:
            return None
        if hit.translation_id:
            path = reverse("documents:translation_preview", kwargs={"pk": hit.translation_id})
        else:
            path = reverse("documents:preview", kwargs={"pk": hit.version_id})
        return self.context["request"].build_absolute_uri(f"{path}#{hit.anchor}")

    def get_letter_url(self, hit) -> str | None:
        if not hit.letter_id:
            return None
        path = reverse("documents:letter", kwargs={"pk": hit.letter_id})
        return self.context["request"].build_absolute_uri(path)


class PolicyResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="policy_id")
    title = serializers.CharField()
    short_title = serializers.CharField()
    country = serializers.CharField()
    state = serializers.ChoiceField(choices=Policy.State.choices)
    state_label = serializers.CharField()
    more_hits = serializers.BooleanField(
        source="more", help_text=_("More places in the policy match than ``hits`` holds.")
    )
    hits = HitSerializer(many=True, help_text=_("The first matching places."))
    url = serializers.SerializerMethodField()

    def get_url(self, result) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api:policy", kwargs={"pk": result.policy_id})
        )


class SearchResultsSerializer(serializers.Serializer):
    count = serializers.IntegerField(source="total", help_text=_("Policies found."))
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = PolicyResultSerializer(many=True, source="policies")
