"""Reads that pages and reports share: where a policy stands and what it waits for."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Subquery, Window
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow import obligations
from workflow.models import AuditEntry, Policy, Support, newest_version
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
    if policy.state == State.AWAITING_ENDORSEMENT:
        due = obligations.endorsement_due(since)
    return CurrentStep(since=since, due=due)


UNREAD = object()


@dataclass(frozen=True)
class Owing:
    """Who a policy's current step waits on, by name: the people or
    institutions ``workflow.obligations`` says owe it."""

    drafters: tuple = ()
    reviewers: tuple = ()
    institutions: tuple = ()


def parties_owing(policies):
    """``{policy pk: Owing}`` for ``policies``, in at most three queries however
    many they are: one for each kind of step whose sentence names its parties."""
    in_state = defaultdict(list)
    for policy in policies:
        in_state[policy.state].append(policy.pk)
    named = defaultdict(lambda: defaultdict(list))
    if in_state[State.DRAFTING]:
        rows = obligations.drafts_owed().filter(policy__in=in_state[State.DRAFTING])
        for row in rows.select_related("user").order_by("user"):
            named[row.policy_id]["drafters"].append(display_name(row.user))
    if in_state[State.EXPERT_REVIEW]:
        rows = obligations.reviews_owed().filter(policy__in=in_state[State.EXPERT_REVIEW])
        for row in rows.select_related("user").order_by("user"):
            named[row.policy_id]["reviewers"].append(display_name(row.user))
    if in_state[State.INSTITUTIONAL_SUPPORT]:
        rows = obligations.supports_owed().filter(policy__in=in_state[State.INSTITUTIONAL_SUPPORT])
        for row in rows.select_related("organization").order_by("organization__name"):
            named[row.policy_id]["institutions"].append(row.organization.name)
    return {
        policy.pk: Owing(**{kind: tuple(names) for kind, names in named[policy.pk].items()})
        for policy in policies
    }


def waiting_for(policy, number=UNREAD, supports=UNREAD, owing=UNREAD):
    """Who or what the policy waits on now, as one sentence.

    Pages and reports that list many policies pass what they have read in
    bulk: ``number``, the current version's number (None before the first
    upload), ``supports``, the supports given on it, each with its
    organisation, and ``owing``, the policy's ``Owing`` from
    ``parties_owing``. Left out, they are read here.
    """
    if number is UNREAD:
        version = policy.current_version
        number = version.number if version else None
        if supports is UNREAD:
            supports = version.supports.select_related("organization") if version else []
    if owing is UNREAD:
        owing = parties_owing([policy])[policy.pk]
    if policy.state == State.DRAFTING:
        drafters = ", ".join(owing.drafters) or _("the drafters")
        if number is None:
            return _("A first draft from %(drafters)s.") % {"drafters": drafters}
        return _("A revised draft or submission for review from %(drafters)s.") % {
            "drafters": drafters
        }
    if policy.state == State.EXPERT_REVIEW:
        reviewers = ", ".join(owing.reviewers)
        return _("Expert review of version %(number)s by %(reviewers)s.") % {
            "number": number,
            "reviewers": reviewers or _("an assigned reviewer"),
        }
    if policy.state == State.INSTITUTIONAL_SUPPORT:
        declined = [
            s.organization.name for s in supports if s.decision == Support.Decision.DECLINED
        ]
        if declined:
            return _("The coordinator: %(institutions)s declined version %(number)s.") % {
                "institutions": ", ".join(declined),
                "number": number,
            }
        return _("Support for version %(number)s from %(institutions)s.") % {
            "number": number,
            "institutions": ", ".join(owing.institutions),
        }
    if policy.state == State.AWAITING_ENDORSEMENT:
        return _("Endorsement of version %(number)s by %(ministry)s.") % {
            "number": number,
            "ministry": policy.lead_ministry.name,
        }
    return _("Nothing: the policy is %(state)s.") % {"state": policy.get_state_display().lower()}


# -- what a person owes, with its due date ---------------------------------------------


class Step:
    """The steps a person may owe (``Owed.step``), as stable names."""

    DRAFT = "draft"
    REVIEW = "review"
    SUPPORT = "support"
    ENDORSEMENT = "endorsement"
    DECLINE = "decline"


@dataclass(frozen=True)
class Owed:
    """One step a person owes on one policy, and when it is due.

    ``workflow.obligations`` says who owes what; this adds the due date each
    step has, so that every door that lists them (the dashboard, the
    calendar feed) shows the same dates.
    """

    step: str
    policy: Policy
    due: datetime.date | None
    # The current version's number; None before the first upload.
    number: int | None = None
    # A support: the institution whose decision is owed.
    organization: object = None
    # A review: already given, so clearing it (or asking for a revision) waits.
    review_given: bool = False

    @property
    def overdue(self):
        return self.due is not None and self.due < timezone.localdate()

    @property
    def task(self):
        """What the person is to do, in a sentence of the active language."""
        number = {"number": self.number}
        if self.step == Step.REVIEW:
            if self.review_given:
                return _("Clear the review of version %(number)s, or request a revision.") % number
            return _("Review version %(number)s.") % number
        if self.step == Step.SUPPORT:
            return _("Record the decision of %(organization)s on version %(number)s.") % {
                "organization": self.organization.name,
                **number,
            }
        if self.step == Step.ENDORSEMENT:
            return _("Endorse version %(number)s, or return it for revision.") % number
        if self.step == Step.DRAFT:
            if self.number is None:
                return _("Upload the first draft.")
            return _("Submit the draft for review, or upload a revised version.")
        return _("An institution declined: return the policy to drafting or follow it up.")


def _as_is(policies):
    return policies


def _current_number(outer="pk"):
    return Subquery(newest_version(outer).values("number")[:1])


def _soonest(field, *then):
    """Ordered by ``field`` (a due date or what it follows from), none last, then ``then``."""
    return (F(field).asc(nulls_last=True), *then)


# Each step's reader: the rows owed, in the order of their due dates, and
# how a row reads as an ``Owed``. ``prepare`` narrows the policies read
# (the fields a page shows).


def _reviews(user, prepare):
    policies = (
        prepare(Policy.objects.awaiting_review_by(user))
        .annotate(current_number=_current_number())
        .order_by(*_soonest("review_due", "short_title"))
    )
    return policies, lambda policy: Owed(
        Step.REVIEW,
        policy,
        policy.review_due,
        number=policy.current_number,
        review_given=policy.review_given,
    )


def _supports(user, prepare):
    pairs = (
        obligations.supports_owed_by(user)
        .annotate(current_number=_current_number("policy"))
        .select_related("organization", "policy__lead_ministry")
        .order_by(*_soonest("policy__support_due", "policy__short_title", "organization__name"))
    )
    return pairs, lambda pair: Owed(
        Step.SUPPORT,
        pair.policy,
        pair.policy.support_due,
        number=pair.current_number,
        organization=pair.organization,
    )


def _endorsements(user, prepare):
    policies = (
        prepare(Policy.objects.awaiting_endorsement_by(user))
        .annotate(current_number=_current_number())
        .order_by(*_soonest("support_completed_at", "short_title"))
    )
    return policies, lambda policy: Owed(
        Step.ENDORSEMENT,
        policy,
        obligations.endorsement_due(policy.support_completed_at),
        number=policy.current_number,
    )


def _drafts(user, prepare):
    policies = (
        prepare(Policy.objects.awaiting_draft_by(user))
        .annotate(current_number=_current_number())
        .order_by(*_soonest("review_due", "short_title"))
    )
    return policies, lambda policy: Owed(
        Step.DRAFT, policy, policy.review_due, number=policy.current_number
    )


def _declines(user, prepare):
    policies = prepare(Policy.objects.awaiting_decline_resolution_by(user)).order_by(
        *_soonest("support_due", "short_title")
    )
    return policies, lambda policy: Owed(Step.DECLINE, policy, policy.support_due)


def _all(reader, user, prepare):
    rows, owed = reader(user, prepare)
    return [owed(row) for row in rows]


def reviews_owed_by(user, prepare=_as_is):
    """Expert reviews of the current version: to give, or, once given, to clear;
    due on the policy's review date. ``prepare`` narrows the policies read
    (the fields a page shows), here and below."""
    return _all(_reviews, user, prepare)


def supports_owed_by(user, prepare=_as_is):
    """One per required institution ``user`` speaks for that has not decided on
    the current version; due on the policy's support date."""
    return _all(_supports, user, prepare)


