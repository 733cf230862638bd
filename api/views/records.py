"""A policy's history and its endorsement."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from api import selectors
from api.pagination import Newest
from api.renderers import DOWNLOAD_RENDERERS
from api.serializers.records import AuditEntrySerializer, EndorsementSerializer
from api.views.versions import DOCX_FILE, POLICY
from documents.downloads import record_file


class History(generics.ListAPIView):
    """Every entry of the policy's audit log, newest first, a cursor page at a time."""

    serializer_class = AuditEntrySerializer
    pagination_class = Newest

    @extend_schema(parameters=[POLICY])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        policy = selectors.visible_policy(self.request.user, self.kwargs["pk"])
        return selectors.history_of(policy)


class EndorsementDetail(APIView):
    """The lead ministry's endorsement of the policy (404 while it is not endorsed)."""

    @extend_schema(parameters=[POLICY], responses=EndorsementSerializer)
    def get(self, request, pk):
        policy = selectors.visible_policy(request.user, pk)
        endorsement = selectors.endorsement_of(policy)
        return Response(EndorsementSerializer(endorsement, context={"request": request}).data)


class EndorsementRecord(APIView):
    """The endorsement's official record (.docx); 404 until it is made."""

    renderer_classes = DOWNLOAD_RENDERERS

    @extend_schema(parameters=[POLICY], responses=DOCX_FILE)
    def get(self, request, pk):
        policy = selectors.visible_policy(request.user, pk)
        return record_file(selectors.endorsement_record_of(policy))
