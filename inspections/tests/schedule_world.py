"""A school and a fixed spring term for the schedule tests: a central school with two groups and a village
school, under the V4 preset (start-of-term, monthly and end-of-term rounds; village schools checked by their own
director; reminders 3 days before).

    term 2026-02-23 (Monday) .. 2026-07-03 (Friday), mid-term exam 2026-04-22, 4 teaching weeks a school month
    P01 principal, P02 vice-principal, P03 director, P04 office staff
    L01 Chinese group leader (members T01, T02), L02 maths group leader (member T03)
    V01 village school's director, V02 village teacher
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from inspections.services import policy_load_preset
from school.models import Role
from school.tests.factories import (
    SchoolFactory,
    SchoolYearFactory,
    StaffFactory,
    TeachingGroupFactory,
    TermFactory,
)

TERM_START = dt.date(2026, 2, 23)
TERM_END = dt.date(2026, 7, 3)


def build_schedule_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.school = SchoolFactory(name="春季中心学校", code="spring")
    w.village = SchoolFactory(name="春季村小", code="spring-village", parent=w.school)
    year = SchoolYearFactory(school=w.school, name="2025-2026学年", start_date=dt.date(2025, 9, 1),
                             end_date=dt.date(2026, 8, 31))
    w.term = TermFactory(school_year=year, number=2, start_date=TERM_START, end_date=TERM_END,
                         midterm_date=dt.date(2026, 4, 22), weeks_per_school_month=4)

    def person(school, no, name, roles):
        staff = StaffFactory(school=school, staff_no=no, name=name, roles=roles)
        staff.user.email = f"{no.lower()}@school.example"
        staff.user.save(update_fields=["email"])
        return staff

    w.principal = person(w.school, "P01", "校长", [Role.PRINCIPAL])
    w.vice_principal = person(w.school, "P02", "业务校长", [Role.VICE_PRINCIPAL])
    w.director = person(w.school, "P03", "教导主任", [Role.DIRECTOR])
    w.office = person(w.school, "P04", "教导干事", [Role.OFFICE_STAFF])
    w.leader_1 = person(w.school, "L01", "语文组长", [Role.GROUP_LEADER, Role.TEACHER])
    w.leader_2 = person(w.school, "L02", "数学组长", [Role.GROUP_LEADER, Role.TEACHER])
    w.t1 = person(w.school, "T01", "语文教师一", [Role.TEACHER])
    w.t2 = person(w.school, "T02", "语文教师二", [Role.TEACHER])
    w.t3 = person(w.school, "T03", "数学教师", [Role.TEACHER])
    w.village_director = person(w.village, "V01", "村教导主任", [Role.DIRECTOR, Role.TEACHER])
    w.village_teacher = person(w.village, "V02", "村小教师", [Role.TEACHER])
    chinese = TeachingGroupFactory(school=w.school, name="语文组", leader=w.leader_1)
    chinese.members.add(w.leader_1, w.t1, w.t2)
    maths = TeachingGroupFactory(school=w.school, name="数学组", leader=w.leader_2)
    maths.members.add(w.leader_2, w.t3)
    w.policy = policy_load_preset(school=w.school, preset="v4")
    w.by_no = {s.staff_no: s for s in (w.principal, w.vice_principal, w.director, w.office, w.leader_1,
                                        w.leader_2, w.t1, w.t2, w.t3, w.village_director, w.village_teacher)}
    return w
