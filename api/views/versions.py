"""A policy's versions: listed, added through the intake, downloaded, read and compared."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api import selectors
from api.concurrency import unchanged_since_read, with_etag
from api.renderers import DOWNLOAD_RENDERERS
from api.serializers.versions import (
    ComparisonSerializer,
    ExtractionSerializer,
    VersionInputSerializer,
    VersionSerializer,
)
from api.views.policies import IF_MATCH
from documents import services
from documents.downloads import DOCX_TYPE, record_file, version_file
from documents.selectors import content_of


def _number(name, description):
    return OpenApiParameter(name, int, OpenApiParameter.PATH, description=description)


POLICY = _number("id", "The policy's id.")
NUMBER = _number("number", "The version's number within the policy.")
OLDER = _number("older", "The number of the version compared from.")
NEWER = _number("newer", "The number of the version compared to.")
DOCX_FILE = {
    (200, DOCX_TYPE): OpenApiTypes.BINARY,
    # documents.downloads: what a download answers when the files are in a bucket.
    302: OpenApiResponse(
        description="With object storage: a redirect to a signed link to the file, valid "
        "for minutes. Follow it without this API's Authorization header."
    ),
}


class Versions(APIView):
    """The policy's versions, newest first, withdrawn ones included and marked;
    an assigned drafter or a coordinator adds one while it is in drafting."""

    parser_classes = [MultiPartParser]

    @extend_schema(parameters=[POLICY], responses=VersionSerializer(many=True))
    def get(self, request, pk):
        policy = selectors.visible_policy(request.user, pk)
        rows = selectors.versions_of(policy)
        data = VersionSerializer(rows, many=True, context={"request": request}).data
        return with_etag(Response(data), policy)

    @extend_schema(
        parameters=[POLICY, IF_MATCH],
        request={"multipart/form-data": VersionInputSerializer},
        responses={201: VersionSerializer},
        description=(
            "The same intake as the policy page: a refused file answers 400 with the "
            "intake's own code (e.g. duplicate, not_zip, active_content)."
        ),
    )
    def post(self, request, pk):
        policy = selectors.visible_policy(request.user, pk)
        given = VersionInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with unchanged_since_read(request, policy):
            version = services.add_version(
                policy,
                actor=request.user,
                uploaded_file=given.validated_data["file"],
                note=given.validated_data["note"],
            )
        version = selectors.version_of(policy, version.number)
        data = VersionSerializer(version, context={"request": request}).data
        location = reverse("api:version", kwargs={"pk": policy.pk, "number": version.number})
        response = Response(
            data,
            status=status.HTTP_201_CREATED,
            headers={"Location": request.build_absolute_uri(location)},
        )
        return with_etag(response, policy)


class Version(APIView):
    @extend_schema(parameters=[POLICY, NUMBER], responses=VersionSerializer)
    def get(self, request, pk, number):
        policy = selectors.visible_policy(request.user, pk)
        version = selectors.version_of(policy, number)
        return Response(VersionSerializer(version, context={"request": request}).data)


class VersionFile(APIView):
    """The version's .docx, exactly as uploaded."""

    renderer_classes = DOWNLOAD_RENDERERS

    @extend_schema(parameters=[POLICY, NUMBER], responses=DOCX_FILE)
    def get(self, request, pk, number):
        policy = selectors.visible_policy(request.user, pk)
        return version_file(selectors.version_of(policy, number))


class VersionText(APIView):
    """What intake read out of the version: its text with tracked changes
    accepted, the changes and comments still in it, its links."""

    @extend_schema(parameters=[POLICY, NUMBER], responses=ExtractionSerializer)
    def get(self, request, pk, number):
        policy = selectors.visible_policy(request.user, pk)
        version = selectors.version_of(policy, number)
        return Response(ExtractionSerializer(content_of(version)).data)


def _pair(request, pk, older, newer):
    policy = selectors.visible_policy(request.user, pk)
    return selectors.version_of(policy, older), selectors.version_of(policy, newer)


class Comparison(APIView):
    """What changed from one version to another, paragraph by paragraph and word by word."""

    @extend_schema(parameters=[POLICY, OLDER, NEWER], responses=ComparisonSerializer)
    def get(self, request, pk, older, newer):
        older, newer = _pair(request, pk, older, newer)
        comparison = services.compare(older, newer)
        data = {
            "older_number": older.number,
            "newer_number": newer.number,
            "summary": comparison.summary,
            "blocks": comparison.blocks,
        }
        return Response(ComparisonSerializer(data).data)


class Redline(APIView):
    """The newer version's .docx with the changes from the older as Word revisions.

    Refused (400, code ``redline_too_large``) when they differ in more text
    than such a document is written for."""

    renderer_classes = DOWNLOAD_RENDERERS

    @extend_schema(parameters=[POLICY, OLDER, NEWER], responses=DOCX_FILE)
    def get(self, request, pk, older, newer):
        older, newer = _pair(request, pk, older, newer)
        return record_file(services.redline_record(older, newer, actor=request.user))
