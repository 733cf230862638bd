"""The form a coordinator registers a policy with, and changes its details in.

It only offers what a coordinator may choose (their own projects, the
experts of the implementers they coordinate) and checks the shape of the
input; whether the choices fit together (a ministry of the policy's
country, experts of the project's implementer, a free short title) is
``workflow.services``' answer, which the view puts back on the fields.
"""

import copy

from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from policyflow.formats.countries import country_choices, country_name
from web.forms.actions import StoredNumberField
from workflow import permissions, services
from workflow.models import Membership, Organization, Policy, Project, Theme
from workflow.rules import display_name

Role = Membership.Role
Kind = Organization.Kind


def _experts(user, role):
    """The experts ``user`` may assign in ``role``, each with those memberships
    (the form names the implementer beside each person)."""
    memberships = permissions.expert_memberships(user, role)
    return (
        permissions.experts_for(user, role)
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


class ServiceBoundText(forms.CharField):
    """Text the services bound (``services.TEXT_MAX_LENGTH``) where the model does not."""

    def __init__(self, *, max_length=None, **kwargs):
        super().__init__(max_length=max_length or services.TEXT_MAX_LENGTH, **kwargs)


def _checkboxes():
    return forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PolicyForm(forms.ModelForm):
    """A policy's details and who takes part, for ``register_policy`` / ``update_policy``.

    The fields, their labels and bounds are the model's; the form never saves
    (``Policy.save`` refuses outside a service): the view hands
    ``service_values`` to the service.
    """

    backfill = forms.BooleanField(
        label=_("I am recording dates that have already passed (back-filling history)"),
        required=False,
        help_text=_("Only then may a due date lie in the past."),
    )

    class Meta:
        model = Policy
        fields = [*services.DETAIL_FIELDS, *services.ASSIGNMENT_FIELDS]
        field_classes = {
            "summary": ServiceBoundText,
            "lead_ministry": OrganizationChoiceField,
            "required_supporters": OrganizationsChoiceField,
            "drafters": ExpertsChoiceField,
            "reviewers": ExpertsChoiceField,
        }
        widgets = {
            "title": forms.TextInput(attrs={"dir": "auto"}),
            "short_title": forms.TextInput(attrs={"dir": "auto"}),
            "summary": forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
            **{name: _checkboxes() for name in services.ASSIGNMENT_FIELDS},
            "review_due": _date_input(),
            "support_due": _date_input(),
        }
        help_texts = {
            "title": _("The full title, as the document names it."),
            "short_title": _("A short name used in lists and reports; no two policies share one."),
            "lead_ministry": _("The ministry of the policy's country that endorses it."),
            "required_supporters": _(
                "National institutions of the policy's country whose support it needs."
            ),
            "reviewers": _("A reviewer never reviews a version they uploaded."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        coordinated = permissions.coordinated_implementers(user)
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
            Organization.objects.filter(kind__in=Organization.SUPPORTING_KINDS)
            .only("pk", "name", "country")
            .order_by("country", "name")
        )
        fields["drafters"].queryset = _experts(user, Role.DRAFTER)
        fields["reviewers"].queryset = _experts(user, Role.REVIEWER)

    def validate_unique(self):
        """Left to the services: they compare short titles as they read (case,
        invisible characters, look-alike letters), not only as typed, and say so."""

    def service_values(self):
        """The cleaned input as keyword arguments of the services."""
        data = dict(self.cleaned_data)
        data.pop("revision", None)
        for name in services.ASSIGNMENT_FIELDS:
            if name in data:
                data[name] = list(data[name])
        return data


class PolicyEditForm(PolicyForm):
    """The same form for an existing policy, carrying the revision it was loaded at."""

    revision = StoredNumberField(smallest=0)

    def __init__(self, *args, policy, **kwargs):
        # Validation fills the form's instance with what was posted: a copy,
        # so that the page around a refused form names the policy as stored.
        kwargs.setdefault("instance", copy.copy(policy))
        kwargs.setdefault("initial", {"revision": policy.revision})
        super().__init__(*args, **kwargs)
        if policy.state in services.SUPPORTERS_FROZEN_IN:
            # The service would refuse a change to these now: say why up front.
            for name in ("lead_ministry", "required_supporters"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Fixed while support is collected or the policy awaits endorsement; "
                    "return it to drafting to change this."
                )
