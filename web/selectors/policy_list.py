"""The policy list: the visible policies, filtered, one page at a time."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Q, Subquery
from django_countries import countries

from documents.selectors import newest_version
from workflow.models import Policy

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


@dataclass
class Filters:
    """What the list is narrowed to; empty values mean "any"."""

    q: str = ""
    state: str = ""
    country: str = ""

    @classmethod
    def from_query(cls, query):
        state = query.get("state", "")
        return cls(
            q=query.get("q", "").strip()[:100],
            state=state if state in Policy.State.values else "",
            country=query.get("country", "").strip().upper()[:2],
        )

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
    """One page of the visible policies matching ``filters``, with their current version."""
    policies = (
        filters.apply(Policy.objects.visible_to(user))
        .select_related("lead_ministry")
        .only(*SUMMARY_FIELDS)
        .annotate(current_number=Subquery(newest_version().values("number")[:1]))
        .order_by("country", "short_title")
    )
    return Paginator(policies, PAGE_SIZE).get_page(page_number)


def country_choices(user):
    """The countries of the visible policies, by name, for the filter."""
    codes = Policy.objects.visible_to(user).order_by().values_list("country", flat=True).distinct()
    return sorted(((code, countries.name(code) or code) for code in codes), key=lambda c: c[1])
