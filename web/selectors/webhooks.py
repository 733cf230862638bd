"""What the webhooks page shows: the endpoints a coordinator manages and their
latest deliveries, in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from notifications.models import OutboxMessage
from workflow import webhooks
from workflow.models import Organization, Project

# The deliveries shown under each endpoint, newest first.
RECENT_DELIVERIES = 10


@dataclass
class EndpointView:
    endpoint: object
    organization: str
    events: list
    projects: list
    deliveries: list = field(default_factory=list)


def webhooks_page(user):
    """[EndpointView] of the endpoints ``user`` manages, active ones first."""
    endpoints = list(webhooks.endpoints_managed_by(user).order_by("-is_active", "name", "pk"))
    organizations = dict(
        Organization.objects.filter(
            pk__in=[webhooks.organization_id_of(e) for e in endpoints]
        ).values_list("pk", "name")
    )
    project_ids = {pk for e in endpoints for pk in webhooks.project_ids_of(e)}
    projects = dict(Project.objects.filter(pk__in=project_ids).values_list("pk", "name"))
    labels = dict(webhooks.event_choices())
    views = {
        e.pk: EndpointView(
            endpoint=e,
            organization=organizations.get(webhooks.organization_id_of(e), ""),
            events=[labels.get(code, code) for code in e.events],
            projects=[projects[pk] for pk in webhooks.project_ids_of(e) if pk in projects],
        )
        for e in endpoints
    }
    if views:
        recent = (
            OutboxMessage.objects.filter(endpoint__in=list(views))
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("endpoint")],
                    order_by=[F("created_at").desc(), F("pk").desc()],
                )
            )
            .filter(rank__lte=RECENT_DELIVERIES)
            .order_by("endpoint", "-created_at", "-pk")
            .only(
                "endpoint",
                "event",
                "status",
                "attempts",
                "last_error",
                "created_at",
                "delivered_at",
            )
        )
        for delivery in recent:
            views[delivery.endpoint_id].deliveries.append(delivery)
    return list(views.values())
