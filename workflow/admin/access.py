"""What the admin shows someone who is not a superuser: what their pages would show.

Superusers administer everything. Anyone else let into the admin (the demo
lets coordinators in) reads there what the pages let them read: the
policies and records of ``Policy.objects.visible_to``, the organisations
those name (and, to a coordinator, the ministries and institutions the
policy form offers), the members of their own organisations and the
projects they follow. Reference data stays read-only for them, whatever
model permissions they hold. Every set is a subquery: no DISTINCT.
"""

from django.db.models import Q

from workflow import permissions
from workflow.models import Membership, Organization, Policy, Project

Kind = Organization.Kind
Role = Membership.Role


def administers(user):
    return user.is_active and user.is_superuser


def _own_organisations(user):
    return Membership.objects.filter(user=user).values("organization_id")


def projects_in_view(user):
    """The projects the user follows whole, and those of the policies they see."""
    visible = Policy.objects.visible_to(user)
    return Project.objects.filter(
        Q(pk__in=permissions.overseen_projects(user)) | Q(pk__in=visible.values("project_id"))
    )


def organisations_in_view(user):
    """Their own organisations and those named by the policies and projects they see."""
    visible = Policy.objects.visible_to(user).values("pk")
    projects = projects_in_view(user).values("pk")
    supporters = Policy.required_supporters.through.objects.filter(policy__in=visible)
    donors = Project.donors.through.objects.filter(project__in=projects)
    named = (
        Q(pk__in=_own_organisations(user))
        | Q(pk__in=Policy.objects.filter(pk__in=visible).values("lead_ministry_id"))
        | Q(pk__in=supporters.values("organization_id"))
        | Q(pk__in=Project.objects.filter(pk__in=projects).values("implementer_id"))
        | Q(pk__in=donors.values("organization_id"))
    )
    if permissions.may_register_policies(user):
        named |= Q(kind__in=Organization.SUPPORTING_KINDS)  # the policy form offers them
    return Organization.objects.filter(named)


def memberships_in_view(user):
    """The roles held in the user's own organisations (the experts a coordinator assigns)."""
    return Membership.objects.filter(organization__in=_own_organisations(user))


class ReferenceDataAccess:
    """For reference data admins: scoped with ``in_view``, read-only but to superusers."""

    def in_view(self, user, queryset):
        raise NotImplementedError

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if administers(request.user):
            return queryset
        return self.in_view(request.user, queryset)

    def has_add_permission(self, request, *args):
        return administers(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return administers(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return administers(request.user) and super().has_delete_permission(request, obj)


class PolicyChoicesAccess:
    """For the policy admin: offer a coordinator the choices the policy form offers.

    The services decide whether the choices fit together; this only keeps
    the form from listing other implementers' projects and people.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "project" and not administers(request.user):
            kwargs["queryset"] = Project.objects.filter(
                implementer__in=permissions.coordinated_implementers(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not administers(request.user):
            if db_field.name == "drafters":
                kwargs["queryset"] = permissions.experts_for(request.user, Role.DRAFTER)
            elif db_field.name == "reviewers":
                kwargs["queryset"] = permissions.experts_for(request.user, Role.REVIEWER)
            elif db_field.name == "required_supporters":
                kwargs["queryset"] = Organization.objects.filter(
                    kind__in=Organization.SUPPORTING_KINDS
                )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
