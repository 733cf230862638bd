"""What a user's dashboard shows: what waits on them, the pipeline, recent activity.

Every reading here is a fixed number of set-based queries, whatever the
size of the portfolio: the dashboard is the page everyone opens first.
What waits on whom, by when, and what to do about it is
``workflow.obligations``' and ``workflow.selectors.owed_by``'s to say.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils import timezone

from policyflow.formats.countries import by_name, country_name
from web.selectors.policy_list import SUMMARY_FIELDS
from workflow import obligations, permissions, selectors
from workflow.models import AuditEntry, Membership, Policy

Role = Membership.Role
State = Policy.State

# The pipeline board's columns: every state, in the order the workflow runs.
PIPELINE = tuple(State)


@dataclass
class WorkItem:
    """One thing the user is expected to do on one policy."""

    policy: Policy
    task: str
    due: datetime.date | None = None

    @property
    def overdue(self):
        return self.due is not None and self.due < timezone.localdate()


@dataclass
class PipelineColumn:
    state: str
    label: str
    total: int = 0
    countries: list = field(default_factory=list)  # (code, name, count)


def _policies(policies):
    return policies.select_related("lead_ministry").only(*SUMMARY_FIELDS)


def _items(owed):
    return [WorkItem(o.policy, o.task, o.due) for o in owed]


def reviews_to_do(user):
    """Expert reviews of the current version by this reviewer: to give, or, once
    given, to clear (``Policy.objects.awaiting_review_by``)."""
    return _items(selectors.reviews_owed_by(user, _policies))


def supports_to_record(user):
    """One item per required institution the user speaks for that has not decided yet."""
    return _items(selectors.supports_owed_by(user, _policies))


def endorsements_to_decide(user):
    """Policies awaiting the endorsement of a ministry the user endorses for."""
    return _items(selectors.endorsements_owed_by(user, _policies))


def drafts_to_prepare(user):
    """Policies in drafting that the user drafts: a version to upload or submit."""
    return _items(selectors.drafts_owed_by(user, _policies))


def declines_to_resolve(user):
    """For coordinators: policies an institution declined, waiting on them to act."""
    return _items(selectors.declines_owed_by(user, _policies))


def roles_held(user):
    """The roles ``user`` holds anywhere: which steps could wait on them."""
    return obligations.roles_held(user)


def may_owe_work(user, roles=None):
    """Whether anything could ever wait on ``user``: an observer only follows.

    Every step is owed through a membership (an expert's, an institution's,
    a ministry's, a coordinator's); someone whose only memberships observe,
    or who has none, is never asked, so their dashboard has no such list.
    ``roles``: the roles ``user`` holds (``obligations.roles_held``), if read already.
    """
    if roles is not None:
        return bool(set(roles) - {Role.OBSERVER})
    return Membership.objects.filter(user=user).exclude(role=Role.OBSERVER).exists()


def waiting_on(user, roles=None):
    """Everything that waits on ``user``, soonest due first (no due date last);
    given the ``roles`` ``user`` holds, only the steps they can owe are read."""
    return _items(selectors.owed_by(user, _policies, roles))


# How many of the things waiting on someone the dashboard lists, soonest due first.
WAITING_ROWS = 50


def first_waiting_on(user, roles=None, limit=None):
    """The first ``limit`` (``WAITING_ROWS``) of ``waiting_on``, and how many there are
    in all (``selectors.FirstOwed``): a coordinator of a large portfolio may
    have hundreds, read and shown a page at a time."""
    first = selectors.first_owed_by(user, limit or WAITING_ROWS, _policies, roles)
    return selectors.FirstOwed(_items(first.items), first.total)


def visible_ids(user, roles=None):
    """The visible policies as a subquery, or None when the user sees them all.
    ``roles``: the roles ``user`` holds, if read already."""
    if user.is_superuser or permissions.sees_every_policy(user, roles):
        return None
    return Policy.objects.visible_to(user).values("pk")


def pipeline(user, visible=None):
    """Visible policies counted by state, and within each state by country."""
    if visible is None:
        policies = Policy.objects.all()
    elif isinstance(visible, QuerySet) and visible.model is Policy:
        # Counted on the visible policies' own filter: as ``pk__in`` it
        # would read the policies twice and join them, costly on a large portfolio.
        policies = visible
    else:
        policies = Policy.objects.filter(pk__in=visible)
    counts = policies.order_by().values_list("state", "country").annotate(n=Count("pk"))
    columns = {state: PipelineColumn(state.value, state.label) for state in PIPELINE}
    for state, country, n in counts:
        column = columns[state]
        column.total += n
        column.countries.append((country, country_name(country), n))
    for column in columns.values():
        column.countries.sort(key=lambda c: by_name(c[1]))
    return list(columns.values())


def recent_activity(user, visible=None, limit=12):
    """The latest audit entries of visible policies, newest first."""
    entries = AuditEntry.objects.select_related("actor", "policy", "version").only(
        "at",
        "action",
        "from_state",
        "to_state",
        "comment",
        "details",
        "actor__username",
        "actor__first_name",
        "actor__last_name",
        "policy__short_title",
        "policy__title",
        "version__number",
    )
    if visible is not None:
        entries = entries.filter(policy__in=visible)
    return list(entries.order_by("-at", "-pk")[:limit])
