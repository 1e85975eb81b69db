"""Template filters of the case documents (documents.py): a field the record lacks is printed as
a blank line to fill in by hand."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def fill(value, width: str = "wide"):
    """The value, or an empty underlined space (class `blank`, `narrow` or `wide`) for a pen."""
    if value is None or value == "":
        return mark_safe(f'<span class="blank {conditional_escape(width)}"></span>')
    return conditional_escape(value)
