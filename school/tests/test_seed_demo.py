"""`manage.py seed_demo`: the demo school is complete, clash-free, deterministic and idempotent."""

import datetime as dt
import hashlib
import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum

from inspections.models import FineRule, ObservationQuota, Policy, ReviewRule, RoundRule
from school.demo.plan import DEMO_PASSWORD, JUNIOR_HOURS, PRIMARY_HOURS, build_plan, school_year_plan
from school.models import (
    Grade,
    Holiday,
    Period,
    Role,
    School,
    SchoolClass,
    SchoolYear,
    Staff,
    StaffRole,
    Student,
    Subject,
    TeachingGroup,
    Term,
    TimetableEntry,
)

pytestmark = pytest.mark.django_db

LOGIN_LINE = re.compile(r"\s(T\d{4}|admin)\s+(\S+)\s*$")


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def database_fingerprint() -> str:
    """A hash of every row the demo writes, primary keys included (so a delete-and-recreate shows)."""
    models = [
        School, SchoolYear, Term, Holiday, Grade, SchoolClass, Subject, Period, TeachingGroup,
        TeachingGroup.subjects.through, Staff, Staff.groups.through, StaffRole, Student, Student.history.model,
        TimetableEntry, get_user_model(), get_user_model().groups.through, Policy, FineRule, ObservationQuota,
        ReviewRule, RoundRule,
    ]
    digest = hashlib.sha256()
    for model in models:
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def expected_lessons(school_class: SchoolClass) -> int:
    hours = JUNIOR_HOURS if school_class.grade.level >= 7 else PRIMARY_HOURS
    return sum(hours[school_class.grade.level].values())


def assert_full_clash_free_timetable(schools):
    terms = Term.objects.filter(school_year__school=schools[0])
    assert terms.count() == 2
    classes = SchoolClass.objects.filter(grade__school__in=schools).select_related("grade")
    entries = TimetableEntry.objects.filter(school_class__in=classes)
    for term in terms:
        counts = dict(entries.filter(term=term).values_list("school_class").annotate(n=Count("id")))
        assert {c.pk: expected_lessons(c) for c in classes} == counts
    for who in ("school_class", "teacher"):
        doubled = entries.values("term", who, "weekday", "period").annotate(n=Count("id")).filter(n__gt=1)
        assert not doubled.exists()
    # Lessons fall on weekdays within each school's periods, taught by a teacher of the class's school whose
    # teaching-research group holds the subject.
    max_period = dict(Period.objects.values_list("school").annotate(m=Count("id")))
    for e in entries.select_related("school_class__grade", "teacher").prefetch_related("teacher__groups__subjects"):
        school_id = e.school_class.grade.school_id
        assert 1 <= e.weekday <= 5 and 1 <= e.period <= max_period[school_id]
        assert e.teacher.school_id == school_id
        assert any(e.subject_id in {s.pk for s in g.subjects.all()} for g in e.teacher.groups.all())


def printed_logins(output: str) -> dict[str, str]:
    return dict(m.groups() for line in output.splitlines() if (m := LOGIN_LINE.search(line)))


