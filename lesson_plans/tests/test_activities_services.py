"""Research-group activities and collective preparation (V1.1, V5.4, V6.1, V7.1): scheduled by the group's leader
or the office, attendance and the record written afterwards, leaders' attendance against the policy, and leaders'
checks of the records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspections.selectors import policy_for
from inspections.services import policy_load_preset
from lesson_plans.models import ActivityCheck, GroupActivity
from lesson_plans.selectors.activities import (
    activity_list,
    attendance_candidates,
    groups_run_by,
    leader_attendance,
)
from lesson_plans.services.activities import activity_check, activity_create, activity_update
from school.models import Role
from school.selectors import today
from school.tests.factories import StaffFactory

from .conftest import docx, txt

pytestmark = pytest.mark.django_db


def schedule(world, *, by=None, group=None, day=None, topic="《背影》集体备课", kind="collective_prep"):
    by = by or world.group_leader
    return activity_create(group=group or world.chinese_group, date=day or today() - dt.timedelta(days=3),
                           topic=topic, kind=kind, place="语文组办公室", host=world.group_leader, user=by.user)


def record(activity, *, by, attendees=(), minutes="讨论了《背影》的教学重难点。", upload=None, **changes):
    values = {"date": activity.date, "topic": activity.topic, "kind": activity.kind, "place": activity.place,
              "host": activity.host} | changes
    return activity_update(activity=activity, attendees=attendees, minutes=minutes, upload=upload, user=by.user,
                           **values)


def test_the_group_leader_schedules_her_groups_activity(world):
    activity = schedule(world)
    assert (activity.school, activity.term, activity.group, activity.created_by) == (
        world.school, world.term, world.chinese_group, world.group_leader)
    assert not activity.has_record


def test_the_office_schedules_any_groups_activity_and_no_one_else_does(world):
    schedule(world, by=world.office_staff, group=world.maths_group, topic="期中复习研讨")
    for who in (world.group_leader, world.teacher, world.principal):
        with pytest.raises(PermissionDenied):
            schedule(world, by=who, group=world.maths_group)
    assert list(groups_run_by(world.group_leader.user)) == [world.chinese_group]
    assert set(groups_run_by(world.director.user)) == {world.chinese_group, world.maths_group}


def test_an_activity_needs_a_topic_and_a_day_of_the_term(world, english):
    with pytest.raises(ValidationError, match="topic"):
        schedule(world, topic="  ")
    with pytest.raises(ValidationError, match="not in a term"):
        schedule(world, day=world.term.end_date + dt.timedelta(days=30))


def test_attendance_and_the_record_are_written_after_the_activity(world, english):
    activity = schedule(world)
    recorded = record(activity, by=world.group_leader, attendees=[world.teacher, world.group_leader, world.principal],
                      upload=docx("活动记录.docx"))
    assert set(recorded.attendees.all()) == {world.teacher, world.group_leader, world.principal}
    assert recorded.has_record and recorded.file_name == "活动记录.docx"
    coming = schedule(world, day=today() + dt.timedelta(days=5), topic="下周教研")
    with pytest.raises(ValidationError, match="after the activity"):
        record(coming, by=world.group_leader, attendees=[world.teacher])
    # Changing a coming activity's day or place is fine.
    record(coming, by=world.group_leader, minutes="", place="会议室")


def test_the_record_file_is_checked_and_may_be_removed(world, english):
    from django.core.files.uploadedfile import SimpleUploadedFile

    activity = schedule(world)
    with pytest.raises(ValidationError, match="not a PDF"):
        record(activity, by=world.group_leader, upload=SimpleUploadedFile("x.pdf", b"nope"))
    record(activity, by=world.group_leader, upload=txt())
    activity = activity_update(activity=activity, date=activity.date, topic=activity.topic, kind=activity.kind,
                               minutes="", remove_file=True, user=world.group_leader.user)
    assert not activity.file and not activity.has_record


def test_only_staff_of_the_school_attend(world, english):
    activity = schedule(world)
    with pytest.raises(ValidationError, match="Only active staff"):
        record(activity, by=world.group_leader, attendees=[world.foreign_teacher])
    candidates = set(attendance_candidates(activity))
    assert {world.teacher, world.group_leader, world.principal, world.director, world.office_staff} <= candidates
    assert world.other_teacher not in candidates and world.foreign_teacher not in candidates


def test_a_group_leader_records_only_her_groups_activities(world):
    activity = schedule(world, by=world.office_staff, group=world.maths_group)
    with pytest.raises(PermissionDenied):
        record(activity, by=world.group_leader)


def test_leaders_and_the_office_check_records_once_each(world, english):
    activity = schedule(world)
    with pytest.raises(ValidationError, match="no record"):
        activity_check(activity=activity, comment="", user=world.principal.user)
    activity = record(activity, by=world.group_leader, attendees=[world.teacher])
    first = activity_check(activity=activity, comment="记录详实", user=world.principal.user)
    again = activity_check(activity=activity, comment="记录详实，建议附课例", user=world.principal.user)
    assert first.pk == again.pk and ActivityCheck.objects.get().comment == "记录详实，建议附课例"
    activity_check(activity=activity, user=world.office_staff.user)
    assert ActivityCheck.objects.count() == 2
    for who in (world.teacher, world.group_leader, world.foreign_director):
        with pytest.raises(PermissionDenied):
            activity_check(activity=activity, user=who.user)


def test_everyone_on_the_staff_sees_her_schools_activities(world):
    activity = schedule(world)
    foreign_group = world.foreign_school.groups.create(name="FOREIGN组")
    GroupActivity.objects.create(school=world.foreign_school, term=world.foreign_term, group=foreign_group,
                                 date=today(), topic="FOREIGN", created_by=world.foreign_director)
    assert list(activity_list(world.other_teacher.user, world.term)) == [activity]
    assert list(activity_list(world.village_teacher.user, world.term)) == []
    assert list(activity_list(world.director.user, world.term)) == [activity]
    assert list(activity_list(world.other_teacher.user, world.term, mine=True)) == []
    assert list(activity_list(world.teacher.user, world.term, mine=True)) == [activity]


def test_leaders_attendance_against_the_policy(world):
    # V6: leaders join 1-2 groups and attend 2-3 activities a term.
    policy_load_preset(school=world.school, preset="v6")
    cadre = StaffFactory(school=world.school, staff_no="P009", name="干部癸", roles=[Role.CADRE])
    world.chinese_group.members.add(world.principal)
    world.maths_group.members.add(world.principal)
    for day in (10, 9, 8):
        activity = schedule(world, day=today() - dt.timedelta(days=day), topic=f"教研{day}")
        record(activity, by=world.group_leader, attendees=[world.principal, world.director])
    rows = {r.leader: r for r in leader_attendance(world.director.user, world.term, policy_for(world.school))}
    assert set(rows) == {world.principal, world.vice_principal, world.director, cadre, world.village_director}
    principal = rows[world.principal]
    assert (principal.attended, len(principal.groups), principal.short) == (3, 2, False)
    director = rows[world.director]
    assert (director.attended, director.groups_short, director.attendance_short) == (3, True, False)
    assert rows[cadre].attendance_short and rows[cadre].groups_short
    ordered = leader_attendance(world.director.user, world.term, policy_for(world.school))
    assert not ordered[-1].short and ordered[0].short  # those short first
    # A village school's director sees her own school's leaders only.
    assert [r.leader for r in leader_attendance(world.village_director.user, world.term,
                                                policy_for(world.school))] == [world.village_director]


def test_attendance_above_the_range_is_shown(world):
    policy_load_preset(school=world.school, preset="v7")  # 1-3 activities, 1 group
    for day in range(4):
        activity = schedule(world, day=today() - dt.timedelta(days=day + 1), topic=f"教研{day}")
        record(activity, by=world.group_leader, attendees=[world.principal])
    row = next(r for r in leader_attendance(world.principal.user, world.term, policy_for(world.school))
               if r.leader == world.principal)
    assert (row.attended, row.attendance_over, row.attendance_short) == (4, True, False)
