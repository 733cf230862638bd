"""The list of visible policies, filtered and paged; htmx swaps only the table."""

from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from web.selectors import policy_list as listing
from web.views import login_required_htmx
from workflow import permissions
from workflow.models import Policy


# The same address answers a table or a whole page: caches must tell them apart.
@vary_on_headers("HX-Request")
@require_GET
@login_required_htmx
def policy_list(request):
    filters = listing.Filters.from_query(request.GET)
    context = {
        "nav": "policies",
        "filters": filters,
        "page": listing.policy_page(request.user, filters, request.GET.get("page")),
    }
    if _wants_the_table(request):
        return render(request, "web/policies/table.html", context)
    context.update(
        states=Policy.State.choices,
        countries=listing.country_choices(request.user),
        may_register=permissions.may_register_policies(request.user),
    )
    return render(request, "web/policies/list.html", context)


def _wants_the_table(request):
    """An htmx filter or page change. Going back to a page htmx no longer holds
    (a history restore) replaces the whole body, so that takes the full page."""
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request
