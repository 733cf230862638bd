"""The caller's own notifications: the inbox, and marking them read."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from api import selectors
from api.pagination import Pages
from api.serializers.notifications import (
    MarkedReadSerializer,
    NotificationFilterSerializer,
    NotificationSerializer,
)
from notifications import services

NOTIFICATION = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="The notification's id."
)


class Notifications(generics.ListAPIView):
    """The caller's notifications, newest first."""

    serializer_class = NotificationSerializer
    pagination_class = Pages

    @extend_schema(parameters=[NotificationFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = NotificationFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.notifications_of(self.request.user, **filters.validated_data)


class MarkRead(APIView):
    """Mark one of the caller's notifications read; another person's is not found."""

    @extend_schema(
        operation_id="notification_read",
        parameters=[NOTIFICATION],
        request=None,
        responses=NotificationSerializer,
    )
    def post(self, request, pk):
        notification = selectors.notification_of(request.user, pk)
        services.mark_read(request.user, notification.pk)
        notification.refresh_from_db(fields=["read_at"])
        return Response(NotificationSerializer(notification, context={"request": request}).data)


class MarkAllRead(APIView):
    """Mark every unread notification of the caller read; says how many."""

    @extend_schema(
        operation_id="notifications_read_all", request=None, responses=MarkedReadSerializer
    )
    def post(self, request):
        marked = services.mark_all_read(request.user)
        return Response(MarkedReadSerializer({"marked": marked}).data)
