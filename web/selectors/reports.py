"""Reads behind the report pages: the portfolio status and the policy export.

The portfolio page shows exactly what the .docx report prints: both come
from ``documents.services.records.portfolio_entries``. Each read here runs
a fixed number of queries, however many policies there are.
"""

from dataclasses import dataclass

from django.db.models import Subquery

from documents.selectors import by_country
from documents.services.records import portfolio_entries, portfolio_state_counts
from workflow.models import Policy, newest_version
from workflow.selectors import latest_audit_entry


@dataclass(frozen=True)
class CountryGroup:
    name: str  # the country's name; "" for policies without one
    entries: list


@dataclass(frozen=True)
class Portfolio:
    state_counts: list  # [(PolicyState, count)] in workflow order
    countries: list  # [CountryGroup], in the order the .docx report uses
    total: int


def portfolio(user):
    """The visible policies by country, as the portfolio report groups and orders them."""
    entries = portfolio_entries(user)
    groups = by_country(entries)
    return Portfolio(
        state_counts=portfolio_state_counts(entries),
        countries=[CountryGroup(name, grouped) for name, grouped in groups],
        total=len(entries),
    )


EXPORT_FIELDS = (
    "short_title",
    "title",
    "country",
    "lead_ministry__name",
    "state",
    "current_version_number",
    "created_at",
    "review_due",
    "support_due",
    "last_change_at",
    "endorsement__endorsed_on",
    "endorsement__instrument",
)


def policy_export(user):
    """One tuple of ``EXPORT_FIELDS`` per visible policy, read in a single streamed query.

    Values are stored values (country code, state value); the page turns
    them into what a reader expects.
    """
    latest = latest_audit_entry()
    current = newest_version()
    return (
        Policy.objects.visible_to(user)
        .annotate(
            current_version_number=Subquery(current.values("number")[:1]),
            last_change_at=Subquery(latest.values("at")[:1]),
        )
        .values_list(*EXPORT_FIELDS)
        .iterator(chunk_size=500)
    )
