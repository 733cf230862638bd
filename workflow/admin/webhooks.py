"""Webhook endpoints in the admin, for the coordinators who register them.

The form writes through ``workflow.webhooks`` (who may, what is valid); the
secret is generated there and never typed in. Endpoints are deactivated,
not deleted: their deliveries stay on record. The "rotate secret" action
gives the selected endpoints new secrets.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from notifications.models import WebhookEndpoint
from workflow import webhooks
from workflow.admin.base import ServiceAdmin, ServiceForm
from workflow.models import Organization, Project


class WebhookEndpointForm(ServiceForm):
    organization = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organization.objects.none()
    )
    # Checked by the service (schemes, host, no credentials, public address).
    url = forms.CharField(label=_("URL"), max_length=webhooks.URL_MAX_LENGTH)
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=(), widget=forms.CheckboxSelectMultiple
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Projects"),
        queryset=Project.objects.none(),
        required=False,
        help_text=_("None chosen: every project of the organisation."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "is_active"]

    actor = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = webhooks.coordinated_organizations(self.actor)
        self.fields["organization"].queryset = organizations
        self.fields["projects"].queryset = Project.objects.filter(implementer__in=organizations)
        self.fields["events"].choices = webhooks.event_choices()
        if self.instance.pk:
            del self.fields["organization"]
            self.initial["events"] = self.instance.events
            self.initial["projects"] = list(webhooks.projects_of(self.instance))

    def write(self, actor):
        data = self.cleaned_data
        if self.instance.pk:
            return webhooks.update_webhook(
                actor,
                self.instance,
                name=data["name"],
                url=data["url"],
                events=data["events"],
                projects=data["projects"],
                is_active=data["is_active"],
            )
        endpoint = webhooks.register_webhook(
            actor,
            data["organization"],
            data["name"],
            data["url"],
            data["events"],
            data["projects"],
        )
        if not data["is_active"]:
            endpoint = webhooks.remove_webhook(actor, endpoint)
        return endpoint


class WebhookEndpointAdmin(ServiceAdmin):
    form = WebhookEndpointForm
    list_display = ["name", "url", "owner", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    readonly_fields = ["secret", "owner", "topics", "created_by", "created_at"]
    actions = ["rotate_secret"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["organization", "name", "url", "events", "projects", "is_active"]
        return ["name", "url", "events", "projects", "is_active", *self.readonly_fields]

    def get_queryset(self, request):
        return webhooks.endpoints_managed_by(request.user)

    def _manages(self, request):
        return request.user.is_staff and webhooks.may_manage_webhooks(request.user)

    def has_module_permission(self, request):
        return self._manages(request)

    def has_view_permission(self, request, obj=None):
        return self._manages(request)

    def has_add_permission(self, request):
        return self._manages(request)

    def has_change_permission(self, request, obj=None):
        return self._manages(request)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Give the selected webhooks a new secret"), permissions=["change"])
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            webhooks.rotate_webhook_secret(request.user, endpoint)
        self.message_user(
            request, _("%(count)s webhooks have a new secret.") % {"count": len(queryset)}
        )


admin.site.register(WebhookEndpoint, WebhookEndpointAdmin)
