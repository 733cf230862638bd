"""Template helpers the pages share."""

from django import template
from django.forms import CheckboxInput, CheckboxSelectMultiple, RadioSelect, Select, SelectMultiple
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from workflow.rules import display_name

register = template.Library()


@register.filter
def control(bound_field):
    """Render a form field's widget with the framework's class for its kind."""
    widget = bound_field.field.widget
    if isinstance(widget, CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, (CheckboxSelectMultiple, RadioSelect)):
        css = "list-unstyled choice-list"
    elif isinstance(widget, (Select, SelectMultiple)):
        css = "form-select"
    else:
        css = "form-control"
    if bound_field.errors:
        css += " is-invalid"
    return bound_field.as_widget(attrs={"class": css})


@register.filter
def people(users):
    """Each user's name as the pages show people: full name, else user name."""
    return [display_name(user) for user in users]


@register.filter
def minutes(duration):
    """Whole minutes in a timedelta, at least one."""
    return max(1, round(duration.total_seconds() / 60)) if duration else 0


@register.filter(is_safe=True)
def list_of(items):
    """The items as one phrase, joined by the separator of the reader's language.

    A comma is not the same in every language (Arabic, Dari, Pashto and Urdu
    write "،"), so the separator is translated. Each item is isolated in
    ``<bdi>``: the items are mostly names, and a name written left to right
    inside a right-to-left sentence (or the reverse) would otherwise pull
    the separators around it out of place. The result is HTML, escaped.
    """
    # Translators: separator between items of a list
    separator = conditional_escape(gettext(", "))
    return mark_safe(
        separator.join(f"<bdi>{conditional_escape(item)}</bdi>" for item in items or ())
    )
