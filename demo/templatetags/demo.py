"""The demo accounts, shown on the sign-in page when the demo is running."""

from django import template
from django.conf import settings

from demo.portfolio import PASSWORD, PEOPLE
from workflow.models import Membership

register = template.Library()


@register.simple_tag
def demo_accounts():
    """(username, name, organisation, role) of each demo person, or [] outside the demo."""
    if not settings.POLICYFLOW_DEMO:
        return []
    usernames = [person[0] for person in PEOPLE]
    memberships = {
        m.user.username: m
        for m in Membership.objects.filter(user__username__in=usernames).select_related(
            "user", "organization"
        )
    }
    return [
        (
            username,
            memberships[username].user.get_full_name(),
            memberships[username].organization.short_name
            or memberships[username].organization.name,
            memberships[username].get_role_display(),
        )
        for username in usernames
        if username in memberships
    ]


@register.simple_tag
def demo_password():
    return PASSWORD