def endorsements_owed_by(user, prepare=_as_is):
    """Endorsements a ministry ``user`` endorses for owes, due
    ``obligations.endorsement_due`` after support was complete."""
    return _all(_endorsements, user, prepare)


def drafts_owed_by(user, prepare=_as_is):
    """Policies in drafting that ``user`` drafts: a first version to upload, or
    one to submit; due by the review date, since the review needs it."""
    return _all(_drafts, user, prepare)


def declines_owed_by(user, prepare=_as_is):
    """For coordinators: a decline to resolve, due by the support date."""
    return _all(_declines, user, prepare)


# The steps, in the order owed items of the same due date are listed.
READERS = (
    (Step.ENDORSEMENT, _endorsements),
    (Step.SUPPORT, _supports),
    (Step.REVIEW, _reviews),
    (Step.DRAFT, _drafts),
    (Step.DECLINE, _declines),
)


def _by_due(items):
    return sorted(items, key=lambda i: (i.due is None, i.due or datetime.date.max))


def _readers(roles):
    """The readers of the steps ``roles`` can be owed through (every step when None)."""
    return [
        reader
        for step, reader in READERS
        if roles is None or not obligations.STEP_ROLES[step].isdisjoint(roles)
    ]


def owed_by(user, prepare=_as_is, roles=None):
    """Everything that waits on ``user``, soonest due first (no due date last),
    in five queries whatever the size of the portfolio.

    ``roles``, the roles ``user`` holds (``obligations.roles_held``), if the
    caller has read them: a step none of them can be owed through
    (``obligations.STEP_ROLES``) is then not asked for at all.
    """
    items = []
    for reader in _readers(roles):
        items += _all(reader, user, prepare)
    return _by_due(items)


@dataclass(frozen=True)
class FirstOwed:
    """The ``limit`` soonest due of what waits on someone, and how many wait in all."""

    items: list
    total: int


def first_owed_by(user, limit, prepare=_as_is, roles=None):
    """``owed_by``'s first ``limit`` items, and the count of them all, in as
    many queries: each step reads at most ``limit`` rows, soonest due first,
    each carrying the step's count. A page listing the first few reads a
    few, however much waits on a coordinator of a large portfolio."""
    items, total = [], 0
    for reader in _readers(roles):
        rows, owed = reader(user, prepare)
        rows = list(rows.annotate(owed_total=Window(Count("pk")))[:limit])
        items += [owed(row) for row in rows]
        total += rows[0].owed_total if rows else 0
    return FirstOwed(_by_due(items)[:limit], total)
