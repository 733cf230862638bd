"""Personal API tokens in the admin: seen and revoked, never made or read back.

A token is made by its owner (``/accounts/tokens/``) or with
``manage.py create_api_token``; only its digest is kept, so the admin can
show whose it is and when it was used, and revoke it.
"""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at", "expires_at"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username", "prefix"]
    date_hierarchy = "created_at"
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def get_fields(self, request, obj=None):
        return [name for name in self.get_readonly_fields(request, obj) if name != "digest"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        revoked = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, _("%(count)d tokens revoked.") % {"count": revoked})
