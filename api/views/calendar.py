"""The calendar feed: read by calendar programs, which send no credentials."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

from api import calendar_feed


@require_safe
def calendar(request, secret):
    """The feed whose address holds ``secret``; any other secret, or an old one, is 404."""
    user = calendar_feed.owner_of(secret)
    if user is None:
        raise Http404
    response = HttpResponse(
        calendar_feed.render_feed(user), content_type="text/calendar; charset=utf-8"
    )
    # The address is a credential and the feed is private: no copy kept anywhere.
    response["Cache-Control"] = "private, no-store"
    return response
