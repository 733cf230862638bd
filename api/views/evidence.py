"""A policy's official letters: listed, and each file downloaded exactly as received."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api import selectors
from api.concurrency import with_etag
from api.renderers import DocxRenderer, PdfRenderer
from api.serializers.evidence import EvidenceSerializer
from documents.downloads import DOCX_TYPE, PDF_TYPE, evidence_file

POLICY = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The policy's id.")
ITEM = OpenApiParameter("item", int, OpenApiParameter.PATH, description="The letter's id.")


class EvidenceList(APIView):
    """The letters of support (or of decline) and the endorsement decree, newest
    first, each with its SHA-256."""

    @extend_schema(parameters=[POLICY], responses=EvidenceSerializer(many=True))
    def get(self, request, pk):
        policy = selectors.visible_policy(request.user, pk)
        rows = selectors.evidence_of(policy)
        data = EvidenceSerializer(rows, many=True, context={"request": request}).data
        return with_etag(Response(data), policy)


class EvidenceFile(APIView):
    """The letter's file, exactly as received: a PDF or a Word document."""

    renderer_classes = [JSONRenderer, PdfRenderer, DocxRenderer]

    @extend_schema(
        parameters=[POLICY, ITEM],
        responses={(200, PDF_TYPE): OpenApiTypes.BINARY, (200, DOCX_TYPE): OpenApiTypes.BINARY},
    )
    def get(self, request, pk, item):
        policy = selectors.visible_policy(request.user, pk)
        return evidence_file(selectors.evidence_item(policy, item))
