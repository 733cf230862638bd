"""What the API reads: the same policies the pages show, in a fixed number of queries.

Every read is scoped with ``Policy.objects.visible_to(user)``: a policy the
caller does not take part in is not found (404), whether it exists or not.
"""

from django.db.models import Prefetch, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from documents.models import GeneratedRecord
from notifications.models import Notification
from workflow import permissions, services
from workflow.models import (
    AuditEntry,
    DocumentVersion,
    Endorsement,
    Evidence,
    Membership,
    Organization,
    Policy,
    Project,
    Review,
    Support,
    Translation,
    newest_version,
)

# The largest key (a big integer) and version number (an integer) a database
# stores: a number in an address past them names nothing, and is not found
# rather than sent to a database that would refuse it.
MAX_KEY = 2**63 - 1
MAX_NUMBER = 2**31 - 1


def _storable(value, limit=MAX_KEY):
    if not 0 < value <= limit:
        raise Http404
    return value


def policies(user, *, state="", country="", project=None, lead_ministry=None, updated_since=None):
    """The visible policies matching the filters (each empty one means "any"),
    by country and short title, as the web list orders them."""
    found = Policy.objects.visible_to(user)
    if state:
        found = found.filter(state=state)
    if country:
        found = found.filter(country=country)
    if project is not None:
        found = found.filter(project_id=project)
    if lead_ministry is not None:
        found = found.filter(lead_ministry_id=lead_ministry)
    if updated_since is not None:
        found = found.filter(updated_at__gte=updated_since)
    return (
        found.select_related("lead_ministry", "project")
        .annotate(current_number=Subquery(newest_version().values("number")[:1]))
        .order_by("country", "short_title", "pk")
    )


def visible_policy(user, pk):
    """A policy the caller may see, or 404."""
    return get_object_or_404(Policy.objects.visible_to(user), pk=_storable(pk))


def policy_detail(user, pk):
    """A visible policy with everything its detail shows: its parties, its current
    version, and each transition the caller may take with what still blocks it."""
    policy = get_object_or_404(
        Policy.objects.visible_to(user)
        .select_related("lead_ministry", "project")
        .prefetch_related(
            "themes",
            Prefetch("required_supporters", queryset=Organization.objects.order_by("name")),
            "drafters",
            "reviewers",
        ),
        pk=_storable(pk),
    )
    policy.transitions = services.transition_choices(policy, user)
    return policy


def versions_of(policy):
    """The policy's versions, newest first, without their (large) extracted text."""
    return (
        DocumentVersion.objects.filter(policy=policy)
        .defer("extraction")
        .select_related("uploaded_by", "withdrawal__withdrawn_by")
        .order_by("-number")
    )


def reviews_of(policy):
    return (
        Review.objects.filter(policy=policy)
        .select_related("reviewer", "version", "marked_up_copy")
        .defer("version__extraction", "marked_up_copy__extraction")
        .order_by("-created_at", "-pk")
    )


def translations_of(version):
    """The version's translations, by language code, without their extracted text."""
    return (
        Translation.objects.filter(version=version)
        .defer("extraction")
        .select_related("uploaded_by", "version")
        .order_by("language")
    )


def translation_of(version, language):
    """The version's translation into ``language``, or 404."""
    return get_object_or_404(translations_of(version), language=str(language)[:12])


def supports_of(policy):
    return (
        Support.objects.filter(policy=policy)
        .select_related("organization", "recorded_by", "version")
        .order_by("-recorded_at", "-pk")
    )


def history_of(policy):
    return AuditEntry.objects.filter(policy=policy).select_related("actor", "version")


def organizations(user):
    """The caller's own organisations and every one a visible policy names
    (its lead ministry, its required institutions, its project's implementer
    and donors)."""
    visible = Policy.objects.visible_to(user)
    projects = Project.objects.filter(pk__in=visible.values("project_id"))
    named = (
        Q(memberships__user=user)
        | Q(pk__in=visible.values("lead_ministry_id"))
        | Q(
            pk__in=Policy.required_supporters.through.objects.filter(
                policy__in=visible.values("pk")
            ).values("organization_id")
        )
        | Q(pk__in=projects.values("implementer_id"))
        | Q(
            pk__in=Project.donors.through.objects.filter(project__in=projects.values("pk")).values(
                "organization_id"
            )
        )
    )
    if user.is_superuser:
        named = Q()
    return Organization.objects.filter(named).distinct().order_by("name")


def projects(user):
    """The projects of the visible policies and those the caller's organisation
    implements or funds."""
    visible = Policy.objects.visible_to(user)
    found = Q(pk__in=visible.values("project_id")) | Q(pk__in=permissions.overseen_projects(user))
    if user.is_superuser:
        found = Q()
    return Project.objects.filter(found).select_related("implementer").order_by("name")


def memberships_of(user):
    return Membership.objects.filter(user=user).select_related("organization")


# -- versions, history, endorsement ------------------------------------------


def version_of(policy, number):
    """The policy's version of that number (withdrawn or not), or 404."""
    return get_object_or_404(
        versions_of(policy).defer(None),
        number=_storable(number, MAX_NUMBER),
    )


def evidence_of(policy):
    """The policy's official letters, newest first, with the decision each proves."""
    return (
        Evidence.objects.filter(policy=policy)
        .select_related("version", "support__organization", "endorsement", "added_by")
        .defer("text")
        .order_by("-added_at", "-pk")
    )


def evidence_item(policy, pk):
    """One of the policy's letters, or 404."""
    return get_object_or_404(evidence_of(policy), pk=_storable(pk, MAX_NUMBER))


def endorsement_of(policy):
    """The policy's endorsement with its record (``record_made``, None until
    made), or 404 while it is not endorsed."""
    endorsement = get_object_or_404(
        Endorsement.objects.filter(policy=policy).select_related(
            "version", "ministry", "endorsed_by"
        )
    )
    endorsement.record_made = GeneratedRecord.objects.filter(
        kind=GeneratedRecord.Kind.ENDORSEMENT_RECORD, endorsement=endorsement
    ).first()
    return endorsement


def endorsement_record_of(policy):
    """The record of the policy's endorsement, or 404 until it is made."""
    record = endorsement_of(policy).record_made
    if record is None:
        raise Http404
    return record


# -- the caller's notifications ----------------------------------------------


def notifications_of(user, *, unread=None):
    """The caller's notifications, newest first; ``unread`` True or False keeps
    those neither read nor done, or the others."""
    found = Notification.objects.filter(recipient=user)
    if unread is not None:
        still_new = Q(read_at__isnull=True, done_at__isnull=True)
        found = found.filter(still_new if unread else ~still_new)
    return found.order_by("-created_at", "-pk")


def notification_of(user, pk):
    """One of the caller's own notifications, or 404 (another's is not found)."""
    return get_object_or_404(Notification, recipient=user, pk=_storable(pk))
