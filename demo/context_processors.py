"""The demo accounts, for the sign-in page to list (installed only in demo mode)."""

from django.utils.functional import SimpleLazyObject

from demo.portfolio import PASSWORD, PEOPLE
from workflow.models import Membership


def demo_accounts(request):
    """``demo_accounts`` and ``demo_password`` on every page; read only where a page shows them."""
    return {"demo_accounts": SimpleLazyObject(_accounts), "demo_password": PASSWORD}


def _accounts():
    """(username, name, organisation, role) of each demo person loaded in the database."""
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
