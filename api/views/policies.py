"""Policies: the list, one policy, and the transitions taken on it."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api import selectors
from api.concurrency import unchanged_since_read, with_etag
from api.pagination import Pages
from api.serializers.policies import (
    PolicyDetailSerializer,
    PolicyFilterSerializer,
    PolicySummarySerializer,
    TransitionInputSerializer,
)
from documents import services as documents
from workflow import services, transitions

IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="The policy's ETag as last read: the write is refused (412) if it changed since.",
)


class PolicyList(generics.ListAPIView):
    """The policies the caller takes part in, by country and short title."""

    serializer_class = PolicySummarySerializer
    pagination_class = Pages

    @extend_schema(parameters=[PolicyFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = PolicyFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.policies(self.request.user, **filters.validated_data)


class PolicyDetail(APIView):
    """One policy, with its current version and the transitions the caller may
    take now or once what blocks them is done. Its ETag names its revision."""

    @extend_schema(responses=PolicyDetailSerializer)
    def get(self, request, pk):
        policy = selectors.policy_detail(request.user, pk)
        data = PolicyDetailSerializer(policy, context={"request": request}).data
        return with_etag(Response(data), policy)


class TakeTransition(APIView):
    """Take a transition: the same service, rules and refusals as the policy page."""

    @extend_schema(
        request={
            "application/json": TransitionInputSerializer,
            "multipart/form-data": TransitionInputSerializer,
        },
        responses={200: PolicyDetailSerializer},
        parameters=[
            IF_MATCH,
            OpenApiParameter(
                "name",
                str,
                OpenApiParameter.PATH,
                enum=[step.name for step in transitions.user_steps()],
                description="The transition, as the workflow declares it.",
            ),
        ],
    )
    def post(self, request, pk, name):
        if not transitions.is_user_step(name):
            raise Http404
        policy = selectors.visible_policy(request.user, pk)
        given = TransitionInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        step = transitions.step(name)
        fields = documents.transition_letters(
            policy,
            name,
            actor=request.user,
            fields={field: given.validated_data.get(field) for field in step.fields},
        )
        with unchanged_since_read(request, policy):
            services.perform_transition(
                policy,
                name,
                actor=request.user,
                comment=given.validated_data["comment"],
                acknowledged=given.validated_data["acknowledged"],
                **fields,
            )
        policy = selectors.policy_detail(request.user, pk)
        data = PolicyDetailSerializer(policy, context={"request": request}).data
        return with_etag(Response(data, status=status.HTTP_200_OK), policy)
