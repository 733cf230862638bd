"""Registering a webhook: the organisation, a name, the URL, the events, the projects."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workflow import webhooks
from workflow.models import Project


def _checkboxes():
    return forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ProjectsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class WebhookForm(forms.Form):
    """Only shapes the input: ``workflow.webhooks`` decides what is valid."""

    organization = OrganizationChoiceField(label=_("Organisation"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=webhooks.NAME_MAX_LENGTH)
    url = forms.CharField(
        label=_("URL"),
        max_length=webhooks.URL_MAX_LENGTH,
        help_text=_("Where the events are posted: an http:// or https:// address."),
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "url", "spellcheck": "false"}),
    )
    events = forms.MultipleChoiceField(label=_("Events"), choices=(), widget=_checkboxes())
    projects = ProjectsChoiceField(
        label=_("Projects"),
        queryset=None,
        required=False,
        widget=_checkboxes(),
        help_text=_("None chosen: every project of the organisation."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = webhooks.coordinated_organizations(user)
        self.fields["organization"].queryset = organizations
        if len(self.fields["organization"].queryset) == 1:
            self.fields["organization"].initial = organizations.get()
        self.fields["projects"].queryset = Project.objects.filter(implementer__in=organizations)
        self.fields["events"].choices = webhooks.event_choices()

    def service_values(self):
        data = self.cleaned_data
        return {
            "organization": data["organization"],
            "name": data["name"],
            "url": data["url"],
            "events": data["events"],
            "projects": list(data["projects"]),
        }
