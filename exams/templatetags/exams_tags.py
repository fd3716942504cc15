"""Figures as the analysis shows them: exact decimals, rates as percentages with two decimals, "—" for none."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def percent(value) -> str:
    """A rate kept as a fraction of 1 with four decimals (0.8571) shown as 85.71%."""
    if value is None or value == "":
        return "—"
    return f"{(Decimal(value) * 100).quantize(Decimal('0.01'))}%"


@register.filter
def figure(value) -> str:
    if value is None or value == "":
        return "—"
    return str(value)


@register.filter
def marks(value) -> str:
    """A score without trailing zeros: 87.50 -> 87.5, 100.00 -> 100."""
    if value is None or value == "":
        return "—"
    return format(Decimal(value).normalize(), "f")


@register.filter
def reversed_list(value):
    return list(reversed(list(value)))
