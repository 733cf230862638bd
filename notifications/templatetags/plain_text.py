"""``{% filter plain %}``: plain text without bidi controls (see ``notifications.plain_text``)."""

from django import template
from django.utils.safestring import SafeData, mark_safe

from notifications.plain_text import without_bidi_controls

register = template.Library()


@register.filter(is_safe=True)
def plain(value):
    cleaned = without_bidi_controls(value)
    # Removing characters from escaped HTML leaves it escaped.
    return mark_safe(cleaned) if isinstance(value, SafeData) else cleaned
