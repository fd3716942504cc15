"""Small template helpers of the evaluation pages."""

from django import template

register = template.Library()


@register.simple_tag
def round_status(round_, today):
    """The round's status on `today`: "scheduled", "open" or "closed"."""
    return round_.status(today)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
