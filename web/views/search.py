"""One search over the policies, decisions, version texts, translations and letters
a person may see."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from web.selectors import policy_list as listing
from web.selectors import search as searching
from web.views import login_required_htmx
from workflow.models import Policy


@require_GET
@login_required_htmx
def search(request):
    found = searching.search_page(request.user, request.GET)
    return render(
        request,
        "web/search.html",
        {
            "nav": "search",
            "found": found,
            "search_query": found.q,
            "states": Policy.State.choices,
            "countries": listing.country_choices(request.user),
        },
    )
