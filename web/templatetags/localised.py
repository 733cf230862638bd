"""Dates, moments and country names in the reader's language (``policyflow.formats``).

Installed as a built-in library: every template has these filters, as it
has Django's ``date``, which stays for ``<time datetime>`` attributes only.
"""

from django import template

from policyflow.formats import countries, dates

register = template.Library()


@register.filter
def day(value):
    """``{{ policy.review_due|day }}``: "4 December 2026"."""
    return dates.day(value)


@register.filter
def moment(value):
    """``{{ version.uploaded_at|moment }}``: "4 December 2026, 12:47 UTC"."""
    return dates.moment(value)


@register.filter
def country_name(country):
    """``{{ policy.country|country_name }}``: the country's name in the reader's language."""
    return countries.country_name(country)
