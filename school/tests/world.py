"""A small, fixed world for permission and page tests: a central school with one village school, and an
unrelated school whose rows no one from the first may ever see.

Every foreign row carries the marker FOREIGN in its name, so a page can be searched for leaks.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.contrib.auth import get_user_model

from inspections.services import policy_load_preset
from school.models import Role

from .factories import (
    GradeFactory,
    PeriodFactory,
    SchoolClassFactory,
    SchoolFactory,
    SchoolYearFactory,
    StaffFactory,
    StudentFactory,
    SubjectFactory,
    TeachingGroupFactory,
    TermFactory,
    TimetableEntryFactory,
)

FOREIGN = "FOREIGN"
PASSWORD = "pass-word-123"

# The roles a permission matrix checks, each a person of the world (None: not logged in).
MATRIX_ROLES = (
    "anonymous",
    "teacher",
    "other_teacher",
    "group_leader",
    "office_staff",
    "director",
    "vice_principal",
    "principal",
    "village_director",
    "superuser",
)


def build_world(*, today: dt.date | None = None) -> SimpleNamespace:
    today = today or dt.date.today()
    w = SimpleNamespace()
    w.school = SchoolFactory(name="中心学校", code="central")
    w.village = SchoolFactory(name="村小", code="village", parent=w.school)
    w.foreign_school = SchoolFactory(name=f"{FOREIGN}学校", code="foreign")

    year = SchoolYearFactory(school=w.school, name="本学年", start_date=today - dt.timedelta(days=60),
                             end_date=today + dt.timedelta(days=250))
    w.term = TermFactory(school_year=year, start_date=today - dt.timedelta(days=50),
                         end_date=today + dt.timedelta(days=80), midterm_date=today)
    foreign_year = SchoolYearFactory(school=w.foreign_school, name="外校学年")
    w.foreign_term = TermFactory(school_year=foreign_year, start_date=w.term.start_date, end_date=w.term.end_date,
                                 midterm_date=None)

    w.chinese = SubjectFactory(school=w.school, name="语文", code="chinese")
    w.maths = SubjectFactory(school=w.school, name="数学", code="maths")
    w.foreign_subject = SubjectFactory(school=w.foreign_school, name=f"{FOREIGN}学科", code="foreign-subject")
    for number in range(1, 9):
        PeriodFactory(school=w.school, number=number, start_time=dt.time(7 + number, 0),
                      end_time=dt.time(7 + number, 45))

    staff = lambda school, no, name, roles: StaffFactory(  # noqa: E731
        school=school, staff_no=no, name=name, roles=roles
    )
    w.principal = staff(w.school, "P001", "校长甲", [Role.PRINCIPAL])
    w.vice_principal = staff(w.school, "P002", "副校长乙", [Role.VICE_PRINCIPAL, Role.TEACHER])
    w.director = staff(w.school, "P003", "主任丙", [Role.DIRECTOR, Role.TEACHER])
    w.office_staff = staff(w.school, "P004", "干事丁", [Role.OFFICE_STAFF])
    w.group_leader = staff(w.school, "T001", "组长戊", [Role.GROUP_LEADER, Role.TEACHER])
    w.teacher = staff(w.school, "T002", "教师己", [Role.TEACHER])
    w.other_teacher = staff(w.school, "T003", "教师庚", [Role.TEACHER])
    w.village_director = staff(w.village, "V001", "村主任辛", [Role.DIRECTOR, Role.TEACHER])
    w.village_teacher = staff(w.village, "V002", "村教师壬", [Role.TEACHER])
    w.foreign_teacher = staff(w.foreign_school, "F001", f"{FOREIGN}教师", [Role.TEACHER])
    w.foreign_director = staff(w.foreign_school, "F002", f"{FOREIGN}主任", [Role.DIRECTOR])

    w.chinese_group = TeachingGroupFactory(school=w.school, name="语文组", leader=w.group_leader)
    w.chinese_group.subjects.add(w.chinese)
    w.chinese_group.members.add(w.group_leader, w.teacher)
    w.maths_group = TeachingGroupFactory(school=w.school, name="数学组")
    w.maths_group.subjects.add(w.maths)
    w.maths_group.members.add(w.other_teacher)

    grade = GradeFactory(school=w.school, level=7, name="七年级")
    w.class_1 = SchoolClassFactory(grade=grade, number=1, head_teacher=w.teacher)
    w.class_2 = SchoolClassFactory(grade=grade, number=2)
    village_grade = GradeFactory(school=w.village, level=7, name="七年级")
    w.village_class = SchoolClassFactory(grade=village_grade, number=1)
    foreign_grade = GradeFactory(school=w.foreign_school, level=7, name="七年级")
    w.foreign_class = SchoolClassFactory(grade=foreign_grade, number=1)

    w.student = StudentFactory(school_class=w.class_1, student_no="S0001", name="学生甲")
    w.village_student = StudentFactory(school_class=w.village_class, student_no="S0002", name="村学生乙")
    w.foreign_student = StudentFactory(school_class=w.foreign_class, student_no="S9001", name=f"{FOREIGN}学生")

    lesson = lambda cls, day, period, subject, teacher, term=w.term: TimetableEntryFactory(  # noqa: E731
        term=term, school_class=cls, weekday=day, period=period, subject=subject, teacher=teacher
    )
    lesson(w.class_1, 1, 1, w.chinese, w.teacher)
    lesson(w.class_2, 1, 1, w.maths, w.other_teacher)
    lesson(w.class_1, 1, 2, w.maths, w.other_teacher)
    lesson(w.class_2, 2, 1, w.chinese, w.group_leader)
    lesson(w.village_class, 1, 1, w.chinese, w.village_teacher)
    lesson(w.foreign_class, 1, 1, w.foreign_subject, w.foreign_teacher, term=w.foreign_term)

    policy_load_preset(school=w.school, preset="v4")
    policy_load_preset(school=w.foreign_school, preset="v1")

    w.superuser = get_user_model().objects.create_superuser("admin", "admin@example.com", PASSWORD)
    return w


def user_for(world: SimpleNamespace, role: str):
    """The account that plays `role` in the matrix (None for anonymous)."""
    if role == "anonymous":
        return None
    if role == "superuser":
        return world.superuser
    return getattr(world, role).user


def add_fines(w: SimpleNamespace) -> SimpleNamespace:
    """The fines of the world, added once (on first use) through the services: in the first school month, which
    has ended and is closed, a confirmed fine for `teacher`, `other_teacher` and `village_teacher`; today two
    proposed findings against `teacher`; and in the foreign school a confirmed finding and an adjustment."""
    if hasattr(w, "fines"):
        return w.fines
    from decimal import Decimal

    from deductions import services

    f = SimpleNamespace()
    office, foreign_office = w.director.user, w.foreign_director.user
    first_month = w.term.school_months()[0]
    day = first_month.start + dt.timedelta(days=1)

    def confirmed(teacher, code, user, quantity=1, on=day):
        violation = services.violation_record(teacher=teacher, code=code, occurred_on=on, quantity=quantity,
                                              reason="巡课记录", user=user)
        return services.violation_confirm(violation=violation, user=user)

    f.violation = confirmed(w.teacher, "late_to_class", office)
    f.other_violation = confirmed(w.other_teacher, "left_early", office)
    f.village_violation = confirmed(w.village_teacher, "absent", office)
    today = w.term.start_date + dt.timedelta(days=50)
    f.proposed = services.violation_record(teacher=w.teacher, code="no_preparation", occurred_on=today, quantity=2,
                                           reason="巡课发现未备课", user=office)
    f.proposed_2 = services.violation_record(teacher=w.teacher, code="lab_untidy", occurred_on=today,
                                             reason="实验室检查", user=office)
    f.month = services.ledger_month_get(school=w.school, term=w.term, number=first_month.number)
    services.ledger_month_close(month=f.month, user=office)
    f.ledger = f.month.ledgers.get(teacher=w.teacher)
    f.other_ledger = f.month.ledgers.get(teacher=w.other_teacher)
    f.village_ledger = f.month.ledgers.get(teacher=w.village_teacher)

    # The foreign school's policy has no fines: its finding carries no money; its ledger holds an adjustment.
    f.foreign_violation = confirmed(w.foreign_teacher, "foreign-finding", foreign_office)
    f.foreign_month = services.ledger_month_get(school=w.foreign_school, term=w.foreign_term,
                                                number=first_month.number)
    services.ledger_month_close(month=f.foreign_month, user=foreign_office)
    f.foreign_entry = services.ledger_adjust(teacher=w.foreign_teacher, month=f.foreign_month, amount=Decimal("5.00"),
                                             note=f"{FOREIGN} 更正", user=foreign_office)
    f.foreign_ledger = f.foreign_entry.ledger
    w.fines = f
    return f
