"""Who registers webhooks, and for what: the coordinators of an implementer.

An endpoint belongs to an implementing organisation (its ``owner`` label,
``notify.webhook_owner``) and hears the events it chose of that
organisation's projects: all of them, or those it names (its ``topics``,
``notify.webhook_topic``). ``workflow.notify.announce`` writes its rows;
``notifications`` signs and sends them. Only a coordinator of the
organisation registers, changes, rotates the secret of, or deactivates
one. Removing an endpoint deactivates it: its deliveries stay on record,
and it can be turned on again.
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from notifications import webhooks as sending
from notifications.models import WebhookEndpoint
from workflow import notify, permissions
from workflow.models import Organization, Project

URL_MAX_LENGTH = WebhookEndpoint._meta.get_field("url").max_length
NAME_MAX_LENGTH = WebhookEndpoint._meta.get_field("name").max_length


# -- reading -----------------------------------------------------------------


def coordinated_organizations(user):
    """The implementers whose webhooks ``user`` manages: those they coordinate
    (a superuser: every implementer)."""
    if not (user.is_authenticated and user.is_active):
        return Organization.objects.none()
    implementers = Organization.objects.filter(kind=Organization.Kind.IMPLEMENTER)
    if user.is_superuser:
        return implementers
    return implementers.filter(pk__in=permissions.coordinated_implementers(user))


def may_manage_webhooks(user):
    return coordinated_organizations(user).exists()


def endpoints_managed_by(user):
    """The endpoints of the organisations ``user`` coordinates."""
    owners = [
        notify.webhook_owner(pk)
        for pk in coordinated_organizations(user).values_list("pk", flat=True)
    ]
    return WebhookEndpoint.objects.filter(owner__in=owners)


def organization_id_of(endpoint):
    """The id of the implementer an endpoint belongs to (its owner label), or None."""
    kind, _sep, pk = endpoint.owner.partition("/")
    return int(pk) if kind == "organization" and pk.isdigit() else None


def project_ids_of(endpoint):
    """The ids of the projects an endpoint is limited to; none: every project of its owner."""
    return [
        int(pk)
        for kind, _sep, pk in (topic.partition("/") for topic in endpoint.topics)
        if kind == "project" and pk.isdigit()
    ]


def organization_of(endpoint):
    """The implementer an endpoint belongs to, or None."""
    return Organization.objects.filter(pk=organization_id_of(endpoint)).first()


def projects_of(endpoint):
    """The projects an endpoint is limited to; empty: every project of its owner."""
    return Project.objects.filter(pk__in=project_ids_of(endpoint))


def event_choices():
    """(code, label) of every event an endpoint can subscribe to."""
    return [(code, event.label) for code, event in notify.EVENTS.items()]


# -- writing -----------------------------------------------------------------


def register_webhook(actor, organization, name, url, events, projects=()):
    """Register an endpoint of ``organization`` (an implementer ``actor`` coordinates)
    for ``events`` of its projects (``projects``; none: all of them)."""
    _ensure_coordinates(actor, organization)
    values = _checked(organization, name=name, url=url, events=events, projects=projects)
    with transaction.atomic():
        return WebhookEndpoint.objects.create(
            owner=notify.webhook_owner(organization.pk),
            secret=sending.new_secret(),
            created_by=actor,
            **values,
        )


def update_webhook(
    actor, endpoint, *, name=None, url=None, events=None, projects=None, is_active=None
):
    """Change what is given of an endpoint; the rest stays."""
    organization = _ensure_manages(actor, endpoint)
    values = _checked(
        organization,
        name=endpoint.name if name is None else name,
        url=endpoint.url if url is None else url,
        events=endpoint.events if events is None else events,
        projects=projects_of(endpoint) if projects is None else projects,
    )
    if is_active is not None:
        values["is_active"] = bool(is_active)
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(**values)
    endpoint.refresh_from_db()
    return endpoint


def rotate_webhook_secret(actor, endpoint):
    """Give the endpoint a new secret; deliveries sent from now on are signed with it."""
    _ensure_manages(actor, endpoint)
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(secret=sending.new_secret())
    endpoint.refresh_from_db()
    return endpoint


def remove_webhook(actor, endpoint):
    """Deactivate the endpoint: no new deliveries, and those not yet sent are not
    sent. Its record of deliveries stays; ``update_webhook(is_active=True)`` brings
    it back."""
    return update_webhook(actor, endpoint, is_active=False)


# -- checks ------------------------------------------------------------------


def _ensure_coordinates(actor, organization):
    if not coordinated_organizations(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied(
            _("Only a coordinator of %(organization)s may manage its webhooks.")
            % {"organization": organization.name}
        )


def _ensure_manages(actor, endpoint):
    organization = organization_of(endpoint)
    if organization is None:
        raise PermissionDenied(_("This webhook belongs to no organisation you coordinate."))
    _ensure_coordinates(actor, organization)
    return organization


def _checked(organization, *, name, url, events, projects):
    """The endpoint's fields from the input, or a ValidationError naming each field."""
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Give the webhook a name.")
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = _("The name is at most %(max)s characters.") % {"max": NAME_MAX_LENGTH}
    url = (url or "").strip()
    problem = url_problem(url)
    if problem:
        errors["url"] = problem
    events = list(dict.fromkeys(events or ()))
    unknown = [code for code in events if code not in notify.EVENTS]
    if unknown:
        errors["events"] = _("Unknown events: %(codes)s.") % {"codes": ", ".join(map(str, unknown))}
    elif not events:
        errors["events"] = _("Choose at least one event.")
    projects = list(projects or ())
    own = set(organization.implemented_projects.values_list("pk", flat=True))
    if any(project.pk not in own for project in projects):
        errors["projects"] = _("Choose among the projects %(organization)s implements.") % {
            "organization": organization.name
        }
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "url": url,
        "events": events,
        "topics": sorted({notify.webhook_topic(project.pk) for project in projects}),
    }


def url_problem(url):
    """Why ``url`` cannot be a webhook's address, or "" when it can."""
    if not url:
        return _("Give the URL to send to.")
    if len(url) > URL_MAX_LENGTH:
        return _("The URL is at most %(max)s characters.") % {"max": URL_MAX_LENGTH}
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port that is no number
    except ValueError:
        return _("This is not a valid URL.")
    if parts.scheme not in ("http", "https"):
        return _("The URL must start with http:// or https://.")
    if not parts.hostname:
        return _("The URL must name a host.")
    if parts.username is not None or parts.password is not None:
        return _("The URL must not hold a user name or password.")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return _("This is not a valid URL.")
    try:
        address = ipaddress.ip_address(parts.hostname)
    except ValueError:
        return ""  # a name: its addresses are checked at each delivery
    if not settings.WEBHOOK_ALLOW_PRIVATE_TARGETS and not sending.is_public(str(address)):
        return _("Webhooks are sent to public addresses only; %(address)s is not one.") % {
            "address": address
        }
    return ""
