"""The policy list: the visible policies, filtered, one page at a time."""

from dataclasses import dataclass

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q, Subquery
from django_countries import countries

from policyflow.formats.countries import by_name, country_name
from workflow import selectors
from workflow.models import Policy, newest_version

PAGE_SIZE = 50
# What a row about a policy shows: the list's, the dashboard's.
SUMMARY_FIELDS = (
    "pk",
    "title",
    "short_title",
    "country",
    "state",
    "review_due",
    "support_due",
    "updated_at",
    "lead_ministry__name",
    "lead_ministry__short_name",
)


class FilterForm(forms.Form):
    """The list's query string, checked: a value that is not one the list offers
    (too long, a NUL character, an unknown state or country) is dropped."""

    q = forms.CharField(max_length=100, required=False)
    state = forms.ChoiceField(choices=Policy.State.choices, required=False)
    country = forms.CharField(max_length=2, required=False)

    def clean_country(self):
        code = self.cleaned_data["country"].upper()
        return code if code in countries else ""


@dataclass
class Filters:
    """What the list is narrowed to; empty values mean "any"."""

    q: str = ""
    state: str = ""
    country: str = ""

    @classmethod
    def from_query(cls, query):
        """The filters of a query string; each invalid value counts as "any", never as an error."""
        form = FilterForm(query)
        form.is_valid()
        return cls(**{name: form.cleaned_data.get(name, "") for name in ("q", "state", "country")})

    def apply(self, policies):
        if self.q:
            policies = policies.filter(
                Q(title__icontains=self.q) | Q(short_title__icontains=self.q)
            )
        if self.state:
            policies = policies.filter(state=self.state)
        if self.country:
            policies = policies.filter(country=self.country)
        return policies


def policy_page(user, filters, page_number):
    """One page of the visible policies matching ``filters``, with their current
    version and the step each waits on (``step``: since when, due when)."""
    policies = (
        filters.apply(Policy.objects.visible_to(user))
        .select_related("lead_ministry")
        .only(*SUMMARY_FIELDS)
        .annotate(
            current_number=Subquery(newest_version().values("number")[:1]),
            entered_state_at=Subquery(selectors.entered_current_state().values("at")[:1]),
        )
        .order_by("country", "short_title")
    )
    page = Paginator(policies, PAGE_SIZE).get_page(page_number)
    page.object_list = list(page.object_list)
    for policy in page.object_list:
        policy.step = selectors.current_step(policy, policy.entered_state_at)
    return page


def country_choices(user):
    """The countries of the visible policies, by name, for the filter."""
    codes = Policy.objects.visible_to(user).order_by().values_list("country", flat=True).distinct()
    return sorted(((code, country_name(code)) for code in codes), key=lambda c: by_name(c[1]))
