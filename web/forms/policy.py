"""The form a coordinator registers a policy with, and changes its details in.

It only offers what a coordinator may choose (their own projects, the
experts of the implementers they coordinate) and checks the shape of the
input; whether the choices fit together (a ministry of the policy's
country, experts of the project's implementer, a free short title) is
``workflow.services``' answer, which the view puts back on the fields.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from policyflow.formats.countries import country_choices, country_name
from web.forms.actions import StoredNumberField
from workflow import services
from workflow.models import Membership, Organization, Project, Theme
from workflow.rules import display_name

Role = Membership.Role
Kind = Organization.Kind


def coordinated_implementers(user):
    """The implementers ``user`` coordinates, as a subquery."""
    return Membership.objects.filter(user=user, role=Role.COORDINATOR).values("organization_id")


def _experts(user, role):
    """Users holding ``role`` with an implementer ``user`` coordinates, with those memberships."""
    memberships = Membership.objects.filter(
        role=role, organization__in=coordinated_implementers(user)
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__in=memberships)
        .distinct()
        .only("pk", "username", "first_name", "last_name")
        .order_by("first_name", "last_name", "username")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=memberships.select_related("organization").only(
                    "pk", "user_id", "organization__name"
                ),
                to_attr="expert_memberships",
            )
        )
    )


class OrganizationChoiceMixin:
    def label_from_instance(self, obj):
        return f"{obj.name} ({country_name(obj.country)})" if obj.country else obj.name


class OrganizationChoiceField(OrganizationChoiceMixin, forms.ModelChoiceField):
    """An organisation, named with its country: ministries of several countries share names."""


class OrganizationsChoiceField(OrganizationChoiceMixin, forms.ModelMultipleChoiceField):
    pass


class ExpertsChoiceField(forms.ModelMultipleChoiceField):
    """Experts by full name and organisation, so that two namesakes can be told apart."""

    def label_from_instance(self, obj):
        organizations = ", ".join(m.organization.name for m in obj.expert_memberships)
        return f"{display_name(obj)} — {organizations}"


def _checkboxes():
    return forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PolicyForm(forms.Form):
    """A policy's details and who takes part, for ``register_policy`` / ``update_policy``."""

    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_("The full title, as the document names it."),
    )
    short_title = forms.CharField(
        label=_("Short title"),
        max_length=80,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_("A short name used in lists and reports; no two policies share one."),
    )
    country = forms.ChoiceField(label=_("Country"))
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none())
    lead_ministry = OrganizationChoiceField(
        label=_("Lead ministry"),
        queryset=Organization.objects.none(),
        help_text=_("The ministry of the policy's country that endorses it."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=services.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.none(), required=False, widget=_checkboxes()
    )
    required_supporters = OrganizationsChoiceField(
        label=_("Required supporting institutions"),
        queryset=Organization.objects.none(),
        required=False,
        widget=_checkboxes(),
        help_text=_("National institutions of the policy's country whose support it needs."),
    )
    drafters = ExpertsChoiceField(
        label=_("Drafters"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=_checkboxes(),
    )
    reviewers = ExpertsChoiceField(
        label=_("Reviewers"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=_checkboxes(),
        help_text=_("A reviewer never reviews a version they uploaded."),
    )
    review_due = forms.DateField(label=_("Review due"), required=False, widget=_date_input())
    support_due = forms.DateField(label=_("Support due"), required=False, widget=_date_input())
    backfill = forms.BooleanField(
        label=_("I am recording dates that have already passed (back-filling history)"),
        required=False,
        help_text=_("Only then may a due date lie in the past."),
    )

    # Fields laid out as groups of checkboxes rather than one control.
    CHOICE_GROUPS = ("themes", "required_supporters", "drafters", "reviewers")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        coordinated = coordinated_implementers(user)
        fields = self.fields
        fields["country"].choices = [("", _("Choose a country")), *country_choices()]
        fields["project"].queryset = Project.objects.filter(implementer__in=coordinated).only(
            "pk", "name", "short_name"
        )
        fields["lead_ministry"].queryset = Organization.objects.filter(kind=Kind.MINISTRY).only(
            "pk", "name", "country"
        )
        fields["themes"].queryset = Theme.objects.only("pk", "name")
        fields["required_supporters"].queryset = (
            Organization.objects.filter(kind__in=[Kind.INSTITUTION, Kind.MINISTRY])
            .only("pk", "name", "country")
            .order_by("country", "name")
        )
        fields["drafters"].queryset = _experts(user, Role.DRAFTER)
        fields["reviewers"].queryset = _experts(user, Role.REVIEWER)

    def service_values(self):
        """The cleaned input as keyword arguments of the services."""
        data = dict(self.cleaned_data)
        data.pop("revision", None)
        for name in self.CHOICE_GROUPS:
            if name in data:
                data[name] = list(data[name])
        return data

    def refuse(self, error):
        """Put a service's ``ValidationError`` on the fields it names; the rest above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            # Anything not on the form (e.g. NON_FIELD_ERRORS) goes above it.
            self.add_error(field if field in self.fields else None, errors)

    def groups(self):
        """The multiple-choice fields, for the template's fieldsets."""
        return [self[name] for name in self.CHOICE_GROUPS]


class PolicyEditForm(PolicyForm):
    """The same form for an existing policy, carrying the revision it was loaded at."""

    revision = StoredNumberField(smallest=0)

    def __init__(self, *args, policy, **kwargs):
        kwargs.setdefault("initial", initial_values(policy))
        super().__init__(*args, **kwargs)
        if policy.state in services.SUPPORTERS_FROZEN_IN:
            # The service would refuse a change to these now: say why up front.
            for name in ("lead_ministry", "required_supporters"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Fixed while support is collected or the policy awaits endorsement; "
                    "return it to drafting to change this."
                )


def initial_values(policy):
    """What the edit form starts from: the policy as it is, and its revision."""
    values = {name: getattr(policy, name) for name in services.DETAIL_FIELDS}
    values["country"] = policy.country.code
    values["project"] = policy.project_id
    values["lead_ministry"] = policy.lead_ministry_id
    for name in services.ASSIGNMENT_FIELDS:
        values[name] = [obj.pk for obj in getattr(policy, name).all()]
    values["revision"] = policy.revision
    return values
