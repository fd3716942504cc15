"""What the homework services share: the term holding a day, no future dates, history stamps."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from school.models import Term
from school.selectors import current_term, today


def term_holding(school, day: dt.date, field: str = "date") -> Term:
    term = current_term(school, day)
    if term is None or not term.contains(day):
        raise ValidationError({field: _("No term of the school calendar holds %(day)s.") % {"day": day}})
    return term


def not_in_future(day: dt.date, field: str = "date") -> None:
    if day > today():
        raise ValidationError({field: _("The date is in the future.")})


def stamp(obj, user, reason: str):
    """Name who made the change on the history record the next save writes."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    obj._change_reason = reason
    return obj
