"""A version's translations: listed, added through the intake, downloaded."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api import selectors
from api.concurrency import unchanged_since_read, with_etag
from api.renderers import DOWNLOAD_RENDERERS
from api.serializers.translations import TranslationInputSerializer, TranslationSerializer
from api.views.policies import IF_MATCH
from api.views.versions import DOCX_FILE, NUMBER, POLICY
from documents import services
from documents.downloads import translation_file

LANGUAGE = OpenApiParameter(
    "language", str, OpenApiParameter.PATH, description="The translation's language code."
)


class Translations(APIView):
    """The version's translations, by language; a drafter adds one in drafting,
    a coordinator later with a reason, never once the policy is endorsed."""

    parser_classes = [MultiPartParser]

    @extend_schema(parameters=[POLICY, NUMBER], responses=TranslationSerializer(many=True))
    def get(self, request, pk, number):
        policy = selectors.visible_policy(request.user, pk)
        version = selectors.version_of(policy, number)
        rows = selectors.translations_of(version)
        data = TranslationSerializer(rows, many=True, context={"request": request}).data
        return with_etag(Response(data), policy)

    @extend_schema(
        parameters=[POLICY, NUMBER, IF_MATCH],
        request={"multipart/form-data": TranslationInputSerializer},
        responses={201: TranslationSerializer},
        description=(
            "The same intake as a version: a refused file answers 400 with the intake's "
            "own code (e.g. not_zip, active_content)."
        ),
    )
    def post(self, request, pk, number):
        policy = selectors.visible_policy(request.user, pk)
        version = selectors.version_of(policy, number)
        given = TranslationInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with unchanged_since_read(request, policy):
            translation = services.add_translation(
                policy,
                actor=request.user,
                version=version,
                language=given.validated_data["language"],
                uploaded_file=given.validated_data["file"],
                reason=given.validated_data["reason"],
            )
        translation = selectors.translation_of(version, translation.language)
        data = TranslationSerializer(translation, context={"request": request}).data
        location = reverse(
            "api:translation_file",
            kwargs={"pk": policy.pk, "number": version.number, "language": translation.language},
        )
        response = Response(
            data,
            status=status.HTTP_201_CREATED,
            headers={"Location": request.build_absolute_uri(location)},
        )
        return with_etag(response, policy)


class TranslationFile(APIView):
    """The translation's .docx, exactly as uploaded."""

    renderer_classes = DOWNLOAD_RENDERERS

    @extend_schema(parameters=[POLICY, NUMBER, LANGUAGE], responses=DOCX_FILE)
    def get(self, request, pk, number, language):
        policy = selectors.visible_policy(request.user, pk)
        version = selectors.version_of(policy, number)
        return translation_file(selectors.translation_of(version, language))
