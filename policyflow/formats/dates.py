"""Dates and moments as people read them, in the active language.

One shape in every language and on every page: day, month as a word,
year ("4 December 2026"), and for a moment the time on the 24-hour clock
and the zone it is in ("4 December 2026, 12:47 UTC"). A date cannot be
read as 12 April whatever the reader's habit, and a time says which clock
it was read on. The month's name and the punctuation between date and
time are the language's own, from CLDR (``cldr``). Files, exports and
``<time datetime>`` attributes use ISO 8601 instead.
"""

import datetime

from babel.dates import format_date, format_time
from django.utils import timezone

from policyflow.formats import cldr

DATE = "d MMMM y"
TIME = "HH:mm"


def day(value):
    """A date, or the local date of a moment; "" for none."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return format_date(value, DATE, locale=cldr.active())


def moment(value):
    """A moment in the current time zone: its date, its time and the zone; "" for none."""
    if value is None or value == "":
        return ""
    local = timezone.localtime(value)
    locale = cldr.active()
    date = format_date(local, DATE, locale=locale)
    time = f"{format_time(local, TIME, locale=locale)} {zone(local)}"
    # The language's own way of joining a date and a time, e.g. "{1}, {0}".
    return locale.datetime_formats["medium"].replace("{0}", time).replace("{1}", date)


def zone(value):
    """The time zone of an aware moment as its offset from UTC: "UTC", "UTC+04:30".

    An offset reads the same in every language and is never ambiguous,
    where abbreviations are missing for most zones and repeat across
    continents.
    """
    offset = round(value.utcoffset().total_seconds() / 60)
    if not offset:
        return "UTC"
    hours, minutes = divmod(abs(offset), 60)
    return f"UTC{'+' if offset > 0 else '-'}{hours:02}:{minutes:02}"
