"""The page everyone lands on: what waits on them and where the portfolio stands."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from web.selectors import dashboard as selectors
from workflow import permissions


@require_GET
@login_required
def dashboard(request):
    user = request.user
    # One query for the roles, instead of one per step the user could never
    # owe and one per role asked about below.
    roles = selectors.roles_held(user)
    visible = selectors.visible_ids(user, roles)
    owes_work = selectors.may_owe_work(user, roles)
    return render(
        request,
        "web/dashboard.html",
        {
            "nav": "dashboard",
            "owes_work": owes_work,
            "work": selectors.first_waiting_on(user, roles) if owes_work else None,
            "pipeline": selectors.pipeline(user, visible),
            "activity": selectors.recent_activity(user, visible),
            "may_register": permissions.may_register_policies(user, roles),
        },
    )
