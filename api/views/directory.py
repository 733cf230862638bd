"""Who is who: the caller, and the organisations and projects they can see."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api import selectors
from api.models import ApiToken
from api.serializers.common import (
    OrganizationRefSerializer,
    OrganizationSerializer,
    PersonSerializer,
    ProjectSerializer,
)
from workflow.models import Membership


class MembershipSerializer(serializers.Serializer):
    organization = OrganizationRefSerializer()
    role = serializers.ChoiceField(choices=Membership.Role.choices)
    role_label = serializers.CharField(source="get_role_display")


class TokenInUseSerializer(serializers.Serializer):
    name = serializers.CharField()
    prefix = serializers.CharField()
    expires_at = serializers.DateTimeField()


class MeSerializer(PersonSerializer):
    email = serializers.EmailField()
    memberships = MembershipSerializer(many=True)
    token = TokenInUseSerializer(
        allow_null=True, help_text="The token this request came with; null for a browser session."
    )


class Me(APIView):
    """The caller: who they are, their organisations and roles, the token in use."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        user.memberships_list = selectors.memberships_of(user)
        token = request.auth if isinstance(request.auth, ApiToken) else None
        data = MeSerializer(user).data | {
            "memberships": MembershipSerializer(user.memberships_list, many=True).data,
            "token": TokenInUseSerializer(token).data if token else None,
        }
        return Response(data)


class OrganizationList(generics.ListAPIView):
    """The caller's organisations and every one their policies name."""

    serializer_class = OrganizationSerializer

    def get_queryset(self):
        return selectors.organizations(self.request.user)


class OrganizationDetail(generics.RetrieveAPIView):
    serializer_class = OrganizationSerializer

    def get_queryset(self):
        return selectors.organizations(self.request.user)


class ProjectList(generics.ListAPIView):
    """The projects of the caller's policies, and those their organisation implements or funds."""

    serializer_class = ProjectSerializer

    def get_queryset(self):
        return selectors.projects(self.request.user)


class ProjectDetail(generics.RetrieveAPIView):
    serializer_class = ProjectSerializer

    def get_queryset(self):
        return selectors.projects(self.request.user)
