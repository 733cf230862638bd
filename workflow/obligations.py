"""Who owes the next step on a policy: one definition per obligation.

Five steps wait on someone: drafting, reviewing, an institution's support,
the endorsement, and resolving a decline. Each is defined here once, as a
queryset, and everything that asks "whose turn is it?" derives from it:
the dashboard's "Waiting on you" list (``Policy.objects.awaiting_*_by``),
the reminders (the reverse: who owes a step on a policy),
the "waiting for" sentence, and the permissions that say it is someone's
turn (the same rule without the state, which the state machine checks).

A step is owed either by a person (an assigned drafter or reviewer: the
rows of the assignment tables, ``(policy, user)``) or by an organisation,
through those of its members who hold a role that speaks for it (a
required institution's decision, ``(policy, organization)`` rows; the lead
ministry's endorsement; the implementer's coordinators, for a decline).
Both directions read the same rows, so the user → policies query and the
policy → users query cannot disagree.

Every query here is set-based: a fixed number of SQL queries whatever the
size of the portfolio.
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from workflow.models.organizations import Membership

Role = Membership.Role

# Roles through which a member records an institution's decision.
SUPPORTER_ROLES = (Role.INSTITUTION_MEMBER, Role.MINISTRY_ENDORSER)
ENDORSER_ROLES = (Role.MINISTRY_ENDORSER,)
COORDINATOR_ROLES = (Role.COORDINATOR,)


def _model(name):
    # This module is imported while the workflow models are being defined.
    return apps.get_model("workflow", name)


def _policy_model():
    return _model("Policy")


def _state():
    return _policy_model().State


def _current_version(outer="pk"):
    """``workflow.models.newest_version``: the current version of the policy
    ``outer`` names, for a subquery."""
    # The versions module imports the policy, which imports this one.
    from workflow.models.versions import newest_version

    return newest_version(outer)


def _active(user):
    return user is not None and user.is_authenticated and user.is_active


def speaks_for(user, roles):
    """The organisations in which ``user`` holds one of ``roles``, as a subquery."""
    return Membership.objects.filter(user=user, role__in=roles).values("organization")


def roles_held(user):
    """The roles ``user`` holds in any organisation, as a set (one query).

    Every step is owed through one of them (``STEP_ROLES``): who holds none
    of a step's roles owes none of it, so that step need not be asked for.
    """
    if user is None or not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user).order_by().values_list("role", flat=True))


# The roles through which each obligation below can be owed: a drafter's and a
# reviewer's assignment need the role with the implementer, a support a
# supporter's role in the institution, an endorsement the ministry's endorser,
# a decline the implementer's coordinator.
STEP_ROLES = {
    "draft": frozenset((Role.DRAFTER,)),
    "review": frozenset((Role.REVIEWER,)),
    "support": frozenset(SUPPORTER_ROLES),
    "endorsement": frozenset(ENDORSER_ROLES),
    "decline": frozenset(COORDINATOR_ROLES),
}


def _members(organizations, roles):
    """The active users who hold one of ``roles`` in one of ``organizations`` (a subquery)."""
    speakers = Membership.objects.filter(organization__in=organizations, role__in=roles)
    return get_user_model().objects.filter(is_active=True, pk__in=speakers.values("user"))


# -- the parties, whatever the state ----------------------------------------------
# Who drafts, reviews, supports or endorses a policy at all. The permissions
# read these; the obligations below add the state and what is still missing.


def _holds_with_implementer(role):
    """The assignment row's user still holds ``role`` with the policy's implementer."""
    return Exists(
        Membership.objects.filter(
            user=OuterRef("user"), role=role, organization=OuterRef("policy__project__implementer")
        )
    )


def drafter_assignments():
    """``(policy, user)`` rows: an active drafter still with the project's implementer."""
    rows = _policy_model().drafters.through.objects
    return rows.filter(user__is_active=True).filter(_holds_with_implementer(Role.DRAFTER))


def reviewer_assignments():
    """``(policy, user)`` rows: an active reviewer still with the project's implementer."""
    rows = _policy_model().reviewers.through.objects
    return rows.filter(user__is_active=True).filter(_holds_with_implementer(Role.REVIEWER))