def test_small_demo_school():
    output = seed("--size", "small")

    school = School.objects.get()
    assert (school.code, school.name, school.parent, school.stage) == ("demo", "示范镇初级中学", None, "junior")
    assert SchoolClass.objects.count() == 6
    assert list(Grade.objects.values_list("level", "name")) == [(7, "七年级"), (8, "八年级"), (9, "九年级")]
    assert Staff.objects.count() == 30
    assert Student.objects.count() == 270
    sizes = SchoolClass.objects.annotate(n=Count("students")).values_list("n", flat=True)
    assert all(43 <= n <= 48 for n in sizes)
    assert Student.objects.filter(baseline_kind="entrance", baseline_score__lte=100).count() == 270
    assert Period.objects.count() == 8
    assert Subject.objects.filter(school=school).count() == 13
    assert set(Subject.objects.filter(has_labs=True).values_list("name", flat=True)) == {"物理", "化学", "生物"}

    roles = {role: StaffRole.objects.filter(role=role).count() for role in Role.values}
    assert roles[Role.PRINCIPAL] == 1 and roles[Role.VICE_PRINCIPAL] == 1 and roles[Role.DIRECTOR] == 1
    assert roles[Role.OFFICE_STAFF] == 2 and roles[Role.CADRE] == 2 and roles[Role.GROUP_LEADER] == 6
    assert roles[Role.TEACHER] == 27  # everyone but the principal and the office teaches
    assert Staff.objects.filter(is_young=True).count() == 6 and Staff.objects.filter(is_new=True).count() == 3
    assert set(Staff.objects.values_list("gender", flat=True)) == {"F", "M"}
    assert len(set(Staff.objects.values_list("name", flat=True))) == 30

    groups = TeachingGroup.objects.filter(school=school)
    assert set(groups.values_list("name", flat=True)) == {"语文组", "数学组", "英语组", "理化生组", "政史地组", "艺体组"}
    for group in groups:
        assert group.leader.has_role(Role.GROUP_LEADER) and group in group.leader.groups.all()
        assert not group.is_central

    for school_class in SchoolClass.objects.all():
        head = school_class.head_teacher
        assert head and TimetableEntry.objects.filter(school_class=school_class, teacher=head).exists()
    assert len({c.head_teacher_id for c in SchoolClass.objects.all()}) == 6

    year = SchoolYear.objects.get()
    terms = list(Term.objects.order_by("number"))
    assert [t.number for t in terms] == [1, 2] and all(t.school_year == year for t in terms)
    assert Holiday.objects.filter(name="国庆节", term=terms[0]).exists()
    assert Holiday.objects.filter(name="劳动节", term=terms[1]).exists()
    assert_full_clash_free_timetable([school])

    loads = TimetableEntry.objects.filter(term=terms[0]).values("teacher").annotate(n=Count("id"))
    assert all(5 <= row["n"] <= 16 for row in loads)

    policy = Policy.objects.get(school=school)
    assert policy.preset == "v4"
    assert get_user_model().objects.get(username="admin").is_superuser
    assert "T0001" in output and DEMO_PASSWORD in output


def test_every_printed_login_signs_in():
    output = seed("--size", "small")
    logins = printed_logins(output)
    for chinese in ("校长", "副校长", "教导主任", "教导干事", "教研组长", "教师", "系统管理员"):
        assert chinese in output
    assert "admin" in logins and len(logins) >= 8
    for username, password in logins.items():
        assert authenticate(username=username, password=password) is not None, username
    principal = Staff.objects.get(staff_no="T0001")
    assert principal.has_role(Role.PRINCIPAL) and principal.name in output


def test_running_twice_changes_nothing_and_prints_the_logins_again():
    first_output = seed("--size", "small")
    fingerprint = database_fingerprint()
    second_output = seed("--size", "small")
    assert database_fingerprint() == fingerprint
    assert printed_logins(second_output) == printed_logins(first_output)


def test_the_plan_is_deterministic():
    assert build_plan("small", start_year=2026) == build_plan("small", start_year=2026)
    assert build_plan("large", start_year=2026) == build_plan("large", start_year=2026)
    names = [s.name for s in build_plan("large", start_year=2026).staff]
    assert len(set(names)) == len(names) == 200


def test_the_demo_completes_a_school_missing_rows():
    seed("--size", "small")
    Student.objects.filter(school_class__grade__level=9).delete()
    TimetableEntry.objects.filter(term__number=2).delete()
    Staff.objects.filter(staff_no="T0030").update(name="改过的名字")  # the office's edit is kept
    seed("--size", "small")
    assert Student.objects.count() == 270
    lessons = dict(TimetableEntry.objects.values_list("term__number").annotate(n=Count("id")))
    assert lessons[1] == lessons[2] == 204
    assert Staff.objects.get(staff_no="T0030").name == "改过的名字"


def test_the_preset_option_loads_another_policy_and_the_default_keeps_it():
    seed("--size", "small", "--preset", "v2")
    school = School.objects.get(code="demo")
    assert school.policy.preset == "v2"
    seed("--size", "small")
    assert Policy.objects.get(school=school).preset == "v2"
    seed("--size", "small", "--preset", "v7")
    assert Policy.objects.get(school=school).preset == "v7"


