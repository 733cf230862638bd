"""The caller's notifications, as the API shows them."""

from rest_framework import serializers


class NotificationSerializer(serializers.Serializer):
    """An in-app notification. ``done_at`` is set once the step it asked for is
    done; it is ``unread`` while neither read nor done."""

    id = serializers.IntegerField(source="pk")
    event = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    link = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
    done_at = serializers.DateTimeField(allow_null=True)
    unread = serializers.BooleanField()

    def get_link(self, notification) -> str:
        """The page it points to, as an absolute address; empty when it points nowhere."""
        if not notification.link:
            return ""
        return self.context["request"].build_absolute_uri(notification.link)


class NotificationFilterSerializer(serializers.Serializer):
    unread = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: only the unread; false: only those read or done.",
    )


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were marked read.")
