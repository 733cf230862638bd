"""Who may do what to which policy, decided object by object.

Every function takes the policy and the acting user and answers from the
user's memberships and the policy's assignments, never from what a page
chose to show. The state machine declares these as transition
permissions; the services check them under the policy's row lock.

Whose turn it is to draft, review, support or endorse is defined once,
in ``workflow.obligations``: the predicates here ask its querysets about
one policy, without the state (the state machine checks that apart).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from workflow import obligations
from workflow.models.organizations import Membership, Organization, Project

Role = Membership.Role

# Roles that follow whole projects rather than the policies they take part in.
OVERSEER_ROLES = (Role.COORDINATOR, Role.OBSERVER)


def _is_active(user):
    return user is not None and user.is_authenticated and user.is_active


def _holds(user, role, organization_id):
    return (
        _is_active(user)
        and Membership.objects.filter(
            user=user, organization_id=organization_id, role=role
        ).exists()
    )


def _holds_any(user, roles, held=None):
    """Whether ``user`` holds one of ``roles`` anywhere; ``held``, the roles they
    hold (``obligations.roles_held``), if the caller has read them."""
    if held is not None:
        return not set(roles).isdisjoint(held)
    return Membership.objects.filter(user=user, role__in=roles).exists()


def sees_every_policy(user, held=None):
    """Coordinators and observers of a server set to ``READ_WHOLE_PORTFOLIO``.

    A server shared by several implementers leaves it off: each then reads
    only the projects of its own organisation (``overseen_projects``).
    ``held``: the roles ``user`` holds, if read already.
    """
    return (
        settings.READ_WHOLE_PORTFOLIO
        and _is_active(user)
        and _holds_any(user, OVERSEER_ROLES, held)
    )


def overseen_projects(user):
    """The projects ``user`` follows whole, as a subquery of their ids.

    A coordinator follows the projects their organisation implements; an
    observer those their organisation funds (or implements, for an
    implementer's own observers). Subqueries, not joins, so that a query
    scoped with it needs no DISTINCT.
    """
    overseeing = Membership.objects.filter(user=user, role__in=OVERSEER_ROLES)
    observing = Membership.objects.filter(user=user, role=Role.OBSERVER)
    funded = Project.donors.through.objects.filter(
        organization__in=observing.values("organization_id")
    )
    return Project.objects.filter(
        Q(implementer__in=overseeing.values("organization_id"))
        | Q(pk__in=funded.values("project_id"))
    ).values("pk")


def coordinated_implementers(user):
    """The implementers ``user`` coordinates, as a subquery of their ids."""
    return obligations.speaks_for(user, obligations.COORDINATOR_ROLES)


def expert_memberships(user, role):
    """The memberships in ``role`` with an implementer ``user`` coordinates: the
    experts a coordinator may assign to the policies of its projects."""
    return Membership.objects.filter(role=role, organization__in=coordinated_implementers(user))


def experts_for(user, role):
    """The active users a coordinator (``user``) may assign in ``role``."""
    holders = expert_memberships(user, role).values("user_id")
    return get_user_model().objects.filter(is_active=True, pk__in=holders)


def may_view(policy, user):
    return type(policy).objects.visible_to(user).filter(pk=policy.pk).exists()


def is_coordinator(policy, user):
    """A coordinator of the organisation implementing the policy's project."""
    return _holds(user, Role.COORDINATOR, policy.project.implementer_id)


def _among(policies, policy):
    return policies.filter(pk=policy.pk).exists()


def is_assigned_drafter(policy, user):
    """Assigned to the policy and still a drafter with the project's implementer."""
    return _is_active(user) and _among(type(policy).objects.drafted_by(user), policy)


def is_assigned_reviewer(policy, user):
    """Assigned to the policy and still a reviewer with the project's implementer."""
    return _is_active(user) and _among(type(policy).objects.reviewed_by(user), policy)


def is_lead_endorser(policy, user):
    return _is_active(user) and _among(type(policy).objects.endorsable_by(user), policy)


def uploaded_current_version(policy, user):
    version = policy.current_version
    return version is not None and version.uploaded_by_id == user.pk


def organizations_user_speaks_for(policy, user):
    """The policy's required supporters in which the user may record a decision."""
    rows = obligations.required_supporters_spoken_for_by(user).filter(policy=policy)
    return Organization.objects.filter(pk__in=rows.values("organization"))


# -- per action ---------------------------------------------------------------


def may_register_policies(user, held=None):
    """Coordinators of any implementer; ``register_policy`` then checks the project's.
    ``held``: the roles ``user`` holds, if read already."""
    return _is_active(user) and _holds_any(user, (Role.COORDINATOR,), held)


def may_edit_details(policy, user):
    return is_coordinator(policy, user)


def may_add_version(policy, user):
    """Assigned drafters and the implementer's coordinators, in one query:
    ``is_assigned_drafter(...) or is_coordinator(...)``."""
    if not _is_active(user):
        return False
    policies = type(policy).objects
    return _among(policies.drafted_by(user) | policies.coordinated_by(user), policy)


def may_submit_for_review(policy, user):
    return is_assigned_drafter(policy, user) or is_coordinator(policy, user)


def may_withdraw_version(policy, user):
    return may_add_version(policy, user)


def may_recall(policy, user):
    return is_assigned_drafter(policy, user) or is_coordinator(policy, user)


def may_record_review(policy, user):
    """Assigned reviewers, never on a version they uploaded (four-eyes rule)."""
    return _is_active(user) and _among(type(policy).objects.reviewable_by(user), policy)


def may_request_revision(policy, user):
    return may_record_review(policy, user) or is_coordinator(policy, user)


def may_clear_review(policy, user):
    """A reviewer who may review the current version, or a coordinator who did not upload it."""
    return may_record_review(policy, user) or (
        is_coordinator(policy, user) and not uploaded_current_version(policy, user)
    )


def may_record_support(policy, user, organization):
    return organizations_user_speaks_for(policy, user).filter(pk=organization.pk).exists()


def may_return_to_drafting(policy, user):
    return is_coordinator(policy, user)


def may_return_for_revision(policy, user):
    return is_lead_endorser(policy, user)


def may_endorse(policy, user):
    return is_lead_endorser(policy, user)


def may_withdraw(policy, user):
    return is_coordinator(policy, user)


def may_reopen(policy, user):
    return is_coordinator(policy, user)
