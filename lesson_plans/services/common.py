"""What the writes of lesson preparation share: who is acting, the office's permission, the history stamp."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from school.models import School, Staff
from school.permissions import manages_school, scope_for


def stamp(obj, user, reason: str = ""):
    """Name who made the change on the history record the next save writes (outside a request too)."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    obj._change_reason = reason
    return obj


def acting_staff(user) -> Staff:
    staff = scope_for(user).staff
    if staff is None:
        raise PermissionDenied(_("Only a member of staff can do this: your account has no staff record."))
    return staff


def require_office(user, school: School) -> None:
    if not manages_school(user, school):
        raise PermissionDenied(_("Only the teaching office may do this."))


def leads_group_of(staff: Staff | None, teacher: Staff) -> bool:
    """She leads a teaching-research group the teacher belongs to (never counts for herself)."""
    if staff is None or staff.pk == teacher.pk:
        return False
    led = [g.pk for g in staff.led_groups.all()]
    return bool(led) and teacher.groups.filter(pk__in=led).exists()


def one_line(text: str, limit: int) -> str:
    return " ".join((text or "").split())[:limit]

