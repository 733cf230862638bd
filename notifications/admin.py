"""The outbox, notifications and preferences in the admin.

The outbox is read-only: rows are written with the change they report and
moved on by delivery. Dead rows show their last error; "retry" puts them
back in the queue (on every channel, webhooks included), for those who may
change outbox rows. Webhook endpoints are registered in the workflow's
admin, which checks who may.
"""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import EmailPreference, Notification, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "event",
        "channel",
        "recipient",
        "endpoint",
        "status",
        "attempts",
        "last_error",
    ]
    list_filter = ["status", "channel", "event"]
    list_select_related = ["recipient", "endpoint"]
    search_fields = ["key", "recipient__username", "endpoint__name", "subject", "last_error"]
    date_hierarchy = "created_at"
    actions = ["retry"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retry the selected dead messages"), permissions=["change"])
    def retry(self, request, queryset):
        count = queryset.filter(status=OutboxMessage.Status.DEAD).update(
            status=OutboxMessage.Status.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            lease_until=None,
        )
        self.message_user(
            request, _("%(count)s messages will be delivered again.") % {"count": count}
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "event", "title", "read_at", "done_at"]
    list_filter = ["event"]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__username"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "event", "email"]
    list_filter = ["event", "email"]