def test_another_size_over_an_existing_demo_is_refused():
    seed("--size", "small")
    with pytest.raises(CommandError, match="示范镇初级中学"):
        seed("--size", "large")
    assert School.objects.count() == 1


def test_staff_numbers_of_another_school_are_not_taken_over():
    from school.services import staff_upsert

    other = School.objects.create(name="别的学校", code="other")
    staff_upsert(school=other, staff_no="T0005", name="别人", roles=[Role.TEACHER])
    with pytest.raises(CommandError, match="T0005"):
        seed("--size", "small")
    assert not School.objects.filter(code="demo").exists()


@pytest.mark.parametrize(
    "today, year, term",
    [
        (dt.date(2026, 11, 24), "2026-2027", 1),
        (dt.date(2026, 9, 7), "2026-2027", 1),
        (dt.date(2027, 3, 15), "2026-2027", 2),
        (dt.date(2027, 6, 30), "2026-2027", 2),
        (dt.date(2027, 2, 5), "2026-2027", None),  # winter holiday
        (dt.date(2027, 8, 20), "2027-2028", None),  # the coming year, before it starts
    ],
)
def test_the_school_year_around_today(today, year, term):
    plan = school_year_plan(today)
    assert plan.name == year
    first, second = plan.terms
    assert first.start.weekday() == 0 and first.start.month == 9 and first.start.day <= 7
    assert first.end.month == 1 and 17 <= first.end.day <= 23 and first.end.weekday() == 4
    assert second.start.month == 2 and 21 <= second.start.day <= 27 and second.start.weekday() == 0
    assert second.end.month == 7 and second.end.day <= 7
    for t in plan.terms:
        assert t.start < t.midterm < t.end and t.midterm.weekday() == 3
        assert all(t.start <= start <= end <= t.end for _name, start, end in t.holidays)
    containing = [t.number for t in plan.terms if t.start <= today <= t.end]
    assert containing == ([term] if term else [])


@pytest.mark.slow
def test_large_demo_school():
    output = seed("--size", "large")

    central = School.objects.get(code="demo")
    villages = list(central.village_schools.order_by("code"))
    assert central.name == "示范镇中心学校" and [v.code for v in villages] == ["demo-east", "demo-south", "demo-west"]
    assert all(v.stage == "primary" for v in villages)
    assert School.objects.count() == 4
    assert Staff.objects.count() == 200
    assert SchoolClass.objects.count() == 60
    assert SchoolClass.objects.filter(grade__school=central).count() == 36
    assert Student.objects.count() == 3000
    sizes = SchoolClass.objects.annotate(n=Count("students")).values_list("n", flat=True)
    assert all(45 <= n <= 55 for n in sizes)
    assert Subject.objects.filter(school=central).count() == Subject.objects.count() == 14

    for village in villages:
        directors = Staff.objects.filter(school=village, roles__role=Role.DIRECTOR)
        assert directors.count() == 1
        assert not TeachingGroup.objects.filter(school=village).exists()
    groups = TeachingGroup.objects.filter(school=central)
    assert groups.count() == 6 and all(g.is_central for g in groups)
    # Every teacher, in the central school and in the villages, belongs to a central group.
    teachers = Staff.objects.filter(roles__role=Role.TEACHER)
    assert teachers.filter(groups__isnull=True).count() == 0
    assert teachers.filter(school__in=villages, groups__is_central=True).count() == 64

    assert_full_clash_free_timetable([central, *villages])
    total = TimetableEntry.objects.aggregate(n=Count("id"))["n"]
    assert total == 2 * sum(expected_lessons(c) for c in SchoolClass.objects.select_related("grade"))
    assert Student.objects.aggregate(s=Sum("baseline_score"))["s"] > 0

    logins = printed_logins(output)
    assert "村小教导主任" in output and len(logins) == 10
    assert authenticate(username=max(u for u in logins if u != "admin"), password=DEMO_PASSWORD) is not None