def current_reviewers():
    """Reviewer assignments of those who may review the current version: not
    its uploader (four-eyes rule). Before the first upload, every one."""
    return (
        reviewer_assignments()
        .annotate(current_uploader=Subquery(_current_version("policy").values("uploaded_by")[:1]))
        .filter(Q(current_uploader__isnull=True) | ~Q(current_uploader=F("user")))
    )


# -- the obligations --------------------------------------------------------------


def drafts_owed():
    """``(policy, user)``: a drafter owes a draft (the first, or a revised one
    to submit) while the policy is in drafting."""
    return drafter_assignments().filter(policy__state=_state().DRAFTING)


def reviews_owed():
    """``(policy, user)``: a reviewer's part of the expert review of the current version.

    ``review_given`` says whether they have reviewed it: before, they owe
    the review (and are reminded of it); after, the review waits on them
    to clear it or ask for a revision, until it leaves expert review.
    """
    given = _model("Review").objects.filter(
        reviewer=OuterRef("user"),
        version=Subquery(_current_version(OuterRef("policy")).values("pk")[:1]),
    )
    return (
        current_reviewers()
        .filter(policy__state=_state().EXPERT_REVIEW)
        .annotate(review_given=Exists(given))
    )


def required_supporters_spoken_for_by(user):
    """``(policy, organization)`` rows of the required institutions in which
    ``user`` may record a decision, whatever the state."""
    required = _policy_model().required_supporters.through.objects
    if not _active(user):
        return required.none()
    return required.filter(organization__in=speaks_for(user, SUPPORTER_ROLES))


def supports_owed(required=None):
    """``(policy, organization)``: a required institution that has not decided on
    the current version, while the policy collects support (of the ``required``
    rows, all by default). Its members with a role in ``SUPPORTER_ROLES`` may
    record the decision."""
    decided = _model("Support").objects.filter(
        policy=OuterRef("policy"),
        organization=OuterRef("organization"),
        version=Subquery(_current_version("policy").values("pk")[:1]),
    )
    if required is None:
        required = _policy_model().required_supporters.through.objects.all()
    return required.filter(policy__state=_state().INSTITUTIONAL_SUPPORT).exclude(Exists(decided))


def supports_owed_by(user):
    """The ``(policy, organization)`` rows of ``supports_owed`` that ``user`` speaks for."""
    return supports_owed(required_supporters_spoken_for_by(user))


def endorsements_owed(policies=None):
    """Policies (of ``policies``, all by default) whose lead ministry owes the
    endorsement (its endorsers decide), each with ``support_completed_at``:
    when the last required support came in."""
    AuditEntry = _model("AuditEntry")
    completed = AuditEntry.objects.filter(
        policy=OuterRef("pk"), action=AuditEntry.Action.COMPLETE_SUPPORT
    ).order_by("-at")
    policies = _policy_model().objects.all() if policies is None else policies
    return policies.filter(state=_state().AWAITING_ENDORSEMENT).annotate(
        support_completed_at=Subquery(completed.values("at")[:1])
    )


def endorsement_due(support_completed_at):
    """When an endorsement is due (and its ministry reminded): ``ENDORSEMENT_REMINDER_AFTER_DAYS``
    after support was complete; None if that moment is unknown."""
    if support_completed_at is None:
        return None
    waited = datetime.timedelta(days=settings.ENDORSEMENT_REMINDER_AFTER_DAYS)
    return timezone.localdate(support_completed_at) + waited


def declines_owed(policies=None):
    """Policies (of ``policies``, all by default) whose implementer's coordinators
    owe a decision on a decline: an institution declined the current version
    while support is collected."""
    Support = _model("Support")
    declined = Support.objects.filter(
        policy=OuterRef("pk"),
        version=Subquery(_current_version("policy").values("pk")[:1]),
        decision=Support.Decision.DECLINED,
    )
    policies = _policy_model().objects.all() if policies is None else policies
    return policies.filter(state=_state().INSTITUTIONAL_SUPPORT).filter(Exists(declined))


