"""A query string no page can use is answered 400 before any view sees it.

Two kinds reach the database (or Python's calendar) and break there, in
Django's own admin as much as in our pages, so they are refused here once
for every address instead of in each filter:

- a NUL character, in a name or a value: PostgreSQL text cannot hold one,
  so any filter comparing a text column with it fails;
- a date part (``at__year``, ``endorsed_on__month``: the admin's date
  hierarchy) that is not a number of the calendar: a year past 2**31
  overflows ``datetime`` instead of being refused as a bad lookup.
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


class QueryStringMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if reason := unusable(request.GET):
            raise BadRequest(reason)
        return self.get_response(request)
