"""Writes of research-group activities (教研活动) and collective preparation (集体备课): scheduled by the group's
leader or the office, attendance and the record written after it, and leaders' checks of the record (V1.1, V5.4,
V6.1, V7.1: leaders join groups, attend their activities and check the activity records)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from school.models import School, Staff, TeachingGroup
from school.permissions import LEADER_ROLES, manages_school, scope_for
from school.selectors import current_term, today

from ..files import check_upload, store
from ..models import ActivityCheck, GroupActivity
from .common import acting_staff, one_line


def runs_group(user, group: TeachingGroup) -> bool:
    """The group's leader and the teaching office of its school schedule and record its activities."""
    staff = scope_for(user).staff
    return (staff is not None and group.leader_id == staff.pk) or manages_school(user, group.school)


def family(school: School) -> list[int]:
    """A school and the schools that share its central school's calendar (leaders of a central school join and
    lead its village schools' groups)."""
    root = school.root_id
    return list(School.objects.filter(Q(pk=root) | Q(parent_id=root)).values_list("pk", flat=True))


def _people(group: TeachingGroup, people) -> list[Staff]:
    people = list(people or [])
    schools = family(group.school)
    if any(p.school_id not in schools or not p.is_active for p in people):
        raise ValidationError(_("Only active staff of the school can attend."))
    return people


def _clean(group: TeachingGroup, *, date: dt.date, topic: str, host: Staff | None):
    term = current_term(group.school, date)
    if term is None or not term.contains(date):
        raise ValidationError(_("%(day)s is not in a term of the school calendar.") % {"day": date})
    if not (topic or "").strip():
        raise ValidationError(_("Give the activity's topic."))
    if host is not None:
        _people(group, [host])
    return term


@transaction.atomic
def activity_create(*, group: TeachingGroup, date: dt.date, topic: str, kind: str, place: str = "",
                    host: Staff | None = None, user) -> GroupActivity:
    """Schedule an activity of a group (its leader or the office)."""
    staff = acting_staff(user)
    if not runs_group(user, group):
        raise PermissionDenied(_("Only the group's leader or the teaching office schedules its activities."))
    term = _clean(group, date=date, topic=topic, host=host)
    activity = GroupActivity(school=group.school, term=term, group=group, date=date, topic=one_line(topic, 200),
                             kind=kind, place=one_line(place, 100), host=host, created_by=staff)
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def activity_update(*, activity: GroupActivity, date: dt.date, topic: str, kind: str, place: str = "",
                    host: Staff | None = None, attendees=(), minutes: str = "", upload=None,
                    remove_file: bool = False, user) -> GroupActivity:
    """Change an activity, record who came and what was done (minutes, optionally a file). Attendance and the
    record are written once the activity has taken place."""
    if not runs_group(user, activity.group):
        raise PermissionDenied(_("Only the group's leader or the teaching office records its activities."))
    activity = GroupActivity.objects.select_for_update().get(pk=activity.pk)
    term = _clean(activity.group, date=date, topic=topic, host=host)
    attendees = _people(activity.group, attendees)
    minutes = (minutes or "").strip()
    if date > today() and (attendees or minutes or upload is not None):
        raise ValidationError(_("Attendance and the record are written after the activity (on %(day)s).")
                              % {"day": date})
    activity.term, activity.date, activity.kind, activity.host = term, date, kind, host
    activity.topic, activity.place, activity.minutes = one_line(topic, 200), one_line(place, 100), minutes
    if upload is not None:
        store(activity, check_upload(upload))
    elif remove_file:
        activity.file, activity.file_name, activity.file_size, activity.file_content_type = "", "", 0, ""
    activity.full_clean(exclude=["file"])
    activity.save()
    activity.attendees.set(attendees)
    return activity


def checks_records(user) -> bool:
    """The school's leaders check activity records (V1.1, V6.1, V7.1: principal, vice-principal, director, other
    cadres), and the teaching office, which organises the mid-term and end-of-term checks of them (V5.4)."""
    scope = scope_for(user)
    return scope.staff is not None and (bool(scope.roles & LEADER_ROLES) or scope.is_manager)


def may_check_record(user, activity: GroupActivity | None) -> bool:
    """She checks records (above), of her own school's activities (the office and the principal: of the schools
    they see)."""
    if not checks_records(user):
        return False
    if activity is None:
        return True
    scope = scope_for(user)
    return scope.everything or activity.school_id in scope.school_ids or activity.school_id == scope.staff.school_id


@transaction.atomic
def activity_check(*, activity: GroupActivity, comment: str = "", user) -> ActivityCheck:
    """A leader has checked the activity's record, with a comment (once; checking again updates the comment)."""
    leader = acting_staff(user)
    if not may_check_record(user, activity):
        raise PermissionDenied(_("The school's leaders and the teaching office check activity records."))
    if not activity.has_record:
        raise ValidationError(_("This activity has no record to check yet."))
    check, _created = ActivityCheck.objects.update_or_create(
        activity=activity, leader=leader, defaults={"comment": (comment or "").strip()}
    )
    return check
