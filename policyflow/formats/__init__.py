"""Date formats per language (``FORMAT_MODULE_PATH``): the same unambiguous shape in all.

Every language writes a date as day, month as a word, year, and a time on
the 24-hour clock: "4 December 2026, 12:47" cannot be read as 12 April,
whatever the reader's habit. These serve what Django formats itself (the
admin); the pages, exports and notifications write dates with
``policyflow.formats.dates``, whose month names are CLDR's for each
language's region rather than Django's. Files and exports use ISO 8601.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
