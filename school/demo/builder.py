"""Write the demo plan to the database, idempotently.

Every row is keyed on its natural key (School.code, staff number, student number, (grade, number), ...): a row
that exists is left as it is (the office may have edited it), a missing one is created. Running the seeder
again therefore changes nothing; on a new school year it adds that year's calendar and timetable.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from ..models import (
    Grade,
    Holiday,
    Period,
    School,
    SchoolClass,
    SchoolYear,
    Staff,
    Student,
    Subject,
    TeachingGroup,
    Term,
    TimetableEntry,
)
from ..services import staff_upsert
from . import names
from .plan import DEMO_PASSWORD, SUBJECTS, DemoPlan, YearPlan, build_plan, school_year_plan
from .timetable import Lesson, build_timetable

ADMIN_USERNAME = "admin"


class DemoSeedError(Exception):
    """The database holds something the demo would clash with."""


@dataclass
class Login:
    role: str  # a key of names.LOGIN_ROLES
    name: str
    username: str
    password: str


@dataclass
class DemoResult:
    root: School
    schools: list[School]
    created: dict[str, int] = field(default_factory=dict)
    logins: list[Login] = field(default_factory=list)


class _LazyHash:
    """The demo password hashed once, and only if an account is created (hashing is slow on purpose)."""

    def __init__(self, password: str):
        self.password = password
        self._hash = None

    def __call__(self) -> str:
        if self._hash is None:
            self._hash = make_password(self.password)
        return self._hash


@transaction.atomic
def demo_seed(*, size: str, today: dt.date | None = None, password: str = DEMO_PASSWORD) -> DemoResult:
    """Create the demo school of `size` ("small" or "large"), or complete it if it exists.

    The calendar is the school year around `today` (default: today in the project's time zone)."""
    year = school_year_plan(today or timezone.localdate())
    plan = build_plan(size, start_year=year.start_year)
    password_hash = _LazyHash(password)
    created: dict[str, int] = {}

    schools = _ensure_schools(plan, created)
    root = schools[plan.root.code]
    subjects = _ensure_subjects(root, plan, created)
    _ensure_periods(plan, schools, created)
    classes = _ensure_classes(plan, schools, created)
    terms = _ensure_calendar(root, year, created)
    groups = _ensure_groups(root, plan, subjects, created)
    staff = _ensure_staff(plan, schools, groups, password_hash, created)
    _ensure_leaders_and_heads(plan, groups, classes, staff)
    _ensure_students(plan, classes, created)
    _ensure_timetables(plan, terms, classes, subjects, staff, created)
    admin = _ensure_superuser(password_hash, created)

    result = DemoResult(root=root, schools=list(schools.values()), created=created)
    result.logins = _logins(plan, staff, admin, password, admin_is_new="superusers" in created)
    return result


def _ensure_schools(plan: DemoPlan, created: dict) -> dict[str, School]:
    existing = {s.code: s for s in School.objects.filter(code__in=[p.code for p in plan.schools])}
    root = existing.get(plan.root.code)
    if root is not None and root.name != plan.root.name:
        raise DemoSeedError(
            _("The demo school %(code)s already exists as %(name)s, another size of the demo; seed that size "
              "or start from an empty database.") % {"code": root.code, "name": root.name}
        )
    schools: dict[str, School] = {}
    for p in plan.schools:
        school = existing.get(p.code)
        if school is None:
            if School.objects.filter(name=p.name).exists():
                raise DemoSeedError(_("A school named %(name)s already exists.") % {"name": p.name})
            school = School(code=p.code, name=p.name, stage=p.stage, address=p.address,
                            parent=schools.get(p.parent_code) if p.parent_code else None)
            school.full_clean()
            school.save()
            _count(created, "schools")
        schools[p.code] = school
    return schools


def _ensure_subjects(root: School, plan: DemoPlan, created: dict) -> dict[str, Subject]:
    subjects = {s.code: s for s in Subject.objects.filter(school=root, code__in=plan.subjects)}
    new = [
        Subject(school=root, code=code, name=name, order=order, has_labs=labs)
        for code, name, order, labs, _group in SUBJECTS
        if code in plan.subjects and code not in subjects
    ]
    for subject in Subject.objects.bulk_create(new):
        subjects[subject.code] = subject
    _count(created, "subjects", len(new))
    return subjects


def _ensure_periods(plan: DemoPlan, schools: dict[str, School], created: dict) -> None:
    have = set(Period.objects.filter(school__in=schools.values()).values_list("school_id", "number"))
    new = []
    for p in plan.schools:
        school = schools[p.code]
        for number, (start, end) in enumerate(p.bells, start=1):
            if (school.pk, number) not in have:
                new.append(Period(school=school, number=number, start_time=dt.time.fromisoformat(start),
                                  end_time=dt.time.fromisoformat(end)))
    Period.objects.bulk_create(new)
    _count(created, "periods", len(new))


def _ensure_classes(plan: DemoPlan, schools: dict[str, School], created: dict) -> dict[tuple, SchoolClass]:
    """The classes by (school code, level, number), with their grades."""
    grades = {(g.school_id, g.level): g for g in Grade.objects.filter(school__in=schools.values())}
    new_grades = []
    for p in plan.schools:
        school = schools[p.code]
        for level, _count_ in p.grades:
            if (school.pk, level) not in grades:
                new_grades.append(Grade(school=school, level=level, name=names.GRADE_NAMES[level]))
    for grade in Grade.objects.bulk_create(new_grades):
        grades[grade.school_id, grade.level] = grade
    _count(created, "grades", len(new_grades))

    code_of = {s.pk: code for code, s in schools.items()}
    classes = {
        (code_of[c.grade.school_id], c.grade.level, c.number): c
        for c in SchoolClass.objects.filter(grade__school__in=schools.values()).select_related("grade")
    }
    new = []
    for c in plan.classes:
        if (c.school_code, c.level, c.number) not in classes:
            grade = grades[schools[c.school_code].pk, c.level]
            new.append(SchoolClass(grade=grade, number=c.number))
    for school_class in SchoolClass.objects.bulk_create(new):
        classes[code_of[school_class.grade.school_id], school_class.grade.level, school_class.number] = school_class
    _count(created, "classes", len(new))
    return classes


def _ensure_calendar(root: School, year: YearPlan, created: dict) -> list[Term]:
    school_year = SchoolYear.objects.filter(school=root, name=year.name).first()
    if school_year is None:
        school_year = SchoolYear(school=root, name=year.name, start_date=year.start, end_date=year.end)
        school_year.full_clean()
        school_year.save()
        _count(created, "school years")
    terms = {t.number: t for t in school_year.terms.all()}
    for t in year.terms:
        if t.number in terms:
            continue
        term = Term(school_year=school_year, number=t.number, start_date=t.start, end_date=t.end,
                    midterm_date=t.midterm)
        term.full_clean()
        term.save()
        Holiday.objects.bulk_create(
            Holiday(term=term, name=name, start_date=start, end_date=end) for name, start, end in t.holidays
        )
        terms[t.number] = term
        _count(created, "terms")
    return [terms[n] for n in sorted(terms)]


def _ensure_groups(root: School, plan: DemoPlan, subjects: dict[str, Subject], created: dict):
    groups = {g.name: g for g in TeachingGroup.objects.filter(school=root)}
    for name, _leader in plan.groups:
        if name in groups:
            continue
        group = TeachingGroup.objects.create(school=root, name=name, is_central=plan.groups_central)
        group.subjects.set(
            [subjects[code] for code, _n, _o, _l, group_name in SUBJECTS if group_name == name and code in subjects]
        )
        groups[name] = group
        _count(created, "groups")
    return groups


def _ensure_staff(plan: DemoPlan, schools: dict[str, School], groups: dict, password_hash, created: dict):
    """Staff by staff number. Existing people are left as they are; the missing are created with their login."""
    staff = {
        s.staff_no: s
        for s in Staff.objects.filter(staff_no__in=[p.staff_no for p in plan.staff]).select_related("school", "user")
    }
    demo_school_ids = {s.pk for s in schools.values()}
    foreign = sorted(no for no, s in staff.items() if s.school_id not in demo_school_ids)
    if foreign:
        raise DemoSeedError(
            _("Staff numbers %(numbers)s belong to another school.") % {"numbers": ", ".join(foreign[:5])}
        )
    for p in plan.staff:
        if p.staff_no in staff:
            continue
        member, _created = staff_upsert(
            school=schools[p.school_code],
            staff_no=p.staff_no,
            name=p.name,
            roles=p.roles,
            gender=p.gender,
            is_young=p.is_young,
            is_new=p.is_new,
            groups=[groups[p.group]] if p.group in groups else [],
            password_hash=password_hash(),
        )
        staff[p.staff_no] = member
        _count(created, "staff")
    return staff


def _ensure_leaders_and_heads(plan: DemoPlan, groups: dict, classes: dict, staff: dict) -> None:
    """Fill an empty group leader or head teacher; never replace one the office has chosen."""
    for name, leader_no in plan.groups:
        group = groups[name]
        if group.leader_id is None:
            group.leader = staff[leader_no]
            group.save(update_fields=["leader"])
    for c in plan.classes:
        school_class = classes[c.school_code, c.level, c.number]
        if school_class.head_teacher_id is None:
            school_class.head_teacher = staff[c.head_teacher]
            school_class.save(update_fields=["head_teacher"])


def _ensure_students(plan: DemoPlan, classes: dict, created: dict) -> None:
    """A class that has students is complete; an empty class gets its planned students."""
    filled = set(
        Student.objects.filter(school_class__in=classes.values()).values_list("school_class_id", flat=True).distinct()
    )
    wanted = [s for s in plan.students if classes[s.school_code, s.level, s.number].pk not in filled]
    if not wanted:
        return
    numbers = [s.student_no for s in wanted]
    taken = set(Student.objects.filter(student_no__in=numbers).values_list("student_no", flat=True))
    if taken:
        raise DemoSeedError(
            _("Student numbers %(numbers)s are taken by other classes.") % {"numbers": ", ".join(sorted(taken)[:5])}
        )
    students = [
        Student(
            school_class=classes[s.school_code, s.level, s.number],
            student_no=s.student_no,
            name=s.name,
            gender=s.gender,
            baseline_score=s.baseline_score,
            baseline_kind=s.baseline_kind,
        )
        for s in wanted
    ]
    bulk_create_with_history(students, Student, batch_size=500, default_change_reason="demo data")
    _count(created, "students", len(students))


def _ensure_timetables(plan: DemoPlan, terms: list[Term], classes: dict, subjects: dict, staff: dict,
                       created: dict) -> None:
    """Each term gets the year's teaching assignments as a clash-free week, unless it has a timetable."""
    class_ids = [c.pk for c in classes.values()]
    busy = set(
        TimetableEntry.objects.filter(term__in=terms, school_class_id__in=class_ids)
        .values_list("term_id", flat=True)
        .distinct()
    )
    entries = []
    for term in terms:
        if term.pk in busy:
            continue
        for school in plan.schools:
            lessons = [
                Lesson(klass=(a.level, a.number), teacher=a.teacher, subject=a.subject)
                for a in plan.assignments
                if a.school_code == school.code
                for _hour in range(a.hours)
            ]
            # The seed is fixed per school and term, so a term's week is the same on every run.
            seed = zlib.crc32(f"{plan.size}-{school.code}-{term.number}".encode())
            placement = build_timetable(lessons, school.slots, seed=seed)
            for lesson, (weekday, period) in zip(lessons, placement):
                entries.append(
                    TimetableEntry(
                        term=term,
                        school_class=classes[(school.code, *lesson.klass)],
                        weekday=weekday,
                        period=period,
                        subject=subjects[lesson.subject],
                        teacher=staff[lesson.teacher],
                    )
                )
    TimetableEntry.objects.bulk_create(entries, batch_size=1000)
    _count(created, "timetable lessons", len(entries))


def _ensure_superuser(password_hash, created: dict):
    User = get_user_model()
    user = User.objects.filter(username=ADMIN_USERNAME).first()
    if user is None:
        user = User(username=ADMIN_USERNAME, is_staff=True, is_superuser=True, password=password_hash())
        user.save()
        _count(created, "superusers")
    return user


def _logins(plan: DemoPlan, staff: dict, admin, password: str, *, admin_is_new: bool) -> list[Login]:
    """One login per role, the first person of the plan who holds it."""
    wanted = [
        ("principal", lambda p: "principal" in p.roles),
        ("vice_principal", lambda p: "vice_principal" in p.roles),
        ("director", lambda p: "director" in p.roles and p.school_code == plan.root.code),
        ("office_staff", lambda p: "office_staff" in p.roles),
        ("cadre", lambda p: "cadre" in p.roles),
        ("group_leader", lambda p: "group_leader" in p.roles),
        ("teacher", lambda p: p.roles == ("teacher",) and not p.is_young and p.school_code == plan.root.code),
        ("new_teacher", lambda p: p.is_new and p.school_code == plan.root.code),
        ("village_director", lambda p: "director" in p.roles and p.school_code != plan.root.code),
    ]
    logins = []
    for role, matches in wanted:
        person = next((p for p in plan.staff if matches(p)), None)
        if person is not None:
            logins.append(Login(role, staff[person.staff_no].name, person.staff_no, password))
    if admin_is_new or admin.check_password(password):
        logins.append(Login("superuser", "", admin.username, password))
    else:
        logins.append(Login("superuser", "", admin.username, _("(unchanged)")))
    return logins


def _count(created: dict, what: str, n: int = 1) -> None:
    if n:
        created[what] = created.get(what, 0) + n