# -- the reverse: who owes a step on a policy -----------------------------------------


def owing_draft(policy):
    return get_user_model().objects.filter(
        pk__in=drafts_owed().filter(policy=policy).values("user")
    )


def owing_review(policy):
    """The reviewers who have not given their review of the current version yet."""
    rows = reviews_owed().filter(policy=policy, review_given=False)
    return get_user_model().objects.filter(pk__in=rows.values("user"))


def owing_support(policy, organization):
    """The people who may record ``organization``'s decision, while it is owed."""
    rows = supports_owed().filter(policy=policy, organization=organization)
    return _members(rows.values("organization"), SUPPORTER_ROLES)


def owing_supports(policy):
    """The people who may record the decision of a required institution that owes one."""
    rows = supports_owed().filter(policy=policy)
    return _members(rows.values("organization"), SUPPORTER_ROLES)


def owing_endorsement(policy):
    rows = endorsements_owed().filter(pk=policy.pk)
    return _members(rows.values("lead_ministry"), ENDORSER_ROLES)


def owing_decline_resolution(policy):
    rows = declines_owed().filter(pk=policy.pk)
    return _members(rows.values("project__implementer"), COORDINATOR_ROLES)


# -- Policy.objects ---------------------------------------------------------------


class ObligationsQuerySet(models.QuerySet):
    """The policies that wait on a user, obligation by obligation; and, without
    the state, the policies on which it is theirs to act (for the permissions)."""

    def _with_row(self, rows, **match):
        return self.filter(Exists(rows.filter(policy=OuterRef("pk"), **match)))

    # Whatever the state.

    def drafted_by(self, user):
        """Policies ``user`` drafts: assigned, active and still a drafter with the implementer."""
        if not _active(user):
            return self.none()
        return self._with_row(drafter_assignments(), user=user)

    def reviewed_by(self, user):
        """Policies ``user`` reviews: assigned, active and still a reviewer with the implementer."""
        if not _active(user):
            return self.none()
        return self._with_row(reviewer_assignments(), user=user)

    def reviewable_by(self, user):
        """Policies whose current version ``user`` may review: a reviewer who did not upload it."""
        if not _active(user):
            return self.none()
        return self._with_row(current_reviewers(), user=user)

    def endorsable_by(self, user):
        """Policies whose lead ministry ``user`` endorses for."""
        if not _active(user):
            return self.none()
        return self.filter(lead_ministry__in=speaks_for(user, ENDORSER_ROLES))

    def coordinated_by(self, user):
        """Policies of the projects whose implementer ``user`` coordinates for."""
        if not _active(user):
            return self.none()
        return self.filter(project__implementer__in=speaks_for(user, COORDINATOR_ROLES))

    # What waits on the user now.

    def awaiting_draft_by(self, user):
        if not _active(user):
            return self.none()
        return self._with_row(drafts_owed(), user=user)

    def awaiting_review_by(self, user):
        """Policies in expert review whose current version ``user`` is to review,
        with ``review_given`` (they reviewed it; clearing it waits on them)."""
        if not _active(user):
            return self.none()
        rows = reviews_owed().filter(policy=OuterRef("pk"), user=user)
        return self.filter(Exists(rows)).annotate(
            review_given=Exists(rows.filter(review_given=True))
        )

    def awaiting_support_by(self, user):
        """Policies on which an institution ``user`` speaks for owes its decision;
        ``obligations.supports_owed_by(user)`` gives the ``(policy, organization)`` pairs."""
        return self.filter(Exists(supports_owed_by(user).filter(policy=OuterRef("pk"))))

    def awaiting_endorsement_by(self, user):
        """Policies awaiting the endorsement of a ministry ``user`` endorses for,
        with ``support_completed_at`` (``endorsement_due`` gives the due date)."""
        return endorsements_owed(self.endorsable_by(user))

    def awaiting_decline_resolution_by(self, user):
        """Policies with a decline that waits on ``user``, a coordinator of their implementer."""
        return declines_owed(self.coordinated_by(user))
