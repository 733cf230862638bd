"""Date formats per language (``FORMAT_MODULE_PATH``): the same unambiguous shape in all.

Every language writes a date as day, month as a word, year, and a time on
the 24-hour clock: "4 December 2026, 12:47" cannot be read as 12 April,
whatever the reader's habit, and the month's name is translated with the
rest of the page. Files and exports use ISO 8601 instead.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
