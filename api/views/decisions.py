"""Reviews and institutions' decisions on a policy: listed, and recorded through the services."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api import selectors
from api.concurrency import unchanged_since_read, with_etag
from api.serializers.common import OrganizationRefSerializer, PersonSerializer
from api.serializers.translations import MarkedUpCopySerializer
from api.views.policies import IF_MATCH
from documents import services as documents
from workflow import services
from workflow.models import DocumentVersion, Organization, Review, Support


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    version = serializers.IntegerField(source="version.number")
    reviewer = PersonSerializer()
    decision = serializers.ChoiceField(choices=Review.Decision.choices)
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()
    marked_up_copy = serializers.SerializerMethodField(
        help_text="The version as the reviewer marked it up, its comments placed by paragraph."
    )

    def get_marked_up_copy(self, review) -> MarkedUpCopySerializer(allow_null=True):
        copy = getattr(review, "marked_up_copy", None)
        return MarkedUpCopySerializer(copy).data if copy else None


class ReviewInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Review.Decision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The number of the version you read: refused if another is current now.",
    )
    acknowledged = serializers.BooleanField(required=False, default=False)


class ReviewWithCopyInputSerializer(ReviewInputSerializer):
    marked_up_copy = serializers.FileField(
        required=False,
        help_text="The version as you marked it up in Word (.docx), through the same intake.",
    )


class SupportSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    version = serializers.IntegerField(source="version.number")
    organization = OrganizationRefSerializer()
    decision = serializers.ChoiceField(choices=Support.Decision.choices)
    statement = serializers.CharField()
    recorded_by = PersonSerializer()
    recorded_at = serializers.DateTimeField()


class SupportInputSerializer(serializers.Serializer):
    organization = serializers.IntegerField(
        min_value=1, help_text="The required institution you decide for."
    )
    decision = serializers.ChoiceField(choices=Support.Decision.choices)
    statement = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The number of the version decided on: refused if another is current now.",
    )
    letter = serializers.FileField(
        required=False,
        help_text=(
            "The institution's signed letter, a PDF or a .docx (multipart only); required "
            "when the project says so. Refused files answer 400 with the intake's code."
        ),
    )


def _version(policy, number):
    """The policy's version of that number, or None when none was named."""
    if number is None:
        return None
    version = DocumentVersion.objects.filter(policy=policy, number=number).first()
    if version is None:
        raise ValidationError(
            {"version": _("This policy has no version %(number)d.") % {"number": number}}
        )
    return version


class Reviews(APIView):
    """The reviews given on the policy, newest first; an assigned reviewer records one."""

    @extend_schema(responses=ReviewSerializer(many=True))
    def get(self, request, pk):
        policy = selectors.visible_policy(request.user, pk)
        rows = selectors.reviews_of(policy)
        return with_etag(Response(ReviewSerializer(rows, many=True).data), policy)

    @extend_schema(
        request={
            "application/json": ReviewInputSerializer,
            "multipart/form-data": ReviewWithCopyInputSerializer,
        },
        responses={201: ReviewSerializer},
        parameters=[IF_MATCH],
        description=(
            "JSON, or multipart with the reviewer's marked-up copy as ``marked_up_copy``: "
            "a refused file answers 400 with the intake's code, and no review is recorded."
        ),
    )
    def post(self, request, pk):
        policy = selectors.visible_policy(request.user, pk)
        given = ReviewWithCopyInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with unchanged_since_read(request, policy):
            review = documents.record_review_with_copy(
                policy,
                actor=request.user,
                marked_up_copy=given.validated_data.get("marked_up_copy"),
                decision=given.validated_data["decision"],
                comment=given.validated_data["comment"],
                version=_version(policy, given.validated_data.get("version")),
                acknowledged=given.validated_data["acknowledged"],
            )
        data = ReviewSerializer(selectors.reviews_of(policy).get(pk=review.pk)).data
        return with_etag(Response(data, status=status.HTTP_201_CREATED), policy)


class Supports(APIView):
    """The institutions' decisions on the policy, newest first; a member of a
    required institution records its decision on the current version."""

    @extend_schema(responses=SupportSerializer(many=True))
    def get(self, request, pk):
        policy = selectors.visible_policy(request.user, pk)
        rows = selectors.supports_of(policy)
        return with_etag(Response(SupportSerializer(rows, many=True).data), policy)

    @extend_schema(
        request={
            "application/json": SupportInputSerializer,
            "multipart/form-data": SupportInputSerializer,
        },
        responses={201: SupportSerializer},
        parameters=[IF_MATCH],
    )
    def post(self, request, pk):
        policy = selectors.visible_policy(request.user, pk)
        given = SupportInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        organization = Organization.objects.filter(pk=given.validated_data["organization"]).first()
        if organization is None:
            raise ValidationError({"organization": _("There is no institution with this number.")})
        letter = documents.support_letter(
            policy,
            actor=request.user,
            organization=organization,
            uploaded_file=given.validated_data.get("letter"),
        )
        with unchanged_since_read(request, policy):
            support = services.record_support(
                policy,
                actor=request.user,
                organization=organization,
                decision=given.validated_data["decision"],
                statement=given.validated_data["statement"],
                version=_version(policy, given.validated_data.get("version")),
                letter=letter,
            )
        data = SupportSerializer(selectors.supports_of(policy).get(pk=support.pk)).data
        return with_etag(Response(data, status=status.HTTP_201_CREATED), policy)
