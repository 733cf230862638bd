"""Template helpers the pages share."""

from django import template
from django.forms import CheckboxInput, CheckboxSelectMultiple, RadioSelect, Select, SelectMultiple

from workflow.models import PolicyState

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
def state_label(value):
    """The label of a stored state value."""
    return PolicyState.label_for(value)


@register.filter
def minutes(duration):
    """Whole minutes in a timedelta, at least one."""
    return max(1, round(duration.total_seconds() / 60)) if duration else 0
