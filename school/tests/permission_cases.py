from .matrix import MANAGERS, NOT_FOUND, OK, REDIRECT, SCHOOL_WIDE, STAFF, Case, expect

LEADS_OR_SCHOOL_WIDE = SCHOOL_WIDE + ("group_leader",)
STAFF_OF_CENTRAL = tuple(r for r in STAFF if r != "village_director")


def _outside_my_group(w):
    return [w.other_teacher.name, w.village_teacher.name]


def _central_school_staff(w):
    return [w.teacher.name, w.group_leader.name]


CASES = [
    Case("home", expect(allowed=STAFF)),
    Case("login", expect(allowed=STAFF, anonymous=OK, allowed_status=REDIRECT)),
    Case("logout", expect(allowed=STAFF, allowed_status=REDIRECT), method="post"),
    Case("password_change", expect(allowed=STAFF)),
    Case("password_change_done", expect(allowed=STAFF)),
    Case("set_language", expect(allowed=STAFF, allowed_status=REDIRECT, anonymous=REDIRECT), method="post",
         data=lambda w: {"language": "en", "next": "/"}),
    Case("school:staff-list", expect(allowed=LEADS_OR_SCHOOL_WIDE),
         hidden={"group_leader": _outside_my_group, "village_director": _central_school_staff}),
    Case("school:class-list", expect(allowed=SCHOOL_WIDE)),
    Case("school:student-list", expect(allowed=SCHOOL_WIDE),
         hidden={"village_director": lambda w: [w.student.name]}),
    Case("school:timetable", expect(allowed=STAFF)),
    Case("school:timetable", expect(allowed=STAFF_OF_CENTRAL, denied_status=NOT_FOUND),
         query=lambda w: f"class={w.class_1.pk}"),
    Case("school:timetable", expect(allowed=("superuser",), denied_status=NOT_FOUND),
         query=lambda w: f"class={w.foreign_class.pk}"),
    Case("school:timetable", expect(allowed=("superuser",), denied_status=NOT_FOUND),
         query=lambda w: f"teacher={w.foreign_teacher.pk}"),
    Case("school:roster-import", expect(allowed=MANAGERS)),
    Case("school:roster-template", expect(allowed=MANAGERS), query="kind=all"),
]
