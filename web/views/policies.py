"""The list of visible policies, filtered and paged; htmx swaps only the table."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from web.selectors import dashboard
from web.selectors import policy_list as listing
from workflow.models import Policy


@require_GET
@login_required
def policy_list(request):
    filters = listing.Filters.from_query(request.GET)
    context = {
        "nav": "policies",
        "filters": filters,
        "page": listing.policy_page(request.user, filters, request.GET.get("page")),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "web/policies/table.html", context)
    context.update(
        states=Policy.State.choices,
        countries=listing.country_choices(request.user),
        may_register=dashboard.is_coordinator(request.user),
    )
    return render(request, "web/policies/list.html", context)
