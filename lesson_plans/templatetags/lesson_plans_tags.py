"""Small template helpers of the lesson-preparation pages: the badge colour of a state, and a file's size."""

from django import template
from django.template.defaultfilters import filesizeformat

register = template.Library()

BADGES = {
    # teaching plans
    "submitted": "text-bg-info",
    "group_passed": "text-bg-primary",
    "accepted": "text-bg-success",
    "returned": "text-bg-warning",
    "missing": "text-bg-danger",
    # summaries
    "on_time": "text-bg-success",
    "late": "text-bg-warning",
    "not_due": "text-bg-light",
    # fines
    "proposed": "text-bg-warning",
    "confirmed": "text-bg-danger",
    "appealed": "text-bg-info",
    "upheld": "text-bg-danger",
    "waived": "text-bg-secondary",
    "dismissed": "text-bg-secondary",
    # preparation grades 优 良 中 差
    "A": "text-bg-success",
    "B": "text-bg-primary",
    "C": "text-bg-warning",
    "D": "text-bg-danger",
    # selections
    "open": "text-bg-primary",
    "published": "text-bg-success",
}


@register.filter
def badge(state) -> str:
    """The Bootstrap badge class of a state (a plan's status, a summary's state, a fine's status, a grade)."""
    return BADGES.get(str(state), "text-bg-secondary")


@register.filter
def file_size(size) -> str:
    return filesizeformat(size or 0)
