"""An admin address whose query string no database can take is answered 400.

The admin's changelists hand their filters' values to the database as they
come, and two kinds break there (a 500), in Django's own admins as much as
in ours, so they are refused here once for every admin page instead of in
each filter:

- a NUL character, in a name or a value: PostgreSQL text cannot hold one,
  so any filter comparing a text column with it fails;
- a date part (``at__year``, ``endorsed_on__month``: the date hierarchy)
  that is not a number of the calendar: a year past 2**31 overflows
  ``datetime`` instead of being refused as a bad lookup.

The pages read their query parameters through forms and ``stored_number``,
which take nonsense for "any"; they need no such guard.
"""

import datetime

from django.core.exceptions import BadRequest

# The date parts Django's lookups take from a query string, and the numbers
# each can be.
DATE_PARTS = {
    "year": range(datetime.MINYEAR, datetime.MAXYEAR + 1),
    "month": range(1, 13),
    "day": range(1, 32),
}


def unusable(query):
    """Why ``query`` (a ``QueryDict``) cannot be used, or None."""
    for name, values in query.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return "NUL character in the query string"
        part = DATE_PARTS.get(name.rpartition("__")[2]) if "__" in name else None
        if part is not None and not all(_number_in(value, part) for value in values):
            return f"date part out of range in the query string: {name}"
    return None


def _number_in(text, allowed):
    text = text.strip()
    return text.isascii() and text.isdigit() and len(text) <= 5 and int(text) in allowed


class AdminQueryStringMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.app_name == "admin" and (reason := unusable(request.GET)):
            raise BadRequest(reason)
        return None
