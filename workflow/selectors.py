"""Reads that pages and reports share: where a policy stands and what it waits for."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow.models import AuditEntry, Policy
from workflow.rules import display_name

State = Policy.State


def latest_audit_entry(outer="pk"):
    """The latest audit entry of the policy that ``outer`` names, for a subquery."""
    return AuditEntry.objects.filter(policy=OuterRef(outer)).order_by("-at", "-pk")


def entered_current_state(outer="pk"):
    """The audit entries that moved the policy ``outer`` names into the state it
    is in now, newest first, for a subquery."""
    return (
        AuditEntry.objects.filter(policy=OuterRef(outer), to_state=OuterRef("state"))
        .exclude(from_state=F("to_state"))
        .order_by("-at", "-pk")
    )


@dataclass(frozen=True)
class CurrentStep:
    """The step a policy waits on: since when, and by when it is due."""

    since: datetime.datetime | None
    due: datetime.date | None

    @property
    def days_waiting(self):
        if self.since is None:
            return None
        return (timezone.localdate() - timezone.localdate(self.since)).days

    @property
    def overdue(self):
        return self.due is not None and self.due < timezone.localdate()


def current_step(policy, since):
    """The step ``policy`` waits on, given when it entered its state (``since``).

    A review and a support decision are due on the policy's dates; an
    endorsement ``ENDORSEMENT_REMINDER_AFTER_DAYS`` after support was complete,
    when the ministry is reminded; drafting has no due date. None once the
    policy rests (endorsed, withdrawn).
    """
    if policy.state in (State.ENDORSED, State.WITHDRAWN):
        return None
    due = {
        State.EXPERT_REVIEW: policy.review_due,
        State.INSTITUTIONAL_SUPPORT: policy.support_due,
    }.get(policy.state)
    if policy.state == State.AWAITING_ENDORSEMENT and since is not None:
        waited = datetime.timedelta(days=settings.ENDORSEMENT_REMINDER_AFTER_DAYS)
        due = timezone.localdate(since) + waited
    return CurrentStep(since=since, due=due)


def last_step(policy):
    """The policy's latest audit entry, or None."""
    return policy.audit_entries.select_related("actor").order_by("-at", "-pk").first()


UNREAD = object()


def waiting_for(policy, number=UNREAD, supports=UNREAD):
    """Who or what the policy waits on now, as one sentence.

    Pages and reports that list many policies pass what they have read in
    bulk: ``number``, the current version's number (None before the first
    upload), and ``supports``, the supports given on it, each with its
    organisation. Left out, they are read here. The policy's drafters,
    reviewers and required supporters may be prefetched.
    """
    if number is UNREAD:
        version = policy.current_version
        number = version.number if version else None
        if supports is UNREAD:
            supports = version.supports.select_related("organization") if version else []
    if policy.state == State.DRAFTING:
        drafters = ", ".join(display_name(u) for u in policy.drafters.all()) or _("the drafters")
        if number is None:
            return _("A first draft from %(drafters)s.") % {"drafters": drafters}
        return _("A revised draft or submission for review from %(drafters)s.") % {
            "drafters": drafters
        }
    if policy.state == State.EXPERT_REVIEW:
        reviewers = ", ".join(display_name(u) for u in policy.reviewers.all())
        return _("Expert review of version %(number)s by %(reviewers)s.") % {
            "number": number,
            "reviewers": reviewers or _("an assigned reviewer"),
        }
    if policy.state == State.INSTITUTIONAL_SUPPORT:
        decided = {s.organization_id: s for s in supports}
        declined = [s.organization.name for s in decided.values() if s.decision == "declined"]
        if declined:
            return _("The coordinator: %(institutions)s declined version %(number)s.") % {
                "institutions": ", ".join(declined),
                "number": number,
            }
        missing = [o.name for o in policy.required_supporters.all() if o.pk not in decided]
        return _("Support for version %(number)s from %(institutions)s.") % {
            "number": number,
            "institutions": ", ".join(missing),
        }
    if policy.state == State.AWAITING_ENDORSEMENT:
        return _("Endorsement of version %(number)s by %(ministry)s.") % {
            "number": number,
            "ministry": policy.lead_ministry.name,
        }
    return _("Nothing: the policy is %(state)s.") % {"state": policy.get_state_display().lower()}


def action_label(entry):
    return AuditEntry.Action(entry.action).label if entry else ""
